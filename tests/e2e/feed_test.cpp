// `cunbo feed`: the real binary against the practice simulator, a closed port and a small
// platform served by a real HTTP server in the test process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <thread>

#include "client/platform/product_cache.h"
#include "tests/support/cunbo_cli.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kToken = "tok-7f3a9c-SECRET-e2e";

// A loopback port nothing listens on.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot find a free port");
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The contract's products, orders and comments: one of each, then empty long polls. Requests
// without "Bearer <kToken>" get 401.
class MiniPlatform {
 public:
  MiniPlatform() {
    server_.Get("/v1/products", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorised(req, res)) return;
      res.set_content(R"({"products":[{"id":"p-1001","title":"永顺番薯粉 500g","subtitle":"农家手工",)"
                      R"("price_cents":3990,"original_price_cents":4990,"currency":"CNY","stock":120,)"
                      R"("image_url":"https://img.example.com/p-1001.jpg","tags":["包邮"]}],)"
                      R"("updated_at":"2026-11-29T08:00:00+08:00"})",
                      "application/json");
    });
    server_.Get("/v1/orders", [this](const httplib::Request& req, httplib::Response& res) {
      long_poll(req, res, R"({"orders":[{"id":"o-88231","product_id":"p-1001","buyer":"张**","quantity":2,)"
                          R"("amount_cents":7980,"currency":"CNY","created_at":"2026-11-29T08:01:02+08:00"}],)"
                          R"("next":"c-1"})",
                "orders");
    });
    server_.Get("/v1/comments", [this](const httplib::Request& req, httplib::Response& res) {
      long_poll(req, res,
                R"({"comments":[{"id":"m-1","user":"李**","text":"红薯粉怎么吃？","created_at":"2026-11-29T08:01:05+08:00"}],)"
                R"("next":"c-1"})",
                "comments");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind the platform server");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~MiniPlatform() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    server_.stop();
    thread_.join();
  }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  [[nodiscard]] std::string seen_authorization() {
    std::lock_guard lock(mutex_);
    return authorization_;
  }

 private:
  bool authorised(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mutex_);
      authorization_ = req.get_header_value("Authorization");
    }
    if (req.get_header_value("Authorization") == std::string("Bearer ") + kToken) return true;
    res.status = 401;
    res.set_content(R"({"error":{"code":"token_invalid","message":"登录已过期"}})", "application/json");
    return false;
  }

  // The first call gets the item; later ones (after=c-1) wait like a quiet live room.
  void long_poll(const httplib::Request& req, httplib::Response& res, const std::string& first, const char* list) {
    if (!authorised(req, res)) return;
    if (req.get_param_value("after") != "c-1") {
      res.set_content(first, "application/json");
      return;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, 2s, [this] { return stopping_; });
    res.set_content(std::string("{\"") + list + "\":[],\"next\":\"c-1\"}", "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;      // guarded by mutex_
  std::string authorization_;  // guarded by mutex_
  std::thread thread_;
};

class Feed : public ::testing::Test {
 protected:
  // XDG_CACHE_HOME inside the sandbox too, whatever the test runner has.
  [[nodiscard]] EnvChanges env() const { return {{"XDG_CACHE_HOME", cache_home().string()}}; }
  [[nodiscard]] std::filesystem::path cache_home() const { return cunbo.home() / "cache"; }

  std::string everything_logged() const {
    std::string all;
    for (const auto& file : files_under(cunbo.home())) {
      if (file.string().find(".log") != std::string::npos) all += read_text_file(file);
    }
    return all;
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-feed"};
};

bool has_line_starting(std::string_view out, std::string_view prefix) {
  for (const std::string& line : lines_of(out)) {
    if (line.starts_with(prefix)) return true;
  }
  return false;
}

TEST_F(Feed, PracticePrintsTheProductsThenOrdersAndComments) {
  const RunResult r = cunbo.run({"feed", "--practice", "--duration", "3", "--seed", "1"}, env(), 30s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("练习模拟器"));  // the simulator says what it is: it is no platform
  EXPECT_THAT(r.out, HasSubstr("沾化冬枣"));
  EXPECT_TRUE(has_line_starting(r.out, "订单 ") || has_line_starting(r.out, "评论 ")) << r.describe();

  // The same seed says the same things.
  const RunResult again = cunbo.run({"feed", "--practice", "--duration", "3", "--seed", "1"}, env(), 30s);
  ASSERT_TRUE(again.status.success()) << again.describe();
  const auto first_event = [](const std::string& out) {
    for (const std::string& line : lines_of(out)) {
      if (line.starts_with("订单 ") || line.starts_with("评论 ")) return line;
    }
    return std::string();
  };
  EXPECT_EQ(first_event(r.out), first_event(again.out));
}

TEST_F(Feed, PracticeSpeaksEnglishToAnEnglishHost) {
  const RunResult r = cunbo.run({"feed", "--practice", "--duration", "2", "--orders-per-minute", "300"},
                                {{"LANG", "en_US.UTF-8"}, {"XDG_CACHE_HOME", cache_home().string()}}, 30s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("Online"));
  EXPECT_TRUE(has_line_starting(r.out, "order ")) << r.describe();
}

TEST_F(Feed, AnUnreachablePlatformIsOfflineRetryingUntilCtrlC) {
  const auto token_file = cunbo.work_dir() / "token";
  write_text_file(token_file, std::string(kToken) + "\n");
  auto child = cunbo.start({"feed", "--api", "http://127.0.0.1:" + std::to_string(closed_port()) + "/", "--token-file",
                            token_file.string()},
                           env());
  ASSERT_TRUE(child->wait_for_output(deadline_after(20s), [](std::string_view out, std::string_view) {
    return out.find("秒后重试") != std::string_view::npos;
  })) << child->out() << child->err();
  ASSERT_TRUE(child->send_signal(SIGINT));
  const RunResult r = child->finish(deadline_after(10s));
  EXPECT_FALSE(r.timed_out) << r.describe();
  EXPECT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("平台连不上，1 秒后重试"));
}

TEST_F(Feed, ShowsTheProductsKeptFromLastTimeWhenThePlatformIsUnreachable) {
  Product kept;
  kept.id = "p-9";
  kept.title = "迁西板栗仁 500g";
  kept.price_cents = 3590;
  ASSERT_TRUE(save_products(cache_home() / "cunbo" / "products.json", {kept}));

  const auto token_file = cunbo.work_dir() / "token";
  write_text_file(token_file, std::string(kToken) + "\n");
  auto child = cunbo.start({"feed", "--api", "http://127.0.0.1:" + std::to_string(closed_port()) + "/", "--token-file",
                            token_file.string()},
                           env());
  EXPECT_TRUE(child->wait_for_output(deadline_after(20s), [](std::string_view out, std::string_view) {
    return out.find("迁西板栗仁") != std::string_view::npos;
  })) << child->out() << child->err();
  ASSERT_TRUE(child->send_signal(SIGINT));
  const RunResult r = child->finish(deadline_after(10s));
  EXPECT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("上次保存"));
  EXPECT_THAT(r.out, HasSubstr("已缓存"));
}

TEST_F(Feed, SendsTheTokenFromTheTokenFileAndNeverShowsIt) {
  MiniPlatform platform;
  const auto token_file = cunbo.work_dir() / "token";
  write_text_file(token_file, std::string(kToken) + "\n");
  auto child = cunbo.start({"-v", "feed", "--api", platform.url(), "--token-file", token_file.string()}, env());
  ASSERT_TRUE(child->wait_for_output(deadline_after(20s), [](std::string_view out, std::string_view) {
    return out.find("订单 o-88231") != std::string_view::npos && out.find("评论 李**") != std::string_view::npos;
  })) << child->out() << child->err();
  EXPECT_EQ(platform.seen_authorization(), std::string("Bearer ") + kToken);
  const std::string cmdline = read_text_file("/proc/" + std::to_string(child->pid()) + "/cmdline");
  EXPECT_THAT(cmdline, Not(HasSubstr(kToken)));
  ASSERT_TRUE(child->send_signal(SIGINT));
  const RunResult r = child->finish(deadline_after(10s));
  EXPECT_TRUE(r.status.success()) << r.describe();

  EXPECT_THAT(r.out, HasSubstr("已连上平台"));
  EXPECT_THAT(r.out, HasSubstr("商品 p-1001｜永顺番薯粉 500g｜¥39.90｜库存 120"));
  EXPECT_THAT(r.out, HasSubstr("订单 o-88231｜张** 买了 永顺番薯粉 500g ×2｜¥79.80"));
  EXPECT_THAT(r.out, HasSubstr("评论 李**：红薯粉怎么吃？"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(kToken)));  // --verbose copies the log to stderr
  EXPECT_THAT(everything_logged(), Not(HasSubstr(kToken)));
  // Kept for a start without a network.
  EXPECT_TRUE(std::filesystem::exists(cache_home() / "cunbo" / "products.json"));
}

TEST_F(Feed, TakesTheAddressAndTokenFromTheConfigFileAndConfigShowHidesTheToken) {
  MiniPlatform platform;
  cunbo.write_config("api = \"" + platform.url() + "\"\ntoken = \"" + kToken + "\"\n");

  auto child = cunbo.start({"feed"}, env());
  ASSERT_TRUE(child->wait_for_output(deadline_after(20s), [](std::string_view out, std::string_view) {
    return out.find("订单 o-88231") != std::string_view::npos;
  })) << child->out() << child->err();
  ASSERT_TRUE(child->send_signal(SIGTERM));
  const RunResult r = child->finish(deadline_after(10s));
  EXPECT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(kToken)));

  const RunResult show = cunbo.run({"config", "show"}, env());
  ASSERT_TRUE(show.status.success()) << show.describe();
  EXPECT_THAT(show.out, HasSubstr("token"));
  EXPECT_THAT(show.out, Not(HasSubstr(kToken)));
}

TEST_F(Feed, ARefusedTokenAsksTheHostToLogInAgain) {
  MiniPlatform platform;
  const auto token_file = cunbo.work_dir() / "token";
  write_text_file(token_file, "tok-expired-long-ago\n");
  const RunResult r = cunbo.run({"feed", "--api", platform.url(), "--token-file", token_file.string()}, env(), 30s);
  EXPECT_FALSE(r.timed_out) << r.describe();
  EXPECT_TRUE(r.status.exited && r.status.code == 6) << r.describe();  // exit_code::kLoginRequired
  EXPECT_THAT(r.out, HasSubstr("重新登录"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("tok-expired-long-ago")));
}

TEST_F(Feed, WithoutATokenSaysSoInsteadOfPollingInVain) {
  const RunResult r = cunbo.run({"feed", "--api", "https://api.example.com/"}, env(), 30s);
  EXPECT_TRUE(r.status.exited && r.status.code == 2) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("令牌")) << r.describe();
}

TEST_F(Feed, NeedsASourceAndAReadableTokenFile) {
  const RunResult none = cunbo.run({"feed"}, env());
  EXPECT_TRUE(none.status.exited && none.status.code == 2) << none.describe();
  EXPECT_THAT(none.err, HasSubstr("--practice"));

  const RunResult both = cunbo.run({"feed", "--practice", "--api", "https://api.example.com/"}, env());
  EXPECT_TRUE(both.status.exited && both.status.code == 2) << both.describe();

  const RunResult missing =
      cunbo.run({"feed", "--api", "https://api.example.com/", "--token-file", (cunbo.work_dir() / "none").string()}, env());
  EXPECT_TRUE(missing.status.exited && missing.status.code == 2) << missing.describe();

  const RunResult plain = cunbo.run({"feed", "--api", "http://api.example.com/"}, env());
  EXPECT_TRUE(plain.status.exited && plain.status.code == 2) << plain.describe();
}

}  // namespace
}  // namespace cunbo::test
