// The studio window: `cunbo` with no sub-command. One SDL window with an SDL_Renderer
// (accelerated where there is one, software otherwise) and one Dear ImGui context, drawing the
// panels over the Studio model (client/studio/studio.h): it reads a snapshot each frame and turns
// clicks and keys into calls on the model. The loop runs on the main thread at up to ~30 fps
// without VSync; it never waits for the media pipeline (the preview takes the latest frame).
//
// The window opens on the display's usable area (maximised on a screen up to 1366x768) at the
// display's scale (ui/window/window_fit.h); the layout reflows down to 1280x720 and below, each
// panel scrolling what does not fit.
//
// Shortcuts (ignored while a text field has the keyboard):
//   F12          开始直播; while live: 结束直播 (asks first)
//   Enter / Esc  answer the "end?" question (yes / no); close the summary
//   F1–F9        present product 1–9 on the stream; Esc hides the card
//   PgUp / PgDn  present the previous / next product
// While a dialog is up (设置, the first-start guide, the "end?" question, the summary) only its
// own keys work (Esc closes 设置 without saving); the studio's keys do nothing.
// Signals: SIGINT / SIGTERM end a live session (the recording is finalised) and close the
// window; SIGUSR1 reconnects every waiting destination now.
//
// Thread-safety: everything here runs on the UI (main) thread. Every ImGui call is made under
// ImGuiContextGuard (the stream overlay draws with ImGui on another thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/config/config.h"
#include "client/studio/studio.h"
#include "ui/window/panel.h"

namespace cunbo::ui {

// The command line of `cunbo` without a sub-command.
struct WindowFlags {
  std::optional<std::string> video;
  std::optional<std::string> audio;
  bool practice = false;            // start with 练习模式 on
  std::optional<std::string> lang;  // en / zh-CN: overrides the config's language
  // Headless rendering for docs and tests: SDL's dummy video driver and software renderer,
  // `after_frames` frames at the window's pace, then the window as a PNG (1280x800, or
  // `window_size` "WxH"), and exit 0. CUNBO_UI_SCALE=1.5 draws it as at 150 %.
  std::optional<std::string> screenshot;
  int after_frames = 30;
  std::optional<std::string> window_size;  // "1366x768": the window's size instead of the display's
  // Hidden test hooks.
  int go_live_after_frames = -1;  // press the big button at this frame (a live screenshot)
  int present = 0;                // press F<present> as soon as the products are there
  // Keys pressed at given frames, through the same path as the keyboard: "150:F12,160:Return"
  // (F1–F12, Return, Escape, PageUp, PageDown).
  std::optional<std::string> keys;
  std::optional<std::string> state;  // "settings": open the settings at the start
  std::optional<uint64_t> practice_seed;
  std::optional<double> practice_orders_per_minute;
  bool frame_stats = false;  // print UI frame times and peak memory at exit (tests/bench)
};

// Builds the Studio from `options` (its config, sources and practice settings taken from
// `flags` and `config`), opens the window and runs it until the host closes it (or the
// screenshot is taken). Returns the process exit status.
// The 设置 button opens ui/settings_panel.h; on first start (no config file) ui/first_start_guide.h
// shows over the window until it saves a config.
[[nodiscard]] int run_studio_window(const WindowFlags& flags, const Config& config, StudioOptions options);

}  // namespace cunbo::ui
