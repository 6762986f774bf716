// Product pictures for the cards: fetched within limits (image_fetch), kept on disk and in
// memory (image_cache), decoded and fitted to RGBA at the card's size (image_decode), all on
// one worker thread so the UI never waits. A picture that is missing, too big or broken
// becomes a placeholder tile (image_placeholder); the reason goes to the log ("[images] ..."),
// never to the host.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// The loader's users also fetch, decode and draw placeholders: the whole picture API comes
// with this header.
#include "client/platform/image_cache.h"
#include "client/platform/image_decode.h"
#include "client/platform/image_fetch.h"
#include "client/platform/image_limits.h"
#include "client/platform/image_placeholder.h"

namespace cunbo {

struct ImageLoaderOptions {
  std::filesystem::path cache_dir = image_cache_dir();
  ImageLimits limits;
  size_t memory_cache_bytes = size_t{48} << 20;  // decoded images kept, least recently used go first
};

// The worker ("images"). request() never blocks; the callback always runs on the worker
// thread, even for a picture already in memory (hand the image over to the UI thread, do not
// draw from there). Requests for the same URL and size while one is queued share its result.
// Requests made before start() wait for it. Pending requests are dropped at stop: their
// callbacks are not called (a future's get() then throws broken_promise).
// Thread-safety: start() and join() from the owner; request() and request_stop() from any
// thread.
class ImageLoader {
 public:
  using Callback = std::function<void(const RgbaImage&)>;

  explicit ImageLoader(ImageLoaderOptions options = {});  // starts no thread
  ~ImageLoader();  // request_stop() + join()
  ImageLoader(const ImageLoader&) = delete;
  ImageLoader& operator=(const ImageLoader&) = delete;

  void start();  // the worker thread; a second call does nothing
  void request_stop();  // non-blocking; aborts a download in progress
  void join();

  void request(const std::string& url, int box_w, int box_h, Callback callback);
  [[nodiscard]] std::future<RgbaImage> request(const std::string& url, int box_w, int box_h);

  // For tests and the log: how many times the network (or file) was actually read.
  [[nodiscard]] int downloads() const { return downloads_.load(); }

 private:
  struct Job {
    ImageKey key;
    std::vector<Callback> callbacks;
  };

  void run();
  RgbaImage load(const ImageKey& key);

  ImageLoaderOptions options_;
  std::atomic<bool> stop_{false};
  std::atomic<int> downloads_{0};
  ImageFetcher fetcher_;     // fetch() on the worker thread; request_stop() wakes it
  ImageDiskCache disk_;      // worker thread only
  ImageMemoryCache memory_;  // worker thread only

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // guarded by mutex_; one job per distinct key

  std::thread worker_;
};

}  // namespace cunbo
