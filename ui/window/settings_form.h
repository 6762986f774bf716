// What the settings panel and the first-start guide edit: the config's fields as the host types
// them (plain strings, no optional), turned back into a Config for saving. No ImGui here, so it
// is unit-tested directly. UI thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/config/config.h"
#include "client/base/strings.h"
#include "media/encoder_settings.h"

namespace cunbo::ui {

// Where the product card sits on the stream; the config's card_position values.
enum class CardCorner { bottom_left, bottom_right, top_right };
[[nodiscard]] const char* card_corner_name(CardCorner corner);  // "bottom-left", ...

struct DestinationRow {
  std::string url;  // rtmp://host/app (or a whole srt:// URL)
  std::string key;  // the stream key: shown masked unless show_key
  bool show_key = false;

  // A host often pastes the platform's whole push URL, key included, into the URL field: move
  // the key into the (masked) key field. rtmp(s) only, and only when the key field is empty.
  void split_key_from_url();
};

// The config's tone fields, in the order of SettingsForm::tone and of the 美颜 panel's sliders.
inline constexpr std::optional<int> Config::* kToneFields[4] = {&Config::brightness, &Config::contrast,
                                                               &Config::saturation, &Config::warmth};

struct SettingsForm {
  std::vector<DestinationRow> destinations;
  std::string api;
  std::string token;
  bool show_token = false;
  Quality quality = Quality::standard_720p;
  // 竖屏 / 横屏 (the next session's; never mid-stream) and the camera's framing in it: fill or
  // fit (nullopt: the orientation's default), the fill's zoom and offsets, the mounting.
  Orientation orientation = Orientation::portrait;
  std::optional<FramingMode> framing;
  float zoom = 1;
  float offset_x = 0;
  float offset_y = 0;
  int rotation = 0;
  bool mirror = false;         // 镜像: the preview, for the host
  bool mirror_stream = false;  // and the viewers' picture too
  std::string video = "test";  // source specs, as --video / --audio take them
  std::string audio = "test";
  bool light = true;    // 补光: the automatic low-light lift
  int beauty = 3;       // 美颜 0..10
  // The tone, −10..10 each (0: as the camera gives it): brightness, contrast, saturation, warmth.
  int tone[4] = {};
  bool denoise = true;  // 降噪
  float mic_gain = 0;   // dB
  std::string shop_name;
  CardCorner card = CardCorner::bottom_left;
  Language language = Language::zh_CN;
  // Room for a second encode, as the encode-speed test measured it (not edited by hand).
  std::optional<bool> second_encode;

  // The framing the form describes (the fill's nudge, the mode, the mounting).
  [[nodiscard]] Framing framing_settings() const;

  // The form for `config`. Unset fields get the defaults a session would use (a config with
  // nothing in it is a new one: portrait, like the file Cunbo creates); a URL with its
  // key in it is split (the key shows masked).
  [[nodiscard]] static SettingsForm from_config(const Config& config);
  // `base` with the form's fields written over it (what the form does not edit, like duration
  // and out_dir, is kept). Text is trimmed; empty rows, API and token are dropped.
  [[nodiscard]] Config to_config(const Config& base) const;
  // What saving would refuse, in the host's words; nullopt when the form can be saved.
  [[nodiscard]] std::optional<std::string> check(const Config& base) const;
};

// `text` without leading and trailing spaces, tabs and line breaks (pasted text has them).
[[nodiscard]] std::string trimmed(const std::string& text);

}  // namespace cunbo::ui
