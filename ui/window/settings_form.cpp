#include "ui/window/settings_form.h"

#include <algorithm>
#include <cmath>

#include "client/config/destination.h"
#include "client/config/settings.h"
#include "client/studio/session_setup.h"

namespace cunbo::ui {

const char* card_corner_name(CardCorner corner) {
  switch (corner) {
    case CardCorner::bottom_left: return "bottom-left";
    case CardCorner::bottom_right: return "bottom-right";
    case CardCorner::top_right: return "top-right";
  }
  return "bottom-left";
}

std::string trimmed(const std::string& text) {
  constexpr const char* kSpace = " \t\r\n\v\f";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

void DestinationRow::split_key_from_url() {
  url = trimmed(url);
  if (!trimmed(key).empty() || !(url.starts_with("rtmp://") || url.starts_with("rtmps://")) || !has_own_key(url)) return;
  // rtmp://host/app/KEY: the key is everything after the app (as mask_url sees it).
  const size_t path = url.find('/', url.find("://") + 3);
  const size_t key_at = url.find('/', path + 1);
  key = url.substr(key_at + 1);
  url.resize(key_at);
}

SettingsForm SettingsForm::from_config(const Config& config) {
  SettingsForm form;
  for (const ConfigDestination& d : config.destinations) {
    DestinationRow row{d.url, d.key.value_or(""), false};
    row.split_key_from_url();
    form.destinations.push_back(std::move(row));
  }
  form.api = config.api.value_or("");
  form.token = config.token.value_or("");
  if (config.quality) form.quality = parse_quality(*config.quality).value_or(Quality::standard_720p);
  form.second_encode = config.second_encode;
  form.orientation = config == Config{} ? Orientation::portrait : configured_orientation(config);
  if (config.framing) form.framing = parse_framing_mode(*config.framing);
  const Framing framing = configured_framing(config, form.orientation);
  form.zoom = static_cast<float>(framing.zoom);
  form.offset_x = static_cast<float>(framing.offset_x);
  form.offset_y = static_cast<float>(framing.offset_y);
  form.rotation = framing.rotation;
  form.mirror = config.mirror.value_or(false);
  form.mirror_stream = config.mirror_stream.value_or(false);
  form.video = config.video.value_or("test");
  form.audio = config.audio.value_or("test");
  form.light = config.light.value_or("auto") != "off";
  form.beauty = config.beauty.value_or(3);
  for (int i = 0; i < 4; ++i) form.tone[i] = (config.*kToneFields[i]).value_or(0);
  form.denoise = config.denoise.value_or(true);
  form.mic_gain = static_cast<float>(config.mic_gain.value_or(0));
  form.shop_name = config.shop_name.value_or("");
  if (config.card_position) {
    for (CardCorner c : {CardCorner::bottom_left, CardCorner::bottom_right, CardCorner::top_right}) {
      if (*config.card_position == card_corner_name(c)) form.card = c;
    }
  }
  form.language = config.language ? (*config.language == "en" ? Language::en : Language::zh_CN) : current_language();
  return form;
}

Config SettingsForm::to_config(const Config& base) const {
  Config config = base;
  config.destinations.clear();
  for (const DestinationRow& row : destinations) {
    const std::string url = trimmed(row.url);
    const std::string key = trimmed(row.key);
    if (url.empty() && key.empty()) continue;  // an added row left blank
    // What the form does not show (an SRT passphrase, stream id, latency from the file) stays
    // with the address it was written for.
    const auto same = std::find_if(base.destinations.begin(), base.destinations.end(),
                                   [&](const ConfigDestination& old) { return old.url == url; });
    config.destinations.emplace_back(url, key.empty() ? std::nullopt : std::optional(key),
                                     same != base.destinations.end() ? same->srt : SrtOptions{});
  }
  auto text_or_unset = [](const std::string& text) {
    const std::string t = trimmed(text);
    return t.empty() ? std::nullopt : std::optional(t);
  };
  config.api = text_or_unset(api);
  config.token = text_or_unset(token);
  config.quality = std::string(quality_name(quality));
  if (second_encode) config.second_encode = second_encode;
  // Written when the host chose one, or the file had one (a new file starts in portrait).
  config.orientation = base.orientation || orientation != configured_orientation(base)
                           ? std::optional(std::string(orientation_name(orientation)))
                           : std::nullopt;
  config.framing = framing ? std::optional(std::string(framing_mode_name(*framing))) : base.framing;
  // The slider's steps; the defaults stay unwritten unless the file had the setting.
  auto step = [](float v) { return std::round(static_cast<double>(v) * 20) / 20; };
  config.framing_zoom = step(zoom) == 1 && !base.framing_zoom ? std::nullopt : std::optional(step(zoom));
  config.framing_x = step(offset_x) == 0 && !base.framing_x ? std::nullopt : std::optional(step(offset_x));
  config.framing_y = step(offset_y) == 0 && !base.framing_y ? std::nullopt : std::optional(step(offset_y));
  config.camera_rotation = rotation == 0 && !base.camera_rotation ? std::nullopt : std::optional(rotation);
  config.mirror = !mirror && !base.mirror ? std::nullopt : std::optional(mirror);
  config.mirror_stream = !mirror_stream && !base.mirror_stream ? std::nullopt : std::optional(mirror_stream);
  config.video = text_or_unset(video);
  config.audio = text_or_unset(audio);
  // The defaults stay unwritten unless the file had the setting.
  config.light = light && !base.light ? std::nullopt : std::optional<std::string>(light ? "auto" : "off");
  config.beauty = beauty == 3 && !base.beauty ? std::nullopt : std::optional(beauty);
  for (int i = 0; i < 4; ++i) {
    std::optional<int>& field = config.*kToneFields[i];
    field = tone[i] == 0 && !(base.*kToneFields[i]) ? std::nullopt : std::optional(tone[i]);
  }
  config.denoise = denoise && !base.denoise ? std::nullopt : std::optional(denoise);
  const double gain = std::round(static_cast<double>(mic_gain) * 2) / 2;  // the slider's half-dB steps
  config.mic_gain = gain == 0 && !base.mic_gain ? std::nullopt : std::optional(gain);
  // An empty shop name means "none"; it stays unset unless the file had one to clear.
  const std::string shop = trimmed(shop_name);
  config.shop_name = shop.empty() && !base.shop_name ? std::nullopt : std::optional(shop);
  config.card_position = std::string(card_corner_name(card));
  config.language = language == Language::en ? "en" : "zh-CN";
  return config;
}

Framing SettingsForm::framing_settings() const {
  Framing f;
  f.mode = framing.value_or(default_framing_mode(orientation));
  f.zoom = zoom;
  f.offset_x = offset_x;
  f.offset_y = offset_y;
  f.rotation = rotation;
  f.mirror = mirror_stream;
  return f.clamped();
}

std::optional<std::string> SettingsForm::check(const Config& base) const {
  if (auto err = validate_config(to_config(base))) return config_error_text(*err);
  return std::nullopt;
}

}  // namespace cunbo::ui
