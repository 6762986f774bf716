#include "ui/window/window_fit.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cunbo::ui {

namespace {

constexpr float kBaseDpi = 96;  // what every desktop calls 100 %
constexpr float kMaxScale = 3;

std::optional<float> parse_scale(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // std::from_chars for float: no locale, no exceptions.
  float value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!(value >= 1.0f && value <= kMaxScale)) return std::nullopt;
  return value;
}

}  // namespace

WindowPlan plan_window(const DisplayArea& display, std::optional<WindowSize> requested) {
  WindowPlan plan;
  if (requested) {
    plan.w = requested->w;
    plan.h = requested->h;
  } else if (display.w <= 0 || display.h <= 0) {
    plan.w = kFallbackSize.w;
    plan.h = kFallbackSize.h;
  } else {
    // The whole usable area: a host's laptop has no room to spare, and a larger screen gets a
    // larger preview. The window's own frame comes off once it is known (after it is shown).
    plan.w = std::max(display.w, kMinimumSize.w);
    plan.h = std::max(display.h, kMinimumSize.h);
    plan.x = display.x;
    plan.y = display.y;
    plan.maximised = display.w <= kSmallScreen.w && display.h <= kSmallScreen.h;
    return plan;
  }
  plan.x = display.w > 0 ? display.x + std::max(0, (display.w - plan.w) / 2) : 0;
  plan.y = display.h > 0 ? display.y + std::max(0, (display.h - plan.h) / 2) : 0;
  return plan;
}

float choose_ui_scale(float dpi, float pixel_ratio, WindowSize pixels, std::string_view override_text) {
  if (const std::optional<float> forced = parse_scale(override_text)) return *forced;
  float scale = 1;
  if (pixel_ratio > 1.01f) {
    scale = pixel_ratio;
  } else if (dpi > 0) {
    scale = std::round(dpi / kBaseDpi * 4.0f) / 4.0f;  // 125 %, 150 %…: the steps desktops offer
  }
  if (pixels.w > 0 && pixels.h > 0) {
    const float room = std::min(static_cast<float>(pixels.w) / static_cast<float>(kDesignSize.w),
                                static_cast<float>(pixels.h) / static_cast<float>(kDesignSize.h));
    scale = std::min(scale, room);
  }
  return std::clamp(scale, 1.0f, kMaxScale);
}

std::optional<WindowSize> parse_window_size(std::string_view text) {
  const size_t x = text.find_first_of("xX");
  if (x == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view part) -> std::optional<int> {
    int value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc() || end != part.data() + part.size()) return std::nullopt;
    if (value < 320 || value > 8192) return std::nullopt;
    return value;
  };
  const std::optional<int> w = number(text.substr(0, x));
  const std::optional<int> h = number(text.substr(x + 1));
  if (!w || !h) return std::nullopt;
  return WindowSize{*w, *h};
}

}  // namespace cunbo::ui
