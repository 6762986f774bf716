#include "ui/overlay/showcase_painter.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "client/session/showcase.h"
#include "media/overlay_layer.h"
#include "media/overlay_slot.h"
#include "media/thread_name.h"
#include "ui/overlay/overlay_painter_factory.h"
#include "ui/overlay/overlay_scene.h"

namespace cunbo::ui {

namespace {

// Without a change to wait for, the thread still looks again now and then (cheap).
constexpr int64_t kIdleRecheckUs = 10'000'000;

}  // namespace

OverlayPainterFactory overlay_painter_factory() {
  return [](const OverlayTarget& target) { return std::make_unique<ShowcasePainter>(target); };
}

ShowcasePainter::ShowcasePainter(const OverlayTarget& target) : target_(target) {}

ShowcasePainter::~ShowcasePainter() {
  request_stop();
  join();
}

void ShowcasePainter::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    name_this_thread("painter");
    run(stop);
  });
}

void ShowcasePainter::request_stop() { thread_.request_stop(); }

void ShowcasePainter::join() {
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const RgbaImage> ShowcasePainter::picture(const std::string& url, int box) {
  {
    const std::lock_guard lock(wanted_->mutex);
    if (url == wanted_->url) return wanted_->image;
    wanted_->url = url;
    wanted_->image.reset();
  }
  if (!target_.images) return nullptr;  // no loader: the card shows the tile once its wait is over
  // On the loader's thread: kept if it is still the one wanted; the painter is woken through
  // the showcase (which outlives every session's painter).
  target_.images->request(url, box, box, [wanted = wanted_, url, showcase = &target_.showcase](const RgbaImage& image) {
    {
      const std::lock_guard lock(wanted->mutex);
      if (url != wanted->url) return;
      wanted->image = std::make_shared<const RgbaImage>(image);
    }
    showcase->touch();
  });
  return nullptr;
}

void ShowcasePainter::run(std::stop_token stop) {
  // The scene (its ImGui context, fonts and SDL renderer) lives on this thread.
  OverlayScene scene(target_.width, target_.height);
  // The camera-lost slate, drawn once: the video thread shows it when the camera goes away.
  if (target_.slate) {
    const RgbaLayer slate = scene.render_slate();
    target_.slate->publish(std::make_shared<OverlayLayer>(slate.width, slate.height, std::span<const uint8_t>(slate.rgba),
                                                          slate.regions, target_.colorspace));
  }
  RgbaLayer raster;  // reused: the published layer keeps its own converted copy
  bool drawn_any = false;
  uint64_t drawn_version = 0;
  float drawn_progress = -1;
  const RgbaImage* drawn_picture = nullptr;
  bool drawn_card = false;
  std::string card_url;
  int64_t picture_deadline_us = 0;
  const std::string* prepared_vocabulary = nullptr;
  std::shared_ptr<const std::string> vocabulary;  // keeps prepared_vocabulary alive
  int64_t total_us = 0;
  int64_t slowest_us = 0;

  while (!stop.stop_requested()) {
    const int64_t now = target_.clock.now_us();
    const ShowcaseView view = target_.showcase.view(now);
    if (view.vocabulary && view.vocabulary.get() != prepared_vocabulary) {
      vocabulary = view.vocabulary;
      prepared_vocabulary = vocabulary.get();
      scene.warm_up(*vocabulary);
    }

    std::shared_ptr<const RgbaImage> card_picture;
    bool card_ready = view.card.has_value();
    if (view.card && !view.card->image_url.empty()) {
      if (view.card->image_url != card_url) {
        card_url = view.card->image_url;
        picture_deadline_us = now + kPictureWaitUs;
      }
      card_picture = picture(card_url, scene.image_box());
      card_ready = card_picture || now >= picture_deadline_us;
    }

    const float progress = view.banner ? view.banner->progress : 0.0f;
    const bool same = drawn_any && view.version == drawn_version && progress == drawn_progress &&
                      card_picture.get() == drawn_picture && card_ready == drawn_card;
    if (!same) {
      OverlayContent content;
      if (card_ready) {
        content.card = view.card;
        content.card_image = card_picture;
      }
      if (view.banner) {
        content.banner_text = view.banner->text;
        content.banner_progress = view.banner->progress;
      }
      content.watermark = view.watermark;
      content.placement = view.placement;

      if (!content.card && content.banner_text.empty() && content.watermark.empty()) {
        target_.slot.publish(nullptr);  // nothing on the picture: frames pass through untouched
      } else {
        const auto started = std::chrono::steady_clock::now();
        scene.render(content, raster);
        auto layer = std::make_shared<OverlayLayer>(raster.width, raster.height, std::span<const uint8_t>(raster.rgba),
                                                    raster.regions, target_.colorspace);
        layer->set_version(static_cast<uint64_t>(renders_.load() + 1));
        target_.slot.publish(std::move(layer));
        const int64_t took = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
        total_us += took;
        slowest_us = std::max(slowest_us, took);
        renders_.fetch_add(1);
      }
      drawn_any = true;
      drawn_version = view.version;
      drawn_progress = progress;
      drawn_picture = card_picture.get();
      drawn_card = card_ready;
    }

    int64_t wake_us = std::min(view.next_change_us, now + kIdleRecheckUs);
    if (view.card && !card_ready) wake_us = std::min(wake_us, picture_deadline_us);
    target_.showcase.wait_for_change(view.version, target_.clock.at_us(wake_us), stop);
  }
  const int64_t n = renders_.load();
  spdlog::info("[overlay] {} layers drawn, {:.2f} ms on average, slowest {:.2f} ms (raster + conversion)", n,
               n ? static_cast<double>(total_us) / static_cast<double>(n) / 1000.0 : 0.0,
               static_cast<double>(slowest_us) / 1000.0);
}

}  // namespace cunbo::ui
