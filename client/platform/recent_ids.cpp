#include "client/platform/recent_ids.h"

namespace cunbo {

bool RecentIds::insert(std::string_view id) {
  if (set_.contains(id)) return false;
  if (order_.size() >= capacity_) {
    set_.erase(std::string_view(order_.front()));
    order_.pop_front();
  }
  order_.emplace_back(id);
  set_.insert(std::string_view(order_.back()));
  return true;
}

std::size_t RecentIds::approx_bytes() const {
  std::size_t bytes = set_.bucket_count() * sizeof(void*);
  // libstdc++: a hash node holds the next pointer, the value and the cached hash.
  bytes += set_.size() * (sizeof(void*) + sizeof(std::string_view) + sizeof(std::size_t));
  for (const auto& s : order_) {
    bytes += sizeof(std::string);
    if (s.capacity() > 15) bytes += s.capacity() + 1;  // beyond the small-string buffer
  }
  return bytes;
}

}  // namespace cunbo
