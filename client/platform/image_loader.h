// Product pictures for the cards: downloaded (libcurl, with limits), kept on disk under
// $XDG_CACHE_HOME/cunbo/images keyed by URL, decoded (libavcodec: JPEG, PNG, WebP) and scaled
// (libswscale) to RGBA at the card's size, all on one worker thread so the UI never waits.
// A picture that is missing, too big or broken becomes a placeholder tile; the reason goes to
// the log ("[images] ..."), never to the host.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

#include "media/image_fit.h"  // RgbaImage

namespace cunbo {

struct ImageLimits {
  size_t max_bytes = size_t{5} << 20;                 // a larger download is aborted
  int max_dimension = 4096;                           // wider or taller: refused before decoding
  std::chrono::milliseconds timeout{10'000};          // the whole download
  std::chrono::milliseconds connect_timeout{5'000};
};

struct ImageError {
  enum class Code {
    unreachable,      // the download failed (network, HTTP error, missing file, timeout)
    too_large,        // more than max_bytes
    too_many_pixels,  // wider or taller than max_dimension
    unsupported,      // not JPEG, PNG or WebP
    broken,           // says it is one of them but does not decode
    stopped,          // the loader is shutting down
  };
  Code code = Code::broken;
  std::string detail;
};

// The dimensions a JPEG, PNG or WebP header declares (read without decoding), or nullopt
// when the bytes are none of these or too short to tell.
struct ImageHeader {
  enum class Format { jpeg, png, webp };
  Format format = Format::jpeg;
  int width = 0;
  int height = 0;
};
[[nodiscard]] std::optional<ImageHeader> probe_image_header(std::span<const uint8_t> bytes);

// Fetches `url` (http, https or file; a plain path is a local file) within `limits`. TLS is
// verified and the system proxy variables are honoured (libcurl's defaults). `stop` aborts it.
[[nodiscard]] std::variant<std::vector<uint8_t>, ImageError> fetch_image_bytes(
    const std::string& url, const ImageLimits& limits, const std::atomic<bool>* stop = nullptr);

// Decodes and scales to fit inside box_w x box_h, keeping the aspect. The header is checked
// against limits.max_dimension before anything is decoded. Pure; any thread.
[[nodiscard]] std::variant<RgbaImage, ImageError> decode_image(std::span<const uint8_t> bytes, int box_w, int box_h,
                                                              const ImageLimits& limits = {});

// The neutral tile shown instead of a picture: a light rounded square with a simple
// mountain-and-sun pattern, exactly box_w x box_h.
[[nodiscard]] RgbaImage make_placeholder(int box_w, int box_h);

// $XDG_CACHE_HOME/cunbo/images, else ~/.cache/cunbo/images.
[[nodiscard]] std::filesystem::path image_cache_dir();
// The disk-cache file name for a URL: the hex SHA-256 of the URL.
[[nodiscard]] std::string image_cache_key(std::string_view url);

struct ImageLoaderOptions {
  std::filesystem::path cache_dir = image_cache_dir();
  ImageLimits limits;
  size_t memory_cache_bytes = size_t{48} << 20;  // decoded images kept, least recently used go first
};

// The worker. request() never blocks; the callback always runs on the worker thread, even
// for a picture already in memory (hand the image over to the UI thread, do not draw from
// there). Requests for the same URL and size while one is queued share its result. Pending requests are dropped at
// stop: their callbacks are not called (a future's get() then throws broken_promise).
// Thread-safe.
class ImageLoader {
 public:
  using Callback = std::function<void(const RgbaImage&)>;

  explicit ImageLoader(ImageLoaderOptions options = {});
  ~ImageLoader();  // request_stop() + join()
  ImageLoader(const ImageLoader&) = delete;
  ImageLoader& operator=(const ImageLoader&) = delete;

  void request(const std::string& url, int box_w, int box_h, Callback callback);
  [[nodiscard]] std::future<RgbaImage> request(const std::string& url, int box_w, int box_h);

  void start() {}       // (the worker starts in the constructor until the loader is split up)
  void request_stop();  // non-blocking; aborts a download in progress
  void join();

  // For tests and the log: how many times the network (or file) was actually read.
  [[nodiscard]] int downloads() const { return downloads_.load(); }

 private:
  using Key = std::tuple<std::string, int, int>;
  struct Job {
    Key key;
    std::vector<Callback> callbacks;
  };

  void run();
  RgbaImage load(const std::string& url, int box_w, int box_h);
  void remember(const Key& key, const RgbaImage& image);

  ImageLoaderOptions options_;
  std::atomic<bool> stop_{false};
  std::atomic<int> downloads_{0};

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // guarded by mutex_; one job per distinct key
  // Memory cache, guarded by mutex_: most recently used at the front of lru_.
  std::list<std::pair<Key, RgbaImage>> lru_;
  std::map<Key, std::list<std::pair<Key, RgbaImage>>::iterator> by_key_;
  size_t cached_bytes_ = 0;

  std::thread worker_;  // started last
};

}  // namespace cunbo
