// `cunbo feed`: what the platform (or the practice simulator) says, one line per thing, for a
// host checking their login and for tests. The feed's threads only queue events; the main
// thread prints them and takes the stop signals, so output lines never interleave.
#include <cstring>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "client/base/files.h"
#include "client/base/money.h"
#include "client/cli/command_line.h"
#include "client/cli/commands.h"
#include "client/cli/typed_values.h"
#include "client/base/exit_codes.h"
#include "client/platform/feed_factory.h"
#include "client/platform/http_platform.h"
#include "client/platform/product_cache.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {

// Text from a server goes to a terminal: control characters (newlines, escape sequences)
// become spaces, so one thing stays one line and cannot drive the terminal.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

std::string money(int64_t cents, const std::string& currency) {
  return format_money(cents, currency == "CNY" ? currency : one_line(currency));
}

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);  // a pipe is block-buffered: whoever watches wants each line now
}

// The first line of the token file, without surrounding blanks; or the host's message.
std::variant<std::string, std::string> read_token_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    spdlog::warn("[feed] cannot read the token file {}: {}", path, std::strerror(errno));
    return std::variant<std::string, std::string>(std::in_place_index<1>, tr("err.token_file", path));
  }
  std::string line;
  std::getline(in, line);
  const size_t first = line.find_first_not_of(" \t\r");
  const size_t last = line.find_last_not_of(" \t\r");
  if (first == std::string::npos)
    return std::variant<std::string, std::string>(std::in_place_index<1>, tr("err.token_file_empty", path));
  return std::variant<std::string, std::string>(std::in_place_index<0>, line.substr(first, last - first + 1));
}

// Turns events into lines. Touched only by the main thread.
class FeedPrinter {
 public:
  // `platform`: the address of the platform, shown as it is reached; empty: the practice
  // simulator, which says it is one (and whose list is not kept on disk).
  explicit FeedPrinter(std::string platform) : platform_(std::move(platform)), keep_products_(!platform_.empty()) {}

  // Whether a product list (fresh or kept) was shown, or the platform is known unreachable.
  [[nodiscard]] bool products_settled() const { return products_seen_ || cached_shown_; }
  // Whether the feed was online at some point (the platform answered).
  [[nodiscard]] bool reached() const { return reached_; }
  // Before the feed starts: which platform it tries (the simulator says what it is once online).
  void announce() {
    if (keep_products_) print_news(tr("feed.connecting", platform_));
  }

  // Returns false once the feed asks the host to log in again: nothing more will come.
  bool print(const FeedEvent& event) {
    if (const auto* p = std::get_if<ProductsUpdated>(&event)) {
      if (p->cached) {
        if (!products_seen_ && !cached_shown_) print_products(p->products, tr("feed.products_cached", p->products.size()));
        cached_shown_ = true;
        return true;
      }
      products_seen_ = true;
      reached_ = true;
      print_line(tr("feed.products", p->products.size()));
      print_products(p->products, {});
      if (keep_products_) (void)save_products(product_cache_path(), p->products);
    } else if (const auto* o = std::get_if<NewOrder>(&event)) {
      const Order& order = o->order;
      const auto title = titles_.find(order.product_id);
      print_line(tr("feed.order", one_line(order.id), one_line(order.buyer),
                    one_line(title != titles_.end() ? title->second : order.product_id), order.quantity,
                    money(order.amount_cents, order.currency)));
    } else if (const auto* c = std::get_if<NewComment>(&event)) {
      print_line(tr("feed.comment", one_line(c->comment.user), one_line(c->comment.text)));
    } else if (const auto* s = std::get_if<FeedStateChanged>(&event)) {
      return print_state(s->status);
    }
    return true;
  }

 private:
  // Products, orders and comments each report their own failure: one line per news.
  void print_news(std::string line) {
    if (line != last_state_line_) print_line(line);
    last_state_line_ = std::move(line);
  }

  bool print_state(const FeedStatus& status) {
    spdlog::info("[feed] state {} {}", static_cast<int>(status.state), status.detail);
    switch (status.state) {
      case FeedState::connecting:
        if (keep_products_) print_news(tr("feed.connecting", platform_));
        break;
      case FeedState::online:
        reached_ = true;
        print_news(keep_products_ ? tr("feed.online", platform_) : tr("feed.practice_online"));
        break;
      case FeedState::offline_retrying:
        print_news(tr("feed.offline", (std::max<int64_t>(status.retry_in_ms, 0) + 999) / 1000));
        // Unreachable before any list came: show the one kept from last time, marked.
        if (!products_seen_ && !cached_shown_ && keep_products_) {
          cached_shown_ = true;
          if (auto cached = load_products(product_cache_path()))
            print_products(cached->products, tr("feed.products_cached", cached->products.size()));
        }
        break;
      case FeedState::login_required: print_line(tr("feed.login_required")); return false;
      case FeedState::stopped: break;  // ours: the command is ending
    }
    return true;
  }

  void print_products(const std::vector<Product>& products, const std::string& header) {
    if (!header.empty()) print_line(header);
    for (const Product& p : products) {
      titles_[p.id] = p.title;
      print_line(tr("feed.product", one_line(p.id), one_line(p.title), money(p.price_cents, p.currency),
                    p.stock ? std::to_string(*p.stock) : tr("feed.stock_unlimited")));
    }
  }

  const std::string platform_;
  const bool keep_products_;  // the platform's list is kept on disk; the simulator's is not
  bool products_seen_ = false;
  bool reached_ = false;
  bool cached_shown_ = false;
  std::string last_state_line_;
  std::map<std::string, std::string> titles_;  // product id → title, for order lines
};

// Filled by the feed's threads, emptied by the main thread.
class Inbox {
 public:
  void push(const FeedEvent& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  [[nodiscard]] std::vector<FeedEvent> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(events_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<FeedEvent> events_;
};

}  // namespace

CLI::App* add_feed_command(CLI::App& app, FeedFlags& flags, std::optional<std::string>& lang) {
  CLI::App* cmd = app.add_subcommand("feed", tr("cli.feed"));
  cmd->add_option("--api", flags.api, tr("cli.opt_api"))->type_name(tr("cli.type_url"));
  cmd->add_flag("--practice", flags.practice, tr("cli.opt_practice"));
  cmd->add_option("--token-file", flags.token_file, tr("cli.opt_token_file"))->type_name(tr("cli.type_file"));
  cmd->add_option("--duration", flags.duration, tr("cli.opt_feed_duration"))->type_name(tr("cli.type_seconds"));
  add_simulator_options(cmd, flags.simulator);
  add_lang_option(cmd, lang);
  return cmd;
}

int run_feed(const FeedFlags& flags, const Config& config) {
  for (const auto& [given, name] :
       {std::pair{flags.api.has_value(), "--api"}, std::pair{flags.token_file.has_value(), "--token-file"}}) {
    if (flags.practice && given) {
      print_error(tr("cli.err_conflict", "--practice", name));
      return exit_code::kUsage;
    }
  }
  std::optional<double> duration;
  if (flags.duration) {
    duration = parse_positive(*flags.duration, 1e9);
    if (!duration) {
      print_error(tr("err.bad_duration", *flags.duration));
      return exit_code::kUsage;
    }
  }

  std::unique_ptr<PlatformFeed> feed;
  std::string platform;  // its address; empty: the simulator
  if (flags.practice) {
    PracticeFeedSettings settings;
    if (auto wrong = apply_simulator_flags(settings, flags.simulator)) {
      print_error(*wrong);
      return exit_code::kUsage;
    }
    auto made = make_practice_feed(settings);
    if (auto* error = std::get_if<std::string>(&made)) {
      print_error(*error);
      return exit_code::kUsage;
    }
    feed = std::move(std::get<std::unique_ptr<PlatformFeed>>(made));
  } else {
    const std::optional<std::string> api = flags.api ? flags.api : config.api;
    if (!api) {
      print_error(tr("err.feed_source"));
      return exit_code::kUsage;
    }
    if (auto problem = HttpPlatform::base_url_problem(*api)) {
      print_error(tr(*problem, one_line(*api)));
      return exit_code::kUsage;
    }
    std::string token;
    if (flags.token_file) {
      auto read = read_token_file(*flags.token_file);
      if (read.index() == 1) {
        print_error(std::get<1>(read));
        return exit_code::kUsage;
      }
      token = std::get<0>(read);
      if (readable_by_others(*flags.token_file))
        std::fprintf(stderr, "%s\n", readable_by_others_warning(*flags.token_file).c_str());
    } else if (config.token) {
      token = *config.token;
      if (config.readable_by_others)
        std::fprintf(stderr, "%s\n", readable_by_others_warning(config_path()).c_str());
    }
    if (token.empty()) {  // every call would be refused: say so now rather than poll in vain
      print_error(tr("feed.no_token"));
      return exit_code::kUsage;
    }
    spdlog::info("[feed] platform {} ({})", *api, token.empty() ? "no token" : "with a token");
    feed = make_http_feed(HttpFeedSettings{*api, std::move(token), flags.version});
    platform = one_line(*api);
  }

  Inbox inbox;
  FeedPrinter printer(platform);
  printer.announce();
  feed->start([&inbox](const FeedEvent& event) { inbox.push(event); });

  // Shutdown order: stop the feed (wakes its waits), join its threads, then print what they
  // queued before they ended.
  using Clock = std::chrono::steady_clock;
  const auto deadline = duration ? Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(*duration * 1000))
                                 : Clock::time_point::max();
  int result = exit_code::kOk;
  bool duration_ran_out = false;
  // Orders and comments can overtake the product list: they wait for it (titles in order lines
  // come from it), but not for ever.
  const auto hold_until = Clock::now() + std::chrono::seconds(3);
  std::vector<FeedEvent> held;
  auto deliver = [&](const FeedEvent& event) {
    const bool chatter = std::holds_alternative<NewOrder>(event) || std::holds_alternative<NewComment>(event);
    if (chatter && !printer.products_settled() && Clock::now() < hold_until) {
      held.push_back(event);
      return true;
    }
    return printer.print(event);
  };
  bool running = true;
  while (running) {
    for (const FeedEvent& event : inbox.take()) running = running && deliver(event);
    if (running && !held.empty() && (printer.products_settled() || Clock::now() >= hold_until)) {
      for (const FeedEvent& event : std::exchange(held, {})) running = running && printer.print(event);
    }
    if (!running) {
      result = exit_code::kLoginRequired;
      break;
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      duration_ran_out = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    // Events are picked up at least every 50 ms; a stop signal ends the wait at once.
    if (auto sig = stop_signals::wait(std::min(left, std::chrono::milliseconds(50))); sig && sig->request == stop_signals::Request::stop) break;
  }
  feed->request_stop();
  feed->join();
  if (result == exit_code::kOk) {
    std::vector<FeedEvent> rest = std::exchange(held, {});
    for (FeedEvent& event : inbox.take()) rest.push_back(std::move(event));
    for (const FeedEvent& event : rest) {
      if (!printer.print(event)) {
        result = exit_code::kLoginRequired;
        break;
      }
    }
  }
  // A check that never got through says so, naming the address, and a script can tell.
  if (result == exit_code::kOk && duration_ran_out && !platform.empty() && !printer.reached()) {
    print_error(tr("feed.err_unreachable", platform, *flags.duration));
    result = exit_code::kPlatformUnreachable;
  }
  return result;
}

}  // namespace cunbo
