#include "ui/window/studio_window.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <vector>

#include <SDL.h>
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <spdlog/spdlog.h>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"
#include "media/thread_priority.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/imgui_guard.h"
#include "ui/window/comments_panel.h"
#include "ui/window/control_bar.h"
#include "ui/window/display_check.h"
#include "ui/window/frame_stats.h"
#include "ui/window/key_script.h"
#include "ui/window/message_banner.h"
#include "ui/window/mic_meter.h"
#include "ui/window/order_chime.h"
#include "ui/window/orders_panel.h"
#include "ui/window/preview_panel.h"
#include "ui/window/products_panel.h"
#include "ui/window/redraw_gate.h"
#include "ui/window/screenshot.h"
#include "ui/window/sdl_display.h"
#include "ui/window/studio_panel.h"
#include "ui/window/studio_sheets.h"
#include "ui/window/summary_dialog.h"
#include "ui/window/top_bar.h"
#include "ui/window/window_layout.h"

namespace cunbo::ui {

namespace {

using Clock = std::chrono::steady_clock;

constexpr WindowSize kScreenshotSize{1280, 800};  // screenshots without --window-size
constexpr auto kFramePeriod = std::chrono::microseconds(33'333);  // ~30 fps
constexpr auto kQuitTimeout = std::chrono::seconds(60);           // finalising a recording

struct WindowDeleter {
  void operator()(SDL_Window* w) const noexcept { SDL_DestroyWindow(w); }
};
struct RendererDeleter {
  void operator()(SDL_Renderer* r) const noexcept { SDL_DestroyRenderer(r); }
};

class StudioWindow {
 public:
  StudioWindow(Studio& studio, const WindowFlags& flags, const DisplayArea& display, const WindowPlan& plan);
  ~StudioWindow();
  StudioWindow(const StudioWindow&) = delete;
  StudioWindow& operator=(const StudioWindow&) = delete;

  [[nodiscard]] bool ok() const { return renderer_ != nullptr && fonts_ != nullptr; }
  int run();

 private:
  void open_window(const DisplayArea& display, const WindowPlan& plan);
  void handle_events(const StudioSnapshot& snap);
  void handle_key(const SDL_Keysym& key, bool repeat, const StudioSnapshot& snap);
  void handle_signals();
  void upload_fonts();
  void swap_fonts();  // a new atlas from FontSet::swap_in_ready(): upload it, free the old one
  void new_imgui_frame();
  void build_frame(const StudioSnapshot& snap);  // one ImGui frame, ends with ImGui::Render()
  void draw_sheets(const StudioSnapshot& snap);
  [[nodiscard]] bool sheet_open(const StudioSnapshot& snap) const;
  void request_quit(const StudioSnapshot& snap);
  bool take_screenshot();

  Studio& studio_;
  WindowFlags flags_;
  std::unique_ptr<SDL_Window, WindowDeleter> window_;
  std::unique_ptr<SDL_Renderer, RendererDeleter> renderer_;
  float pixel_ratio_ = 1;  // renderer pixels per window coordinate: ImGui works in pixels
  float scale_ = 1;        // the UI scale (window_fit.h)
  std::unique_ptr<FontSet> fonts_;
  ImGuiContext* context_ = nullptr;

  TopBar top_bar_;
  PreviewPanel preview_;
  ControlBar controls_;
  MicMeter mic_;
  CommentsPanel comments_;
  ProductsPanel products_;
  OrdersPanel orders_;
  SummaryDialog summary_;
  StudioSheets sheets_{studio_};  // 设置 and the first-start guide
  OrderChime chime_;
  OrderChime alert_;      // the stream reaches nobody
  bool alarmed_ = false;  // the alert played for the current off-air stretch
  RedrawGate redraw_;
  ImVec4 preview_rect_{0, 0, 0, 0};  // where the camera picture is (x0, y0, x1, y1), for the redraw

  int64_t frame_ = 0;
  bool quit_ = false;                // leave the loop now
  bool quitting_ = false;            // leave once the session has ended
  bool ended_for_quit_ = false;      // end_live() called for the quit
  Clock::time_point quit_deadline_{};
  bool screenshot_taken_ = false;
  uint64_t orders_heard_ = 0;
  bool orders_initialised_ = false;
  std::vector<std::pair<int64_t, SDL_Keycode>> scripted_keys_;  // --keys, in frame order
  bool present_pending_ = false;  // --present
  FrameStats stats_;
  FrameStatsExtra stats_extra_;
  std::vector<DrawnText> drawn_;  // the texts of the last frame, when a screenshot is to be taken
};

StudioWindow::StudioWindow(Studio& studio, const WindowFlags& flags, const DisplayArea& display,
                           const WindowPlan& plan)
    : studio_(studio), flags_(flags), chime_(OrderChime::default_path()),
      alert_(OrderChime::alert_path()) {
  open_window(display, plan);
  if (!renderer_) return;
  pixel_ratio_ = pixel_ratio(window_.get(), renderer_.get());
  const char* forced = std::getenv("CUNBO_UI_SCALE");
  // The room the scale may use: the usable area, or the window itself when its size was given.
  const bool sized = flags_.screenshot || flags_.window_size;
  const WindowSize room{static_cast<int>(static_cast<float>(sized ? plan.w : display.w) * pixel_ratio_),
                        static_cast<int>(static_cast<float>(sized ? plan.h : display.h) * pixel_ratio_)};
  scale_ = choose_ui_scale(display.dpi, pixel_ratio_, room, forced ? forced : "");
  spdlog::info("[window] {}x{}, {} renderer pixels per point, UI scale {:.2f}", plan.w, plan.h, pixel_ratio_, scale_);

  fonts_ = std::make_unique<FontSet>(studio_font_specs(scale_));
  // A power-of-two atlas height: the software renderer turns each glyph's UVs back into texel
  // rows (uv * height); with 1/height inexact in binary a row can be truncated away, and thin
  // glyphs (一, –) vanish.
  fonts_->atlas().Flags &= ~ImFontAtlasFlags_NoPowerOfTwoHeight;
  fonts_->ensure_glyphs(kCommonHanzi);
  context_ = create_imgui_context(&fonts_->atlas());
  {
    const ImGuiContextGuard guard(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed: nothing to remember
    io.LogFilename = nullptr;
    apply_studio_style(ImGui::GetStyle(), scale_);
    ImGui_ImplSDL2_InitForSDLRenderer(window_.get());
    ImGui_ImplSDLRenderer_Init(renderer_.get());
  }
  upload_fonts();
}

void StudioWindow::open_window(const DisplayArea& display, const WindowPlan& plan) {
  const bool headless = flags_.screenshot.has_value();
  Uint32 window_flags = headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE;
  if (plan.maximised && !headless) window_flags |= SDL_WINDOW_MAXIMIZED;
  window_.reset(
      SDL_CreateWindow(tr("win.window_title").c_str(), plan.x, plan.y, plan.w, plan.h, window_flags));
  if (!window_) {
    spdlog::error("[window] SDL_CreateWindow: {}", SDL_GetError());
    return;
  }
  SDL_SetWindowMinimumSize(window_.get(), kMinimumSize.w, kMinimumSize.h);
  if (!headless && !flags_.window_size) keep_frame_inside(window_.get(), display);
  // Accelerated where there is a GPU, the software renderer otherwise (and always for
  // screenshots, so that they come out the same everywhere). No VSync: the loop paces itself.
  if (!headless) renderer_.reset(SDL_CreateRenderer(window_.get(), -1, SDL_RENDERER_ACCELERATED));
  if (!renderer_) renderer_.reset(SDL_CreateRenderer(window_.get(), -1, SDL_RENDERER_SOFTWARE));
  if (!renderer_) {
    spdlog::error("[window] SDL_CreateRenderer: {}", SDL_GetError());
    return;
  }
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_.get(), &info);
  const bool software = (info.flags & SDL_RENDERER_SOFTWARE) != 0;
  redraw_.set_backbuffer_kept(software);
  spdlog::info("[window] renderer {} ({})", info.name ? info.name : "?", software ? "software" : "accelerated");
}

StudioWindow::~StudioWindow() {
  sheets_.reset();
  if (context_) {
    {
      const ImGuiContextGuard guard(context_);
      ImGui_ImplSDLRenderer_Shutdown();
      ImGui_ImplSDL2_Shutdown();
    }
    destroy_imgui_context(context_);
  }
}

void StudioWindow::upload_fonts() {
  const Clock::time_point start = Clock::now();
  fonts_->build();
  {
    const ImGuiContextGuard guard(context_);
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
  fonts_->release_pixels();
  ++stats_extra_.atlas_builds;
  stats_extra_.atlas_build_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void StudioWindow::swap_fonts() {
  const Clock::time_point start = Clock::now();
  {
    // The frame drawn with the old atlas has been rendered: its texture and the atlas can go.
    const ImGuiContextGuard guard(context_);
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui::GetIO().Fonts = &fonts_->atlas();  // shared, not owned by the context
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
  fonts_->release_pixels();
  fonts_->release_retired();
  ++stats_extra_.atlas_builds;
  stats_extra_.atlas_build_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void StudioWindow::handle_signals() {
  // Blocked in every thread (stop_signals::block in main): taken here, synchronously.
  while (const auto sig = stop_signals::wait(std::chrono::milliseconds(0))) {
    if (sig->request == stop_signals::Request::reconnect_now) {
      studio_.reconnect_now();
    } else {
      spdlog::info("[window] {}: ending and closing", sig->name);
      quitting_ = true;
      quit_deadline_ = Clock::now() + kQuitTimeout;
    }
  }
}

bool StudioWindow::sheet_open(const StudioSnapshot& snap) const {
  return sheets_.open(snap);
}

void StudioWindow::request_quit(const StudioSnapshot& snap) {
  if (snap.state == StudioState::idle) {
    quit_ = true;
  } else {
    // Closing while live: ask first, like the button (the answer quits once saved). The
    // question is a dialog of its own: 设置 goes first, unsaved.
    sheets_.cancel_settings();
    controls_.press_main(studio_, snap, /*then_quit=*/true);
  }
}

void StudioWindow::handle_key(const SDL_Keysym& key, bool repeat, const StudioSnapshot& snap) {
  const SDL_Keycode k = key.sym;
  const bool enter = k == SDLK_RETURN || k == SDLK_KP_ENTER;
  // A dialog takes the keyboard: its own keys work, the studio's do nothing.
  if (summary_.showing()) {
    if (enter || k == SDLK_ESCAPE) summary_.close();
    return;
  }
  if (controls_.confirming()) {
    if (enter && !repeat) controls_.confirm(studio_);
    if (k == SDLK_ESCAPE) controls_.cancel();
    return;
  }
  if (sheet_open(snap)) {
    if (k == SDLK_ESCAPE) sheets_.cancel_settings();
    return;
  }
  if (k == SDLK_F12 && !repeat) {
    controls_.press_main(studio_, snap);
  } else if (k >= SDLK_F1 && k <= SDLK_F9) {
    const auto i = static_cast<size_t>(k - SDLK_F1);
    if (i < snap.products.size()) studio_.present(snap.products[i].id);
  } else if (k == SDLK_ESCAPE) {
    studio_.hide_product();
  } else if (k == SDLK_PAGEUP) {
    studio_.step_product(-1);
  } else if (k == SDLK_PAGEDOWN) {
    studio_.step_product(1);
  }
}

void StudioWindow::handle_events(const StudioSnapshot& snap) {
  SDL_Event event;
  const ImGuiContextGuard guard(context_);
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    switch (event.type) {
      case SDL_QUIT:
        request_quit(snap);
        break;
      case SDL_WINDOWEVENT:
        if (event.window.event == SDL_WINDOWEVENT_CLOSE && event.window.windowID == SDL_GetWindowID(window_.get())) {
          request_quit(snap);
        }
        if (event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || event.window.event == SDL_WINDOWEVENT_EXPOSED ||
            event.window.event == SDL_WINDOWEVENT_RESTORED) {
          redraw_.invalidate();  // the picture on screen is gone or the wrong size
        }
        break;
      case SDL_KEYDOWN:
        // A text field (settings) has the keyboard: the keys are its own.
        if (!ImGui::GetIO().WantTextInput) handle_key(event.key.keysym, event.key.repeat != 0, snap);
        break;
      default:
        break;
    }
  }
}

void StudioWindow::new_imgui_frame() {
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  if (pixel_ratio_ != 1.0f) {
    // ImGui works in renderer pixels (crisp text where the system scales windows): the backend
    // gave it window coordinates.
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(io.DisplaySize.x * pixel_ratio_, io.DisplaySize.y * pixel_ratio_);
    io.DisplayFramebufferScale = ImVec2(1, 1);
    if (io.MousePos.x > -FLT_MAX) io.MousePos = ImVec2(io.MousePos.x * pixel_ratio_, io.MousePos.y * pixel_ratio_);
  }
  ImGui::NewFrame();
}

void StudioWindow::build_frame(const StudioSnapshot& snap) {
  new_imgui_frame();
  if (ImFont* body = fonts_->font(static_cast<size_t>(FontRole::body))) ImGui::PushFont(body);

  drawn_.clear();
  const UiFrame f{studio_, snap, *fonts_, renderer_.get(), scale_, flags_.screenshot ? &drawn_ : nullptr};
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const Layout l = layout_for(display.x, display.y, snap.destinations.size(), scale_);
  preview_rect_ = ImVec4(l.preview.x, l.preview.y, l.preview.x + l.preview.w, l.preview.y + l.preview.h);

  top_bar_.draw_at(f, l.top);
  preview_.draw_at(f, l.preview);
  controls_.draw_at(f, l.controls);
  mic_.draw_at(f, l.mic);
  comments_.draw_at(f, l.comments);
  products_.draw_at(f, l.products);
  orders_.draw_at(f, l.orders);
  draw_message_banner(f, l.preview);

  if (top_bar_.take_settings_clicked()) sheets_.request_settings();
  if (top_bar_.take_language_changed() && !snap.needs_setup) {
    // Remembered for next time, once there is a config to remember it in (the first-start
    // guide writes the first one).
    Config config = studio_.config();
    config.language = current_language() == Language::en ? "en" : "zh-CN";
    if (auto error = studio_.save_config(config)) spdlog::warn("[window] language not saved: {}", *error);
  }
  draw_sheets(snap);
  // One modal at a time (ImGui would swap one for the other): the summary waits for a sheet.
  if (!sheet_open(snap)) summary_.draw_unframed(f);

  if (fonts_->font(static_cast<size_t>(FontRole::body))) ImGui::PopFont();
  ImGui::Render();
}

void StudioWindow::draw_sheets(const StudioSnapshot& snap) {
  sheets_.draw(snap,
               SheetLook{fonts_->font(static_cast<size_t>(FontRole::heading)),
                         fonts_->font(static_cast<size_t>(FontRole::bold)), scale_},
               scale_);
}

bool StudioWindow::take_screenshot() {
  if (auto error = save_screenshot(renderer_.get(), *flags_.screenshot)) {
    spdlog::error("[window] screenshot: {}", *error);
    print_error(tr("err.output_unwritable", *flags_.screenshot));
    return false;
  }
  // Beside it, the words it shows: one line per text, "x y w h #rrggbb text" in pixels.
  std::ofstream words(*flags_.screenshot + ".txt", std::ios::trunc);
  for (const DrawnText& t : drawn_)
    words << fmt::format("{:.0f} {:.0f} {:.0f} {:.0f} #{:02x}{:02x}{:02x} {}\n", t.x, t.y, t.w, t.h, t.color & 0xFF,
                         (t.color >> 8) & 0xFF, (t.color >> 16) & 0xFF, t.text);
  if (!words.flush()) {
    print_error(tr("err.output_unwritable", *flags_.screenshot + ".txt"));
    return false;
  }
  spdlog::info("[window] screenshot {} at frame {}", *flags_.screenshot, frame_);
  return true;
}

int StudioWindow::run() {
  int status = exit_code::kOk;
  if (flags_.state && *flags_.state == "settings") sheets_.request_settings();
  present_pending_ = flags_.present > 0;
  if (flags_.keys) scripted_keys_ = parse_key_script(*flags_.keys);
  Clock::time_point next = Clock::now();
  while (!quit_) {
    const Clock::time_point start = Clock::now();
    handle_signals();
    StudioSnapshot snap = studio_.snapshot();
    handle_events(snap);
    if (controls_.quit_confirmed() && !quitting_) {
      quitting_ = true;
      ended_for_quit_ = true;  // the confirmation already called end_live()
      quit_deadline_ = Clock::now() + kQuitTimeout;
    }
    if (frame_ == flags_.go_live_after_frames) controls_.press_main(studio_, snap);
    for (const auto& [at, key] : scripted_keys_) {
      if (at != frame_) continue;
      SDL_Keysym sym{};
      sym.sym = key;
      handle_key(sym, false, snap);
    }
    if (present_pending_ && static_cast<size_t>(flags_.present) <= snap.products.size()) {
      present_pending_ = false;
      studio_.present(snap.products[static_cast<size_t>(flags_.present) - 1].id);
    }

    // New orders ring once per frame at most (and not for those already there at the start).
    if (!orders_initialised_) {
      orders_heard_ = snap.orders_seen;
      orders_initialised_ = true;
    } else if (snap.orders_seen > orders_heard_) {
      orders_heard_ = snap.orders_seen;
      if (!orders_.muted()) chime_.play();
    }
    // The alarm sounds once per stretch off air (not muted with the orders: this one matters).
    if (snap.off_air_alarm && !alarmed_) {
      alert_.play();
      alarmed_ = true;
    } else if (!snap.off_air_alarm) {
      alarmed_ = false;
    }

    FramePhases phases;
    auto lap = [mark = Clock::now()](double& into) mutable {
      const Clock::time_point now = Clock::now();
      into += std::chrono::duration<double, std::milli>(now - mark).count();
      mark = now;
    };
    // Textures first, outside the ImGui lock (the overlay thread may be rasterising).
    const bool new_picture = preview_.update(studio_, renderer_.get());
    products_.update(studio_.images(), snap, renderer_.get(), scale_);
    lap(phases.upload);

    // A screenshot of the idle studio shows the camera's picture, not the moment before it
    // (up to 300 frames later: a camera that never delivers is shot as it is).
    const bool preview_coming =
        snap.state == StudioState::idle && (snap.camera_opening || (snap.previewing && !preview_.has_picture()));
    const bool shot_frame = flags_.screenshot && !screenshot_taken_ && frame_ >= flags_.after_frames &&
                            (!preview_coming || frame_ >= flags_.after_frames + 300);
    {
      const ImGuiContextGuard guard(context_);
      // New glyphs are rasterised on a worker (FontSet::start_build): the atlas it produced
      // comes in here, between frames, before anything asks ImGui for a font; meanwhile new
      // characters draw as the fallback glyph for a frame or two.
      if (fonts_->swap_in_ready()) {
        swap_fonts();
        redraw_.invalidate();
      }
      // The sheets' text goes into the atlas before the frame that draws it.
      if (const std::string& text = sheets_.prepare(snap); !text.empty()) fonts_->ensure_glyphs(text);
      build_frame(snap);
      // A screenshot never shows boxes: its frame waits for the glyphs and is drawn again.
      for (int retry = 0; shot_frame && retry < 2 && (fonts_->needs_build() || fonts_->building()); ++retry) {
        fonts_->start_build();
        fonts_->wait_for_build();
        if (fonts_->swap_in_ready()) swap_fonts();
        build_frame(snap);
        redraw_.invalidate();
      }
      fonts_->start_build();  // no-op unless this frame met new glyphs and no build is running
      lap(phases.build);
      if (redraw_.prepare(*ImGui::GetDrawData(), new_picture ? std::optional(preview_rect_) : std::nullopt)) {
        redraw_.render(renderer_.get(), *ImGui::GetDrawData(), colors::kBackground);
      } else {
        ++stats_extra_.frames_skipped;
      }
      lap(phases.raster);
    }
    if (shot_frame) {
      screenshot_taken_ = true;
      if (!take_screenshot()) status = exit_code::kOutputFailed;
      quitting_ = true;
      quit_deadline_ = Clock::now() + kQuitTimeout;
    }
    lap(phases.present);  // (the screenshot, when one is taken, counts here too)
    if (redraw_.take_present()) SDL_RenderPresent(renderer_.get());
    lap(phases.present);
    stats_.add(std::chrono::duration<double, std::milli>(Clock::now() - start).count(), phases);

    if (quitting_) {
      // Leave once the session has ended and its recording is saved.
      if (snap.state == StudioState::live && !ended_for_quit_) {
        studio_.end_live();
        ended_for_quit_ = true;
      }
      if (snap.state == StudioState::idle) quit_ = true;
      if (Clock::now() > quit_deadline_) {
        spdlog::warn("[window] the session did not end within {} s; closing anyway", kQuitTimeout.count());
        quit_ = true;
      }
    }
    ++frame_;
    next += kFramePeriod;
    const Clock::time_point now = Clock::now();
    if (next < now - kFramePeriod) next = now;  // fell behind (a stall): do not race to catch up
    std::this_thread::sleep_until(next);
  }
  if (flags_.frame_stats) {
    stats_extra_.preview_frames = preview_.frames_shown();
    stats_extra_.atlas_kb = fonts_->atlas_bytes() / 1024;
    stats_extra_.glyphs = fonts_->glyph_count();
    stats_.print(stats_extra_);
  }
  return status;
}

}  // namespace

int run_studio_window(const WindowFlags& flags, const Config& config, StudioOptions options) {
  if (flags.lang) set_language(*flags.lang == "en" ? Language::en : Language::zh_CN);
  const bool headless = flags.screenshot.has_value();
  auto no_window = [](const std::string& why) {  // quickly, in a plain sentence: never a window nobody sees
    spdlog::error("[window] {}", why);
    print_error(tr("win.err_no_display"));
    return exit_code::kFailure;
  };
  if (auto no_display = prepare_display(headless)) return no_window(*no_display);
  // Our own stop signals (client/base/stop_signals.h), not SDL's SIGINT → SDL_QUIT.
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  // Keep the desktop's compositor and screensaver as they are.
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  // Windows: real pixels and the display's real DPI (125 %, 150 %), which the window scales to
  // itself, instead of a blurry bitmap stretched by the system.
  SDL_SetHint(SDL_HINT_WINDOWS_DPI_AWARENESS, "permonitorv2");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return no_window(std::string("SDL_Init: ") + SDL_GetError());
  if (auto no_display = check_display_found(headless)) {
    SDL_Quit();
    return no_window(*no_display);
  }
  std::optional<WindowSize> size = flags.window_size ? parse_window_size(*flags.window_size) : std::nullopt;
  if (flags.screenshot && !size) size = kScreenshotSize;
  const DisplayArea display = query_display(0);
  const WindowPlan plan = plan_window(display, size);
  int status = exit_code::kOk;
  {
    options.config = config;
    options.config_path = config_path();
    if (flags.video) options.video_spec = flags.video;
    if (flags.audio) options.audio_spec = flags.audio;
    options.practice = options.practice || flags.practice;
    if (flags.practice_seed) options.practice_seed = flags.practice_seed;
    if (flags.practice_orders_per_minute) options.practice_orders_per_minute = flags.practice_orders_per_minute;
    // The window goes before the studio stops: ending a live session takes a while (the
    // recording is finalised), and the host should not stare at a frozen window.
    Studio studio(std::move(options));
    studio.start();
    // The engine's threads started at normal priority; the window and what it starts from here
    // on (the renderer's threads, font builds) give way to them when the CPU is short.
    yield_to_the_pipeline();
    {
      StudioWindow window(studio, flags, display, plan);
      if (!window.ok()) {
        print_error(tr("win.err_no_display"));
        status = exit_code::kFailure;
      } else {
        status = window.run();
      }
    }
    studio.request_stop();
    studio.join();
  }
  SDL_Quit();
  return status;
}

}  // namespace cunbo::ui
