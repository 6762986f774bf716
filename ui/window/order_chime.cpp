#include "ui/window/order_chime.h"

#include <SDL.h>
#include <spdlog/spdlog.h>

#include "client/base/assets.h"
#include "media/utf8_path.h"

namespace cunbo::ui {

OrderChime::OrderChime(std::filesystem::path wav) : wav_(std::move(wav)) {}

OrderChime::~OrderChime() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);
  if (tried_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

namespace {

std::filesystem::path sound(const char* name) {
  const std::filesystem::path dir = assets_dir();
  return dir.empty() ? std::filesystem::path() : dir / "sounds" / name;
}

}  // namespace

std::filesystem::path OrderChime::default_path() { return sound("order.wav"); }
std::filesystem::path OrderChime::alert_path() { return sound("alert.wav"); }

bool OrderChime::open() {
  tried_ = true;
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    spdlog::info("[window] no audio ({}): new orders make no sound", SDL_GetError());
    return false;
  }
  SDL_AudioSpec spec{};
  Uint8* buffer = nullptr;
  Uint32 length = 0;
  if (wav_.empty() || !SDL_LoadWAV(path_utf8(wav_).c_str(), &spec, &buffer, &length)) {
    spdlog::info("[window] cannot read the order sound {} ({}): new orders make no sound", wav_.string(), SDL_GetError());
    return false;
  }
  pcm_.assign(buffer, buffer + length);
  SDL_FreeWAV(buffer);
  spec.callback = nullptr;  // queued, not pulled
  // SDL converts to whatever the device wants (allowed_changes 0).
  device_ = SDL_OpenAudioDevice(nullptr, 0, &spec, nullptr, 0);
  if (device_ == 0) {
    spdlog::info("[window] no audio device ({}): new orders make no sound", SDL_GetError());
    return false;
  }
  SDL_PauseAudioDevice(device_, 0);
  return true;
}

void OrderChime::play() {
  if (!tried_) open();
  if (device_ == 0 || pcm_.empty()) return;
  // A burst of orders plays one chime, not a queue of them.
  if (SDL_GetQueuedAudioSize(device_) > pcm_.size() / 2) return;
  SDL_QueueAudio(device_, pcm_.data(), static_cast<Uint32>(pcm_.size()));
}

}  // namespace cunbo::ui
