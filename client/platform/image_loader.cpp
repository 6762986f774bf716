#include "client/platform/image_loader.h"

#include <memory>
#include <utility>
#include <variant>

#include <spdlog/spdlog.h>

#include "media/thread_name.h"

namespace cunbo {

namespace {

const char* what_went_wrong(ImageError::Code code) {
  switch (code) {
    case ImageError::Code::unreachable: return "unreachable";
    case ImageError::Code::too_large: return "too large";
    case ImageError::Code::too_many_pixels: return "too many pixels";
    case ImageError::Code::unsupported: return "not JPEG/PNG/WebP";
    case ImageError::Code::broken: return "broken";
    case ImageError::Code::stopped: return "stopped";
  }
  return "?";
}

}  // namespace

ImageLoader::ImageLoader(ImageLoaderOptions options)
    : options_(std::move(options)),
      fetcher_(options_.limits, [this] { return stop_.load(); }),
      disk_(options_.cache_dir, options_.limits),
      memory_(options_.memory_cache_bytes) {}

ImageLoader::~ImageLoader() {
  request_stop();
  join();
}

void ImageLoader::start() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] { run(); });
}

void ImageLoader::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  fetcher_.wake();  // a download in progress ends now, not at its next progress tick
}

void ImageLoader::join() {
  if (worker_.joinable()) worker_.join();
}

void ImageLoader::request(const std::string& url, int box_w, int box_h, Callback callback) {
  ImageKey key{url, box_w, box_h};
  std::unique_lock lock(mutex_);
  if (stop_) return;
  for (Job& job : queue_) {
    if (job.key == key) {
      job.callbacks.push_back(std::move(callback));
      return;
    }
  }
  queue_.push_back(Job{std::move(key), {std::move(callback)}});
  lock.unlock();
  wake_.notify_one();
}

std::future<RgbaImage> ImageLoader::request(const std::string& url, int box_w, int box_h) {
  auto promise = std::make_shared<std::promise<RgbaImage>>();
  std::future<RgbaImage> future = promise->get_future();
  request(url, box_w, box_h, [promise](const RgbaImage& image) { promise->set_value(image); });
  return future;
}

void ImageLoader::run() {
  name_this_thread("images");
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    const RgbaImage image = load(job.key);
    if (stop_) return;
    for (const Callback& callback : job.callbacks) callback(image);
  }
}

RgbaImage ImageLoader::load(const ImageKey& key) {
  if (auto kept = memory_.find(key)) return std::move(*kept);
  const std::string& url = key.url;
  if (auto kept = disk_.read(url)) {
    auto decoded = decode_image(*kept, key.box_w, key.box_h, options_.limits);
    if (auto* image = std::get_if<RgbaImage>(&decoded)) {
      memory_.remember(key, *image);
      return std::move(*image);
    }
    spdlog::warn("[images] the cached copy of {} is unusable; downloading again", loggable_image_url(url));
    disk_.forget(url);
  }

  ++downloads_;
  auto fetched = fetcher_.fetch(url);
  std::variant<RgbaImage, ImageError> decoded = ImageError{};
  if (auto* err = std::get_if<ImageError>(&fetched)) {
    decoded = *err;
  } else {
    const auto& bytes = std::get<std::vector<uint8_t>>(fetched);
    decoded = decode_image(bytes, key.box_w, key.box_h, options_.limits);
    if (std::holds_alternative<RgbaImage>(decoded)) disk_.keep(url, bytes);  // only pictures that decode
  }
  if (auto* image = std::get_if<RgbaImage>(&decoded)) {
    memory_.remember(key, *image);
    return std::move(*image);
  }
  const ImageError& err = std::get<ImageError>(decoded);
  if (err.code == ImageError::Code::stopped) return make_placeholder(key.box_w, key.box_h);
  spdlog::warn("[images] {}: {} ({}); showing a placeholder", loggable_image_url(url), what_went_wrong(err.code),
               err.detail);
  RgbaImage placeholder = make_placeholder(key.box_w, key.box_h);
  // An unreachable picture is tried again next time; one that is broken stays broken.
  if (err.code != ImageError::Code::unreachable) memory_.remember(key, placeholder);
  return placeholder;
}

}  // namespace cunbo
