#include "ui/window/preview_panel.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <SDL.h>
#include <spdlog/spdlog.h>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

void PreviewPanel::TextureDeleter::operator()(SDL_Texture* texture) const noexcept { SDL_DestroyTexture(texture); }

PreviewPanel::PreviewPanel() : StudioPanel("##preview") {}
PreviewPanel::~PreviewPanel() = default;

bool PreviewPanel::update(Studio& studio, SDL_Renderer* renderer) {
  int64_t capture_us = 0;
  const av::Frame frame = studio.latest_preview(&capture_us);
  if (!frame) {
    const bool had = has_picture_;
    has_picture_ = false;
    last_capture_us_ = -1;
    return had;
  }
  if (has_picture_ && capture_us == last_capture_us_) return false;  // nothing new: keep the texture
  const auto format = static_cast<AVPixelFormat>(frame->format);
  if (format != AV_PIX_FMT_YUV420P && format != AV_PIX_FMT_YUVJ420P) {
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) spdlog::warn("[window] preview frames are {}, not yuv420p: not shown", static_cast<int>(format));
    return false;
  }
  if (!texture_ || width_ != frame->width || height_ != frame->height) {
    texture_.reset(SDL_CreateTexture(renderer, SDL_PIXELFORMAT_IYUV, SDL_TEXTUREACCESS_STREAMING, frame->width,
                                     frame->height));
    if (!texture_) {
      spdlog::warn("[window] cannot create the preview texture ({}x{}): {}", frame->width, frame->height, SDL_GetError());
      return false;
    }
    // A downscaled picture reads better filtered where the renderer can (the software renderer
    // samples nearest-neighbour whatever this says).
    SDL_SetTextureScaleMode(texture_.get(), SDL_ScaleModeLinear);
    width_ = frame->width;
    height_ = frame->height;
  }
  if (SDL_UpdateYUVTexture(texture_.get(), nullptr, frame->data[0], frame->linesize[0], frame->data[1],
                           frame->linesize[1], frame->data[2], frame->linesize[2]) != 0) {
    return false;
  }
  has_picture_ = true;
  last_capture_us_ = capture_us;
  ++frames_shown_;
  return true;
}

void PreviewPanel::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  const ImVec2 min = ImGui::GetWindowPos();
  const ImVec2 size = ImGui::GetWindowSize();
  const ImVec2 max(min.x + size.x, min.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(min, max, IM_COL32(0x16, 0x1A, 0x20, 0xFF));

  const bool live = snap.state == StudioState::live;
  // Before going live the camera's picture as it would go out; while going live, the last of it.
  const bool idle_preview = (snap.state == StudioState::idle && snap.previewing) || snap.state == StudioState::starting;
  if (!(live || idle_preview) || !has_picture_ || width_ <= 0 || height_ <= 0) {
    draw_placeholder(min, max);
    return;
  }
  // What the host needs besides the picture: that they are on air (or practising), and that
  // this is what viewers see. The badges go around the picture, never over it, so that the
  // preview is exactly the viewers' picture: in the side bars when the letterboxed picture
  // leaves room there (a 9:16 picture), else in a strip above it.
  const bool practice = snap.practice;
  const std::string label = snap.state == StudioState::starting ? tr("win.state_starting")
                            : idle_preview                       ? tr("win.preview_badge_idle")
                            : practice                         ? tr("win.preview_badge_practice")
                            : snap.air == AirState::on_air     ? tr("win.preview_badge_live")
                            : snap.air == AirState::connecting ? tr("win.preview_badge_connecting")
                                                               : tr("win.preview_badge_off_air");
  // 镜像: the camera's picture is mirrored for the host (the video thread does it, the overlay
  // as viewers read it); the slate of a lost camera is not.
  const bool mirrored = snap.mirror_preview && !(snap.session && snap.session->camera_lost);
  const std::string hint = tr(mirrored ? "win.preview_mirrored" : "win.preview_viewers_see");
  const ImVec2 label_size = text_size(f, label, FontRole::bold);
  const ImVec2 hint_size = text_size(f, hint, FontRole::small);
  const ImVec2 badge(label_size.x + f.px(34), label_size.y + f.px(10));
  const ImVec2 hint_box(hint_size.x + f.px(10), hint_size.y + f.px(6));
  const float gap = f.px(8);
  const float aspect_w = static_cast<float>(width_);
  const float aspect_h = static_cast<float>(height_);
  const float full_scale = std::min(size.x / aspect_w, size.y / aspect_h);
  const float side = (size.x - aspect_w * full_scale) * 0.5f;
  const bool in_sides = side >= std::max(badge.x, hint_box.x) + 2 * gap;
  const float strip = in_sides ? 0.0f : std::max(badge.y, hint_box.y) + 2 * gap;
  const float scale = std::min(size.x / aspect_w, (size.y - strip) / aspect_h);
  const float w = std::floor(aspect_w * scale);
  const float h = std::floor(aspect_h * scale);
  const ImVec2 p0(std::floor(min.x + (size.x - w) * 0.5f), std::floor(min.y + strip + (size.y - strip - h) * 0.5f));
  const ImVec2 p1(p0.x + w, p0.y + h);
  dl->AddImage(texture_.get(), p0, p1);

  // Left of the picture (or above its left edge) the state; right of it (or above its right
  // edge) the hint. Both stay inside the panel.
  const float top = in_sides ? p0.y : min.y + gap;
  const float bx = in_sides ? p0.x - gap - badge.x : std::max(min.x + gap, p0.x);
  const ImVec2 b0(bx, top);
  const ImVec2 b1(b0.x + badge.x, b0.y + badge.y);
  const ImU32 fill = idle_preview                 ? colors::kMuted
                    : practice                     ? colors::kPractice
                    : snap.air == AirState::on_air ? colors::kLive
                                                   : colors::kWarn;
  dl->AddRectFilled(b0, b1, fill, f.px(6));
  dl->AddCircleFilled(ImVec2(b0.x + f.px(13), (b0.y + b1.y) * 0.5f), f.px(5), IM_COL32_WHITE, 12);
  text_at(f, ImVec2(b0.x + f.px(24), b0.y + f.px(5)), label, FontRole::bold, IM_COL32_WHITE);

  const float hx = in_sides ? p1.x + gap : std::min(max.x - gap, p1.x) - hint_box.x;
  const ImVec2 h0(hx, top + (in_sides ? 0.0f : (badge.y - hint_box.y) * 0.5f));
  dl->AddRectFilled(h0, ImVec2(h0.x + hint_box.x, h0.y + hint_box.y), IM_COL32(0xFF, 0xFF, 0xFF, 0x18), f.px(4));
  text_at(f, ImVec2(h0.x + f.px(5), h0.y + f.px(3)), hint, FontRole::small, IM_COL32(0xFF, 0xFF, 0xFF, 0xE0));
}

void PreviewPanel::draw_placeholder(ImVec2 min, ImVec2 max) {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // The drawing and its two lines are about 190 px tall at 100 %: a short preview shrinks them.
  const float s = std::min(f.scale, (max.y - min.y) / 190.0f);
  auto px = [s](float v) { return std::round(v * s); };
  const ImVec2 c((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f - px(30));

  // A simple camera drawing: calm, and it says "this is where your picture goes".
  const ImU32 ink = IM_COL32(0x5B, 0x65, 0x73, 0xFF);
  dl->AddRectFilled(ImVec2(c.x - px(46), c.y - px(30)), ImVec2(c.x + px(30), c.y + px(30)), ink, px(10));
  dl->AddTriangleFilled(ImVec2(c.x + px(34), c.y), ImVec2(c.x + px(58), c.y - px(22)), ImVec2(c.x + px(58), c.y + px(22)),
                        ink);
  dl->AddCircleFilled(ImVec2(c.x - px(8), c.y), px(17), IM_COL32(0x16, 0x1A, 0x20, 0xFF), 32);
  dl->AddCircleFilled(ImVec2(c.x - px(8), c.y), px(10), ink, 24);

  std::string title;
  std::string line;
  switch (snap.state) {
    case StudioState::starting:
      title = tr("win.preview_starting");
      line = tr("win.preview_starting_hint");
      break;
    case StudioState::ending:
      title = tr("win.preview_ending");
      line = tr("win.preview_ending_hint");
      break;
    case StudioState::live:
      title = tr("win.preview_waiting");
      line = tr("win.preview_waiting_hint");
      break;
    case StudioState::idle:
      if (!snap.camera_on) {
        title = tr("win.preview_camera_off");
        line = tr("win.preview_camera_off_hint");
      } else if (snap.camera_problem) {
        title = tr("win.preview_camera_problem");
        line = *snap.camera_problem;
      } else {
        title = tr("win.preview_idle");
        line = snap.practice ? tr("win.preview_idle_practice") : tr("win.preview_idle_hint");
      }
      break;
  }
  const ImVec2 ts = text_size(f, title, FontRole::heading);
  text_at(f, ImVec2(std::floor(c.x - ts.x * 0.5f), c.y + px(52)), title, FontRole::heading,
          IM_COL32(0xF3, 0xF4, 0xF6, 0xFF));
  const ImVec2 ls = text_size(f, line, FontRole::body);
  text_at(f, ImVec2(std::floor(c.x - ls.x * 0.5f), c.y + px(52) + ts.y + px(10)), line, FontRole::body,
          IM_COL32(0xB6, 0xBE, 0xC9, 0xFF));
}

}  // namespace cunbo::ui
