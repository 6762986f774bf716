#include "client/platform/practice_simulator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <limits>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

#include "client/base/paths.h"
#include "client/base/strings.h"
#include "client/platform/platform_json.h"
#include "media/session_clock.h"
#include "media/thread_name.h"

namespace cunbo {
namespace {

constexpr int64_t kMaxLateUs = 60'000'000;       // older events are dropped, not flooded
constexpr int64_t kMaxWaitUs = 1'000'000;        // the thread re-reads the clock at least this often
constexpr uintmax_t kMaxCatalogBytes = 4 << 20;  // a catalog is a few KiB
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// Family names for masked buyers and viewers ("张**"): the platform never shows more.
constexpr std::array<std::string_view, 24> kFamilyNames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    "马", "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "唐"};

// Comments about a product; "{}" is its short name.
constexpr std::array<std::string_view, 12> kProductComments = {
    "{}好吃吗？",         "{}怎么发货？",       "已拍{}，什么时候到？", "主播再讲讲{}",
    "{}能放多久？",       "{}是今年新的吗？",   "上次买的{}很好吃",     "{}有没有大一点的规格？",
    "{}包邮吗？",         "给我妈也拍了一份{}", "{}是产地直发吗？",     "{}还有库存吗？"};

constexpr std::array<std::string_view, 12> kGeneralComments = {
    "主播好！",     "从哪里发货？",   "来了来了",         "老家的味道",
    "支持农户！",   "声音有点小",     "画面很清楚",       "什么时候发货？",
    "能开发票吗？", "已关注",         "下次直播是什么时候？", "大家都拍了吗？"};

// Order quantities: mostly one or two, sometimes more (cumulative weights out of 100).
constexpr std::array<int, 5> kQuantityCumulative = {45, 72, 86, 94, 100};

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// mt19937_64's output is fixed by the standard; the standard distributions are not, so the
// sequence is the same with any standard library.
size_t below(std::mt19937_64& rng, size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); }

// The name a viewer would use: the title up to the first space ("沾化冬枣 2.5kg" → "沾化冬枣").
std::string short_name(const std::string& title) {
  const size_t space = title.find(' ');
  return space == std::string::npos ? title : title.substr(0, space);
}

std::string fill(std::string_view pattern, const std::string& name) {
  std::string out(pattern);
  const size_t at = out.find("{}");
  if (at != std::string::npos) out.replace(at, 2, name);
  return out;
}

std::string masked_name(std::mt19937_64& rng) {
  return std::string(kFamilyNames[below(rng, kFamilyNames.size())]) + "**";
}

std::string sequence_id(const char* prefix, uint64_t n) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%s%06llu", prefix, static_cast<unsigned long long>(n));
  return buf.data();
}

// file:// URL for an absolute path, percent-encoding all but unreserved characters, '/' and
// ':' (a Windows drive: file:///C:/Users/…).
std::string file_url(const std::filesystem::path& path) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  const std::u8string generic = path.generic_u8string();
  std::string out = generic.starts_with(u8"/") ? "file://" : "file:///";
  for (const char8_t c8 : generic) {
    const char c = static_cast<char>(c8);
    const auto uc = static_cast<unsigned char>(c);
    const bool plain = (uc >= 'A' && uc <= 'Z') || (uc >= 'a' && uc <= 'z') || (uc >= '0' && uc <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[uc >> 4];
      out += kHex[uc & 0xF];
    }
  }
  return out;
}

}  // namespace

std::variant<std::vector<Product>, std::string> load_practice_catalog(const std::filesystem::path& path,
                                                                      std::vector<std::string>* skipped) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    spdlog::warn("[feed] cannot read the catalog {}: {}", path.string(), ec.message());
    return tr(std::filesystem::exists(path) ? "catalog.unreadable" : "catalog.not_found", path.string());
  }
  if (size > kMaxCatalogBytes) return tr("catalog.too_large", path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return tr("catalog.unreadable", path.string());
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  std::vector<std::string> reasons;
  auto page = parse_products(body, reasons);
  if (skipped != nullptr) skipped->insert(skipped->end(), reasons.begin(), reasons.end());
  if (!page) return tr("catalog.not_products", path.string());
  if (page->products.empty()) return tr("catalog.empty", path.string());

  const auto folder = std::filesystem::absolute(path, ec).parent_path();
  for (Product& p : page->products) {
    if (!p.image_url.empty() && p.image_url.find("://") == std::string::npos) {
      p.image_url = file_url((folder / p.image_url).lexically_normal());
    }
  }
  return std::move(page->products);
}

PracticeSimulator::PracticeSimulator(std::vector<Product> catalog, PracticeSimulatorOptions options)
    : catalog_(std::move(catalog)),
      options_(std::move(options)),
      now_us_(options_.now_us ? options_.now_us : steady_now_us) {
  // Two independent random streams, so orders do not depend on how comments interleave.
  orders_.rng.seed(options_.seed * 2 + 1);
  comments_.rng.seed(options_.seed * 2 + 2);
  orders_.interval_us = options_.orders_per_minute > 0 ? 60e6 / options_.orders_per_minute : 0;
  comments_.interval_us = options_.comments_per_minute > 0 ? 60e6 / options_.comments_per_minute : 0;
}

PracticeSimulator::~PracticeSimulator() {
  request_stop();
  join();
}

void PracticeSimulator::begin(Listener listener) {
  // step_mutex_ first: the opening events go out before any order.
  std::lock_guard step_lock(step_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    listener_ = std::move(listener);
    start_us_ = now_us_();
    wall_epoch_us_ = options_.wall_epoch_us != 0 ? options_.wall_epoch_us : wall_now_us();
    schedule(orders_);
    schedule(comments_);
  }
  if (!listener_) return;
  FeedStatus online;
  online.state = FeedState::online;
  online.detail = "practice";
  listener_(FeedStateChanged{online});
  listener_(ProductsUpdated{catalog_, false});
}

void PracticeSimulator::start(Listener listener) {
  begin(std::move(listener));
  std::lock_guard lock(mutex_);
  if (!thread_.joinable() && !stop_requested_) thread_ = std::thread([this] {
    name_this_thread("practice feed");
    run();
  });
}

void PracticeSimulator::start_stepped(Listener listener) { begin(std::move(listener)); }

void PracticeSimulator::request_stop() {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  wake_.notify_all();
}

void PracticeSimulator::join() {
  if (thread_.joinable()) thread_.join();
}

// Event k of a stream is due at (k + 0.5 + j) intervals after the start, j uniform in
// [-0.45, 0.45]: irregular like real viewers, yet never more than one event off the set rate
// over any stretch of time, and always in order (consecutive events ≥ 0.1 interval apart).
void PracticeSimulator::schedule(Stream& s) const {
  if (s.interval_us <= 0) {
    s.next_due_us = kNever;
    return;
  }
  const double jitter = (uniform01(s.rng) - 0.5) * 0.9;
  const double offset = (static_cast<double>(s.next_index) + 0.5 + jitter) * s.interval_us;
  s.next_due_us = offset >= 9e18 ? kNever : start_us_ + static_cast<int64_t>(offset);
}

int64_t PracticeSimulator::next_due_locked() const { return std::min(orders_.next_due_us, comments_.next_due_us); }

void PracticeSimulator::step(int64_t now_us) {
  std::lock_guard step_lock(step_mutex_);
  std::vector<FeedEvent> events;
  {
    std::lock_guard lock(mutex_);
    if (!started_) return;
    for (;;) {
      // Orders first on a tie; kNever never compares due.
      const bool order_next = orders_.next_due_us <= comments_.next_due_us;
      Stream& s = order_next ? orders_ : comments_;
      const int64_t due = s.next_due_us;
      if (due == kNever || due > now_us) break;
      const bool late = now_us - due > kMaxLateUs;
      if (order_next) {
        Order order = make_order(due);
        if (!late) events.emplace_back(NewOrder{std::move(order)});
      } else {
        Comment comment = make_comment(due);
        if (!late) events.emplace_back(NewComment{std::move(comment)});
      }
      ++s.next_index;
      schedule(s);
    }
  }
  if (!listener_) return;
  for (const FeedEvent& e : events) listener_(e);
}

void PracticeSimulator::run() {
  std::unique_lock lock(mutex_);
  while (!stop_requested_) {
    const int64_t now = now_us_();
    const int64_t due = next_due_locked();
    if (due > now) {
      const int64_t wait = std::min(due - now, kMaxWaitUs);
      wake_.wait_for(lock, std::chrono::microseconds(wait), [this] { return stop_requested_; });
      continue;
    }
    lock.unlock();
    step(now);
    lock.lock();
  }
  lock.unlock();
  if (listener_) {
    FeedStatus stopped;
    stopped.state = FeedState::stopped;
    stopped.detail = "practice";
    listener_(FeedStateChanged{stopped});
  }
}

// The presented product with probability presented_share, else one of the others uniformly.
// Always draws twice, so the sequence does not shift when the presented product changes.
size_t PracticeSimulator::pick_product(std::mt19937_64& rng) const {
  const double u = uniform01(rng);
  const uint64_t r = rng();
  const size_t n = catalog_.size();
  if (n <= 1) return 0;
  if (presented_ == kNone) return static_cast<size_t>(r % n);
  if (u < options_.presented_share) return presented_;
  const size_t k = static_cast<size_t>(r % (n - 1));
  return k < presented_ ? k : k + 1;
}

Order PracticeSimulator::make_order(int64_t due_us) {
  std::mt19937_64& rng = orders_.rng;
  Order o;
  o.id = sequence_id("po-", orders_.next_index + 1);
  o.buyer = masked_name(rng);
  const size_t roll = below(rng, 100);
  o.quantity = 1;
  while (o.quantity < 5 && static_cast<int>(roll) >= kQuantityCumulative[static_cast<size_t>(o.quantity - 1)]) {
    ++o.quantity;
  }
  if (!catalog_.empty()) {
    const Product& p = catalog_[pick_product(rng)];
    o.product_id = p.id;
    o.amount_cents = p.price_cents * o.quantity;
    o.currency = p.currency;
  }
  o.created_at = timestamp(due_us);
  return o;
}

Comment PracticeSimulator::make_comment(int64_t due_us) {
  std::mt19937_64& rng = comments_.rng;
  Comment c;
  c.id = sequence_id("pm-", comments_.next_index + 1);
  c.user = masked_name(rng);
  const bool about_product = uniform01(rng) < 0.55 && !catalog_.empty();
  const size_t product = pick_product(rng);
  const size_t pattern = below(rng, kProductComments.size());
  if (about_product) {
    c.text = fill(kProductComments[pattern], short_name(catalog_[product].title));
  } else {
    c.text = std::string(kGeneralComments[pattern % kGeneralComments.size()]);
  }
  c.created_at = timestamp(due_us);
  return c;
}

// RFC 3339 in UTC with milliseconds, e.g. 2026-11-29T00:01:02.345Z.
std::string PracticeSimulator::timestamp(int64_t due_us) const {
  const int64_t wall_us = wall_epoch_us_ + (due_us - start_us_);
  const auto seconds = static_cast<std::time_t>(wall_us / 1'000'000);
  const auto millis = static_cast<int>((wall_us % 1'000'000) / 1000);
  std::tm tm{};
  if (!utc_time(seconds, tm)) return {};
  std::array<char, 40> buf{};
  const size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf.data() + n, buf.size() - n, ".%03dZ", millis < 0 ? 0 : millis);
  return buf.data();
}

std::vector<Product> PracticeSimulator::products() const { return catalog_; }

FeedStatus PracticeSimulator::status() const {
  FeedStatus s;
  std::lock_guard lock(mutex_);
  s.state = stop_requested_ ? FeedState::stopped : FeedState::online;
  s.detail = "practice";
  return s;
}

std::variant<LiveSession, FeedError> PracticeSimulator::start_session(const std::string& /*title*/,
                                                                      const std::vector<std::string>& /*ids*/) {
  std::lock_guard lock(mutex_);
  LiveSession session;
  session.session_id = sequence_id("practice-", ++sessions_);
  return session;
}

void PracticeSimulator::showcase(const std::string& product_id) {
  const auto it = std::find_if(catalog_.begin(), catalog_.end(), [&](const Product& p) { return p.id == product_id; });
  std::lock_guard lock(mutex_);
  presented_ = it == catalog_.end() ? kNone : static_cast<size_t>(it - catalog_.begin());
}

}  // namespace cunbo
