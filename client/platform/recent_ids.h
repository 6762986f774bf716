// The ids of the last N orders (or comments) delivered, to drop the platform's repeats: its
// streams are at-least-once (../shared/platform-api.md, "The same order may be delivered
// twice"). Bounded memory: once full, the oldest id is forgotten — a repeat arrives right
// after the original (the next poll, a retried page), never 10,000 items later.
// Not thread-safe: each poller owns its own.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace cunbo {

class RecentIds {
 public:
  static constexpr std::size_t kDefaultCapacity = 10'000;

  explicit RecentIds(std::size_t capacity = kDefaultCapacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  RecentIds(const RecentIds&) = delete;  // the set views into the deque's strings
  RecentIds& operator=(const RecentIds&) = delete;

  // True if `id` is new (and remembers it); false for a repeat.
  bool insert(std::string_view id);
  [[nodiscard]] bool contains(std::string_view id) const { return set_.contains(id); }
  [[nodiscard]] std::size_t size() const { return order_.size(); }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  // An estimate of the heap this takes (strings, deque slots, hash nodes and buckets).
  [[nodiscard]] std::size_t approx_bytes() const;

 private:
  std::size_t capacity_;
  // Oldest first. A deque never moves its elements on push_back/pop_front, so the views in
  // set_ (into these strings, SSO buffers included) stay valid until their string is popped.
  std::deque<std::string> order_;
  std::unordered_set<std::string_view> set_;
};

}  // namespace cunbo
