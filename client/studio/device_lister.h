// The cameras and microphones on this machine (media/device_list.h), listed on a worker thread
// ("devices"): a sound server may take seconds to answer, and the window never waits for it.
// The studio owns one; its settings panel and first-start guide read it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "media/device_list.h"

namespace cunbo {

struct DeviceLists {
  std::vector<Camera> cameras;
  std::vector<Microphone> microphones;
};

// Lists the devices on its own thread, started by refresh(). Thread-safe; the destructor waits
// for a listing under way.
class DeviceLister {
 public:
  using ListFn = std::function<DeviceLists()>;
  // `list` runs on the worker (tests give a fake); by default list_cameras / list_microphones.
  explicit DeviceLister(ListFn list = {});
  ~DeviceLister();
  DeviceLister(const DeviceLister&) = delete;
  DeviceLister& operator=(const DeviceLister&) = delete;

  // Starts a listing unless one is under way.
  void refresh();
  // Whether a listing is under way.
  [[nodiscard]] bool listing() const;
  // The last finished listing; null before the first one ends.
  [[nodiscard]] std::shared_ptr<const DeviceLists> lists() const;

 private:
  ListFn list_;
  mutable std::mutex mutex_;
  std::shared_ptr<const DeviceLists> lists_;  // guarded by mutex_
  bool listing_ = false;                      // guarded by mutex_
  std::jthread worker_;                       // last: joined before the rest goes
};

}  // namespace cunbo
