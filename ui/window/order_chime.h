// A short notification sound through SDL audio: a new order (assets/sounds/order.wav), or the
// stream reaching nobody (assets/sounds/alert.wav). The device is opened the first time it
// plays, not before; without an audio device (a server, a broken sound setup) the sound is
// skipped silently and the reason logged once. UI thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace cunbo::ui {

class OrderChime {
 public:
  explicit OrderChime(std::filesystem::path wav);
  ~OrderChime();
  OrderChime(const OrderChime&) = delete;
  OrderChime& operator=(const OrderChime&) = delete;

  void play();

  // Where the sounds are: sounds/ in the assets folder (client/base/assets.h).
  [[nodiscard]] static std::filesystem::path default_path();  // order.wav
  [[nodiscard]] static std::filesystem::path alert_path();    // alert.wav

 private:
  bool open();

  std::filesystem::path wav_;
  bool tried_ = false;
  uint32_t device_ = 0;  // SDL_AudioDeviceID; 0: none
  std::vector<uint8_t> pcm_;
};

}  // namespace cunbo::ui
