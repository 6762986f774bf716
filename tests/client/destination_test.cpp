#include "client/config/destination.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace cunbo {
namespace {

TEST(Destination, KeysAreMaskedForEverythingAPersonSees) {
  EXPECT_EQ(mask_url("rtmp://push.example.com/live/sk_abc123"), "rtmp://push.example.com/live/****");
  EXPECT_EQ(mask_url("rtmps://push.example.com:443/app/a/b"), "rtmps://push.example.com:443/app/****");
  EXPECT_EQ(mask_url("srt://1.2.3.4:9000?streamid=secret&passphrase=x"), "srt://1.2.3.4:9000?****");
  EXPECT_EQ(mask_url("rtmp://push.example.com/live"), "rtmp://push.example.com/live");
}

TEST(Destination, AKeyFromAFileCompletesAnAddressWithoutOne) {
  auto d = make_destination("rtmp://push.example.com/live", std::string("sk_1"));
  ASSERT_TRUE(std::holds_alternative<Destination>(d));
  EXPECT_EQ(std::get<Destination>(d).url, "rtmp://push.example.com/live/sk_1");
  EXPECT_EQ(std::get<Destination>(d).display_url, "rtmp://push.example.com/live/****");
  EXPECT_FALSE(has_own_key("rtmp://push.example.com/live"));
  EXPECT_TRUE(has_own_key("rtmp://push.example.com/live/k"));
}

TEST(Destination, AnAddressWithoutKeyOrWithAnUnknownSchemeIsRefused) {
  auto no_key = make_destination("rtmp://push.example.com/live", std::nullopt);
  ASSERT_TRUE(std::holds_alternative<DestinationError>(no_key));
  EXPECT_EQ(std::get<DestinationError>(no_key).id, "err.dest_needs_key");
  auto http = make_destination("http://example.com/live/k", std::nullopt);
  ASSERT_TRUE(std::holds_alternative<DestinationError>(http));
  EXPECT_EQ(std::get<DestinationError>(http).id, "err.bad_dest");
  EXPECT_EQ(std::get<DestinationError>(http).what.find("/k"), std::string::npos) << "the key stays hidden";
}

TEST(Destination, KeyFileSkipsBlankLinesAndCommentsAndNoticesLoosePermissions) {
  char path[] = "/tmp/cunbo-keys-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::ofstream(path) << "# keys\nsk_one\n\n  sk_two  \r\n";
  ::fchmod(fd, 0644);
  auto read = read_key_file(path);
  ASSERT_TRUE(std::holds_alternative<KeyFile>(read));
  EXPECT_EQ(std::get<KeyFile>(read).keys, (std::vector<std::string>{"sk_one", "sk_two"}));
  EXPECT_TRUE(std::get<KeyFile>(read).readable_by_others);
  ::fchmod(fd, 0600);
  EXPECT_FALSE(std::get<KeyFile>(read_key_file(path)).readable_by_others);
  std::remove(path);
}

}  // namespace
}  // namespace cunbo
