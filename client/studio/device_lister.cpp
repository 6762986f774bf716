#include "client/studio/device_lister.h"

#include "media/thread_name.h"

namespace cunbo {

DeviceLister::DeviceLister(ListFn list) : list_(std::move(list)) {
  if (!list_) list_ = [] { return DeviceLists{list_cameras(), list_microphones()}; };
}

DeviceLister::~DeviceLister() = default;  // worker_ joins

void DeviceLister::refresh() {
  {
    const std::lock_guard lock(mutex_);
    if (listing_) return;
    listing_ = true;
  }
  // The previous worker has finished (listing_ was false): joining it is immediate.
  worker_ = std::jthread([this] {
    name_this_thread("devices");
    auto found = std::make_shared<const DeviceLists>(list_());
    const std::lock_guard lock(mutex_);
    lists_ = std::move(found);
    listing_ = false;
  });
}

bool DeviceLister::listing() const {
  const std::lock_guard lock(mutex_);
  return listing_;
}

std::shared_ptr<const DeviceLists> DeviceLister::lists() const {
  const std::lock_guard lock(mutex_);
  return lists_;
}

}  // namespace cunbo
