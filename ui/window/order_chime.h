// The short sound a new order plays (assets/sounds/order.wav), through SDL audio. The device is
// opened at the first order, not before; without an audio device (a server, a broken sound
// setup) the chime is skipped silently and the reason logged once. UI thread only.
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

  // Where the chime is looked for: $CUNBO_ASSETS_DIR/sounds/order.wav, else sounds/ beside the
  // sample catalog (installed share/cunbo or the source tree's assets/).
  [[nodiscard]] static std::filesystem::path default_path();

 private:
  bool open();

  std::filesystem::path wav_;
  bool tried_ = false;
  uint32_t device_ = 0;  // SDL_AudioDeviceID; 0: none
  std::vector<uint8_t> pcm_;
};

}  // namespace cunbo::ui
