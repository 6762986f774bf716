#include "ui/window/studio_window.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <vector>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <spdlog/spdlog.h>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"
#include "ui/window/comments_panel.h"
#include "ui/window/control_bar.h"
#include "ui/window/display_check.h"
#include "ui/window/first_start_guide.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/imgui_guard.h"
#include "ui/window/mic_meter.h"
#include "ui/window/order_chime.h"
#include "ui/window/orders_panel.h"
#include "ui/window/preview_panel.h"
#include "ui/window/products_panel.h"
#include "ui/window/screenshot.h"
#include "ui/window/settings_panel.h"
#include "ui/window/studio_panel.h"
#include "ui/window/summary_dialog.h"
#include "ui/window/top_bar.h"
#include "ui/window/window_layout.h"

namespace cunbo::ui {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWidth = 1280;
constexpr int kHeight = 800;
constexpr auto kFramePeriod = std::chrono::microseconds(33'333);  // ~30 fps
constexpr auto kQuitTimeout = std::chrono::seconds(60);           // finalising a recording

struct WindowDeleter {
  void operator()(SDL_Window* w) const noexcept { SDL_DestroyWindow(w); }
};
struct RendererDeleter {
  void operator()(SDL_Renderer* r) const noexcept { SDL_DestroyRenderer(r); }
};

// Peak resident memory (VmHWM) in MB, from /proc.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}

// "150:F12,160:Return" → (150, F12), (160, Return). Unknown keys are skipped.
std::vector<std::pair<int64_t, SDL_Keycode>> parse_keys(const std::string& text) {
  std::vector<std::pair<int64_t, SDL_Keycode>> keys;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    const size_t colon = item.find(':');
    if (colon == std::string::npos) continue;
    const SDL_Keycode key = SDL_GetKeyFromName(item.substr(colon + 1).c_str());
    if (key == SDLK_UNKNOWN) continue;
    keys.emplace_back(std::atoll(item.c_str()), key);
  }
  return keys;
}

class StudioWindow {
 public:
  StudioWindow(Studio& studio, const WindowFlags& flags);
  ~StudioWindow();
  StudioWindow(const StudioWindow&) = delete;
  StudioWindow& operator=(const StudioWindow&) = delete;

  [[nodiscard]] bool ok() const { return renderer_ != nullptr; }
  int run();

 private:
  void handle_events(const StudioSnapshot& snap);
  void handle_key(const SDL_Keysym& key, bool repeat, const StudioSnapshot& snap);
  void handle_signals();
  void upload_fonts();
  void swap_fonts();  // a new atlas from FontSet::swap_in_ready(): upload it, free the old one
  void prepare_dialogs(const StudioSnapshot& snap);  // settings, guide: made, opened, glyphs noted
  void build_frame(const StudioSnapshot& snap);  // one ImGui frame, ends with ImGui::Render()
  void draw_banners(const UiFrame& frame, const Layout& l);
  void request_quit(const StudioSnapshot& snap);
  bool take_screenshot();
  void print_stats() const;

  Studio& studio_;
  WindowFlags flags_;
  std::unique_ptr<SDL_Window, WindowDeleter> window_;
  std::unique_ptr<SDL_Renderer, RendererDeleter> renderer_;
  FontSet fonts_;
  ImGuiContext* context_ = nullptr;

  TopBar top_bar_;
  PreviewPanel preview_;
  ControlBar controls_;
  MicMeter mic_;
  CommentsPanel comments_;
  ProductsPanel products_;
  OrdersPanel orders_;
  SummaryDialog summary_;
  std::unique_ptr<SettingsPanel> settings_;  // made at the first 设置
  std::unique_ptr<FirstStartGuide> guide_;   // made on first start
  std::string dialog_text_;  // what the open dialogs will draw (for the atlas)
  OrderChime chime_;
  Language title_language_;  // the window title's

  int64_t frame_ = 0;
  bool quit_ = false;                // leave the loop now
  bool quitting_ = false;            // leave once the session has ended
  bool ended_for_quit_ = false;      // end_live() called for the quit
  Clock::time_point quit_deadline_{};
  bool screenshot_taken_ = false;
  bool settings_requested_ = false;  // open the settings in the next frame
  uint64_t orders_heard_ = 0;
  bool orders_initialised_ = false;
  std::vector<std::pair<int64_t, SDL_Keycode>> scripted_keys_;  // --keys, in frame order
  bool present_pending_ = false;  // --present
  std::vector<double> frame_ms_;
  int atlas_builds_ = 0;
  double atlas_build_ms_ = 0;
};

StudioWindow::StudioWindow(Studio& studio, const WindowFlags& flags)
    : studio_(studio),
      flags_(flags),
      fonts_(studio_font_specs()),
      chime_(OrderChime::default_path()),
      title_language_(current_language()) {
  const bool headless = flags_.screenshot.has_value();
  window_.reset(SDL_CreateWindow(tr("win.window_title").c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, kWidth,
                                 kHeight, headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE));
  if (!window_) {
    spdlog::error("[window] SDL_CreateWindow: {}", SDL_GetError());
    return;
  }
  SDL_SetWindowMinimumSize(window_.get(), 1024, 640);
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
  spdlog::info("[window] renderer {} ({})", info.name ? info.name : "?",
               (info.flags & SDL_RENDERER_ACCELERATED) ? "accelerated" : "software");

  // A power-of-two atlas height: the software renderer turns each glyph's UVs back into texel
  // rows (uv * height); with 1/height inexact in binary a row can be truncated away, and thin
  // glyphs (一, –) vanish.
  fonts_.atlas().Flags &= ~ImFontAtlasFlags_NoPowerOfTwoHeight;
  fonts_.ensure_glyphs(kCommonHanzi);
  context_ = create_imgui_context(&fonts_.atlas());
  {
    const ImGuiContextGuard guard(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed: nothing to remember
    io.LogFilename = nullptr;
    apply_studio_style(ImGui::GetStyle());
    ImGui_ImplSDL2_InitForSDLRenderer(window_.get());
    ImGui_ImplSDLRenderer_Init(renderer_.get());
  }
  upload_fonts();
}

StudioWindow::~StudioWindow() {
  settings_.reset();
  guide_.reset();
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
  fonts_.build();
  {
    const ImGuiContextGuard guard(context_);
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
  fonts_.release_pixels();
  ++atlas_builds_;
  atlas_build_ms_ += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void StudioWindow::swap_fonts() {
  const Clock::time_point start = Clock::now();
  {
    // The frame drawn with the old atlas has been rendered: its texture and the atlas can go.
    const ImGuiContextGuard guard(context_);
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui::GetIO().Fonts = &fonts_.atlas();  // shared, not owned by the context
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
  fonts_.release_pixels();
  fonts_.release_retired();
  ++atlas_builds_;
  atlas_build_ms_ += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void StudioWindow::handle_signals() {
  // Blocked in every thread (stop_signals::block in main): taken here, synchronously.
  while (const std::optional<int> sig = stop_signals::wait(std::chrono::milliseconds(0))) {
    if (*sig == SIGUSR1) {
      studio_.reconnect_now();
    } else {
      spdlog::info("[window] signal {}: ending and closing", *sig);
      quitting_ = true;
      quit_deadline_ = Clock::now() + kQuitTimeout;
    }
  }
}

void StudioWindow::request_quit(const StudioSnapshot& snap) {
  if (snap.state == StudioState::idle) {
    quit_ = true;
  } else {
    // Closing while live: ask first, like the button (the answer quits once saved).
    controls_.press_main(studio_, snap, /*then_quit=*/true);
  }
}

void StudioWindow::handle_key(const SDL_Keysym& key, bool repeat, const StudioSnapshot& snap) {
  const SDL_Keycode k = key.sym;
  const bool enter = k == SDLK_RETURN || k == SDLK_KP_ENTER;
  if (summary_.showing()) {
    if (enter || k == SDLK_ESCAPE) summary_.close();
    return;
  }
  if (controls_.confirming()) {
    if (enter && !repeat) controls_.confirm(studio_);
    if (k == SDLK_ESCAPE) controls_.cancel();
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

void StudioWindow::draw_banners(const UiFrame& f, const Layout& l) {
  const StudioSnapshot& snap = f.snapshot;
  float y = l.preview.y + 10;
  auto banner = [&](const char* id, const std::string& message, ImU32 fill, ImU32 ink, const std::string& button_label,
                    bool& pressed) {
    const float w = l.preview.w - 40;
    ImGui::SetNextWindowPos(ImVec2(l.preview.x + 20, y));
    ImGui::SetNextWindowSize(ImVec2(w, 0));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, fill);
    ImGui::PushStyleColor(ImGuiCol_Border, ink);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(16, 12));
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    ImGui::PopStyleVar();
    const float bw = text_size(f, button_label, FontRole::bold).x + 2 * ImGui::GetStyle().FramePadding.x;
    text_wrapped(f, message, FontRole::body, ink, w - bw - 60);
    ImGui::SameLine(w - bw - 16);
    pressed = button(f, button_label + "##" + id, ImVec2(bw, 0), FontRole::bold);
    y += ImGui::GetWindowHeight() + 8;
    ImGui::End();
    ImGui::PopStyleColor(2);
  };
  if (snap.message) {
    bool ok = false;
    banner("##message", *snap.message, IM_COL32(0xFE, 0xF3, 0xC7, 0xFF), IM_COL32(0x78, 0x35, 0x0F, 0xFF),
           tr("win.message_ok"), ok);
    if (ok) studio_.dismiss_message();
  }
}

void StudioWindow::prepare_dialogs(const StudioSnapshot& snap) {
  if (settings_requested_) {
    settings_requested_ = false;
    if (!settings_)
      settings_ = std::make_unique<SettingsPanel>([this] { return studio_.config(); },
                                                  [this](const Config& c) { return studio_.save_config(c); },
                                                  studio_.devices());
    settings_->show();
  }
  if (snap.needs_setup && !guide_)
    guide_ = std::make_unique<FirstStartGuide>([this] { return studio_.config(); },
                                               [this](const Config& c) { return studio_.save_config(c); },
                                               [this](GuideResult r) { studio_.set_practice(r.practice); },
                                               studio_.probe(), studio_.devices());
  // Their text goes into the atlas before the frame that draws it.
  dialog_text_.clear();
  if (settings_ && settings_->is_open()) settings_->collect_text(dialog_text_);
  if (guide_ && snap.needs_setup && guide_->is_open()) guide_->collect_text(dialog_text_);
  if (!dialog_text_.empty()) fonts_.ensure_glyphs(dialog_text_);
}

void StudioWindow::build_frame(const StudioSnapshot& snap) {
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  if (ImFont* body = fonts_.font(static_cast<size_t>(FontRole::body))) ImGui::PushFont(body);

  const UiFrame f{studio_, snap, fonts_, renderer_.get()};
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const Layout l = layout_for(display.x, display.y, snap.destinations.size());

  top_bar_.draw_at(f, l.top);
  preview_.draw_at(f, l.preview);
  controls_.draw_at(f, l.controls);
  mic_.draw_at(f, l.mic);
  comments_.draw_at(f, l.comments);
  products_.draw_at(f, l.products);
  orders_.draw_at(f, l.orders);
  draw_banners(f, l);

  if (top_bar_.take_settings_clicked()) settings_requested_ = true;
  if (top_bar_.take_language_changed() && !snap.needs_setup) {
    // Remembered for next time, once there is a config to remember it in (the first-start
    // guide writes the first one).
    Config config = studio_.config();
    config.language = current_language() == Language::en ? "en" : "zh-CN";
    if (auto error = studio_.save_config(config)) spdlog::warn("[window] language not saved: {}", *error);
  }
  // The settings and the guide are ImGui windows of their own: centred, sized to fit the studio window.
  const auto centre_next = [](float want_w, float want_h) {
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    const ImVec2 size(std::min(want_w, screen.x - 40.0f), std::min(want_h, screen.y - 40.0f));
    ImGui::SetNextWindowPos(ImVec2(screen.x * 0.5f, screen.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  };
  if (settings_ && settings_->is_open()) {
    centre_next(980, 780);
    settings_->draw();
  }
  if (guide_ && snap.needs_setup && guide_->is_open()) {
    centre_next(800, 540);
    guide_->draw();
  }
  summary_.draw_unframed(f);

  if (fonts_.font(static_cast<size_t>(FontRole::body))) ImGui::PopFont();
  ImGui::Render();
}

bool StudioWindow::take_screenshot() {
  int w = 0;
  int h = 0;
  SDL_GetRendererOutputSize(renderer_.get(), &w, &h);
  std::vector<uint8_t> rgb(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  if (SDL_RenderReadPixels(renderer_.get(), nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), w * 3) != 0) {
    spdlog::error("[window] SDL_RenderReadPixels: {}", SDL_GetError());
    return false;
  }
  if (auto error = write_png(*flags_.screenshot, rgb.data(), w, h, w * 3)) {
    spdlog::error("[window] screenshot: {}", *error);
    print_error(tr("err.output_unwritable", *flags_.screenshot));
    return false;
  }
  spdlog::info("[window] screenshot {} ({}x{}) at frame {}", *flags_.screenshot, w, h, frame_);
  return true;
}

void StudioWindow::print_stats() const {
  if (!flags_.frame_stats || frame_ms_.empty()) return;
  std::vector<double> sorted = frame_ms_;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  auto pct = [&](double p) { return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())))]; };
  std::fprintf(stderr,
               "ui-frames %zu mean-ms %.2f p50-ms %.2f p95-ms %.2f max-ms %.2f preview-frames %lld atlas-kb %zu "
               "glyphs %zu atlas-builds %d atlas-build-ms %.1f peak-rss-mb %.1f\n",
               sorted.size(), sum / static_cast<double>(sorted.size()), pct(0.5), pct(0.95), sorted.back(),
               static_cast<long long>(preview_.frames_shown()), fonts_.atlas_bytes() / 1024, fonts_.glyph_count(),
               atlas_builds_, atlas_build_ms_, peak_rss_mb());
}

int StudioWindow::run() {
  int status = exit_code::kOk;
  if (flags_.state && *flags_.state == "settings") settings_requested_ = true;
  present_pending_ = flags_.present > 0;
  if (flags_.keys) scripted_keys_ = parse_keys(*flags_.keys);
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
    if (frame_ % 30 == 0) {
      // What the config says changes only when saved: look once a second.
      const Config config = studio_.config();
      controls_.set_configured_destinations(config.destinations.size());
      top_bar_.set_platform_configured(config.api && config.token && !config.token->empty());
    }

    // New orders ring once per frame at most (and not for those already there at the start).
    if (!orders_initialised_) {
      orders_heard_ = snap.orders_seen;
      orders_initialised_ = true;
    } else if (snap.orders_seen > orders_heard_) {
      orders_heard_ = snap.orders_seen;
      if (!orders_.muted()) chime_.play();
    }

    // Textures first, outside the ImGui lock (the overlay thread may be rasterising).
    preview_.update(studio_, renderer_.get());
    products_.update(studio_.images(), snap, renderer_.get());

    {
      const ImGuiContextGuard guard(context_);
      // New glyphs are rasterised on a worker (FontSet::start_build): the atlas it produced
      // comes in here, between frames, before anything asks ImGui for a font; meanwhile new
      // characters draw as the fallback glyph for a frame or two.
      if (fonts_.swap_in_ready()) swap_fonts();
      prepare_dialogs(snap);
      build_frame(snap);
      const bool shot_frame = flags_.screenshot && !screenshot_taken_ && frame_ >= flags_.after_frames;
      // A screenshot never shows boxes: its frame waits for the glyphs and is drawn again.
      for (int retry = 0; shot_frame && retry < 2 && (fonts_.needs_build() || fonts_.building()); ++retry) {
        fonts_.start_build();
        fonts_.wait_for_build();
        if (fonts_.swap_in_ready()) swap_fonts();
        build_frame(snap);
      }
      fonts_.start_build();  // no-op unless this frame met new glyphs and no build is running
      SDL_SetRenderDrawColor(renderer_.get(), 0xEC, 0xEE, 0xF1, 0xFF);
      SDL_RenderClear(renderer_.get());
      ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    }
    if (flags_.screenshot && !screenshot_taken_ && frame_ >= flags_.after_frames) {
      screenshot_taken_ = true;
      if (!take_screenshot()) status = exit_code::kOutputFailed;
      quitting_ = true;
      quit_deadline_ = Clock::now() + kQuitTimeout;
    }
    SDL_RenderPresent(renderer_.get());
    frame_ms_.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());

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
  print_stats();
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
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return no_window(std::string("SDL_Init: ") + SDL_GetError());
  if (auto no_display = check_display_found(headless)) {
    SDL_Quit();
    return no_window(*no_display);
  }
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
    {
      StudioWindow window(studio, flags);
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
