// Cunbo for Windows (issue #15), as a host would meet it, run under Wine: the cross-built unit
// tests pass, cunbo.exe records and streams what a viewer's player reads, the installer
// installs silently, and the installed studio window draws its Chinese text.
//
// The Windows build is `make windows` (build/windows/app and dist/); `make test` builds it
// before these run. Wine is Debian's wine64, in a fresh prefix of the test's own, with its
// wineserver started once for the suite (so no child holds our pipes open after it ends).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/media_probe.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

#ifndef CUNBO_WINDOWS_APP
#error "CUNBO_WINDOWS_APP must name the Windows build (tests/CMakeLists.txt)"
#endif

const std::filesystem::path kWine = "/usr/lib/wine/wine64";
// build/windows/app, or the build CUNBO_WINDOWS_APP names.
const std::filesystem::path kApp = std::getenv("CUNBO_WINDOWS_APP") ? std::getenv("CUNBO_WINDOWS_APP") : CUNBO_WINDOWS_APP;
const std::filesystem::path kDist = std::filesystem::path(CUNBO_SOURCE_DIR) / "dist";

std::string version() { return CUNBO_VERSION; }

// A Linux path as Windows programs under Wine name it (drive Z: is the root).
std::string windows_path(const std::filesystem::path& path) {
  std::string text = "Z:" + path.string();
  for (char& c : text) {
    if (c == '/') c = '\\';
  }
  return text;
}

class Windows : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kWine)) {
      GTEST_FAIL() << kWine << " not found: install the Debian package 'wine64' (or run 'make windows-deps')";
    }
    prefix_ = new TempDir("wine-prefix");
    // One persistent wineserver for the suite; the prefix is made by the first program.
    const RunResult boot = run(SpawnOptions({"sh", "-c",
                                             "wineserver -p 120 </dev/null >/dev/null 2>&1; " + kWine.string() +
                                                 " wineboot --init </dev/null >/dev/null 2>&1"},
                                            wine_env()),
                               120s);
    ASSERT_TRUE(boot.status.success()) << boot.describe();
  }
  static void TearDownTestSuite() {
    (void)run(SpawnOptions({"sh", "-c", "wineserver -k </dev/null >/dev/null 2>&1 || true"}, wine_env()), 30s);
    delete prefix_;
    prefix_ = nullptr;
  }

  static EnvChanges wine_env() {
    return {{"WINEPREFIX", prefix_->path().string()},
            {"WINEDEBUG", "-all"},
            {"WINEDLLOVERRIDES", "mscoree,mshtml="},  // no Mono or Gecko installer dialogs
            {"WINEARCH", "win64"},
            {"DISPLAY", std::nullopt},
            {"WAYLAND_DISPLAY", std::nullopt}};
  }

  // Runs a Windows program under Wine, its arguments as given. What it writes goes to files,
  // read once it has ended: Wine's own helper processes (services, the desktop) may live on
  // holding whatever output they inherited.
  static RunResult wine(const std::filesystem::path& exe, std::vector<std::string> args, Clock::duration timeout,
                        EnvChanges extra = {}) {
    const TempDir output("wine-output");
    std::vector<std::string> argv{"sh", "-c", "exec \"$0\" \"$@\" </dev/null >\"$CUNBO_OUT\" 2>\"$CUNBO_ERR\"",
                                  kWine.string(), exe.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    EnvChanges env = wine_env();
    env.merge(extra);
    env.emplace("XDG_STATE_HOME", windows_path(prefix_->path() / "state"));  // the log, out of the host's profile
    env["CUNBO_OUT"] = (output / "out").string();
    env["CUNBO_ERR"] = (output / "err").string();
    SpawnOptions options(argv, env);
    options.working_dir = exe.parent_path();
    RunResult r = run(options, timeout);
    r.command = kWine.string() + " " + exe.string();
    for (const std::string& a : args) r.command += " " + a;
    std::error_code ec;
    if (std::filesystem::exists(output / "out", ec)) r.out = read_text_file(output / "out");
    if (std::filesystem::exists(output / "err", ec)) r.err = read_text_file(output / "err");
    return r;
  }

  void SetUp() override {
    if (!std::filesystem::exists(kApp / "client" / "cunbo.exe")) {
      GTEST_FAIL() << kApp / "client" / "cunbo.exe" << " not found: run 'make windows'";
    }
  }

  inline static TempDir* prefix_ = nullptr;
  TempDir work_{"windows"};
};

TEST_F(Windows, TheUnitTestsPassUnderWine) {
  for (const char* suite : {"media_tests.exe", "client_tests.exe", "ui_tests.exe"}) {
    // The font tests' Noto Sans CJK, as Linux's fontconfig finds it (Wine has no Chinese font).
    const RunResult r = wine(kApp / "client" / suite, {"--gtest_brief=1"}, 600s,
                             {{"CUNBO_FONT", windows_path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") + ":2"}});
    EXPECT_TRUE(r.status.success()) << suite << " under Wine:\n" << r.describe();
    EXPECT_THAT(r.out, ::testing::HasSubstr("[  PASSED  ]")) << suite;
  }
}

TEST_F(Windows, CunboExeSaysItsVersion) {
  const RunResult r = wine(kApp / "client" / "cunbo.exe", {"--version"}, 60s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, ::testing::HasSubstr("cunbo " + version()));
}

TEST_F(Windows, PracticeRecordsFiveSecondsOfH264HighAndAac) {
  const auto out = work_ / "practice.mkv";
  const RunResult r = wine(kApp / "client" / "cunbo.exe",
                           {"practice", "--video", "test", "--audio", "test", "--duration", "5", "--out", windows_path(out)},
                           120s, {{"XDG_CONFIG_HOME", windows_path(work_ / "config")}});
  ASSERT_TRUE(r.status.success()) << r.describe();
  const ProbeResult probe = probe_media(out);
  ASSERT_TRUE(probe.file) << probe.error << "\n" << r.describe();
  const StreamInfo* video = probe.file->first(StreamKind::video);
  const StreamInfo* audio = probe.file->first(StreamKind::audio);
  ASSERT_NE(video, nullptr);
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(video->codec, "h264");
  EXPECT_EQ(video->profile_name, "High");
  EXPECT_EQ(audio->codec, "aac");
  EXPECT_EQ(probe.file->packets_of(video->index).size(), 150U) << "5 s at 30 fps";
}

TEST_F(Windows, StreamDeliversH264AndAacToAnRtmpServer) {
  NginxRtmp nginx("windows-nginx");
  const auto keys = work_ / "keys.txt";
  write_text_file(keys, "wine-key\n");
  const RunResult r = wine(kApp / "client" / "cunbo.exe",
                           {"stream", "--video", "test", "--audio", "test", "--duration", "6", "--dest", nginx.url(),
                            "--key-file", windows_path(keys), "--record", windows_path(work_ / "stream.mkv")},
                           120s, {{"XDG_CONFIG_HOME", windows_path(work_ / "config")}});
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out + r.err, ::testing::Not(::testing::HasSubstr("wine-key"))) << "the key was printed";
  const auto recordings = nginx.recordings();
  ASSERT_FALSE(recordings.empty()) << "nothing reached the server\n" << r.describe();
  const ProbeResult probe = probe_media(recordings.back());
  ASSERT_TRUE(probe.file) << probe.error;
  ASSERT_NE(probe.file->first(StreamKind::video), nullptr);
  ASSERT_NE(probe.file->first(StreamKind::audio), nullptr);
  EXPECT_EQ(probe.file->first(StreamKind::video)->codec, "h264");
  EXPECT_EQ(probe.file->first(StreamKind::audio)->codec, "aac");
  EXPECT_GE(probe.file->packets_of(probe.file->first(StreamKind::video)->index).size(), 120U) << "at least 4 s arrived";
}

TEST_F(Windows, AKeyTypedIntoTheCommandLineIsRefusedInPlainWords) {
  NginxRtmp nginx("windows-nginx-inline");
  const RunResult r = wine(kApp / "client" / "cunbo.exe",
                           {"stream", "--video", "test", "--audio", "test", "--duration", "3", "--dest",
                            nginx.url_with_key("typed-key")},
                           60s, {{"XDG_CONFIG_HOME", windows_path(work_ / "config")}, {"LANG", "en_US.UTF-8"}});
  EXPECT_FALSE(r.status.success()) << r.describe();
  EXPECT_THAT(r.err, ::testing::HasSubstr("--key-file")) << r.describe();
  EXPECT_EQ(r.err.find("typed-key"), std::string::npos) << "the key was printed\n" << r.describe();
  EXPECT_EQ(nginx.publish_count(), 0U) << "it went live anyway";
}

TEST_F(Windows, TheInstallerInstallsSilentlyAndTheInstalledStudioDrawsItsChineseText) {
  const auto setup = kDist / ("Cunbo-" + version() + "-setup.exe");
  ASSERT_TRUE(std::filesystem::exists(setup)) << setup << " not found: run 'make windows'";
  const auto installed = work_ / "Cunbo";
  // /D= must come last and unquoted (NSIS).
  const RunResult install = wine(setup, {"/S", "/CurrentUser", "/D=" + windows_path(installed)}, 180s);
  ASSERT_TRUE(install.status.success()) << install.describe();
  for (const char* file : {"cunbo.exe", "cunbo-studio.exe", "avcodec-59.dll", "SDL2.dll", "libcurl.dll",
                           "uninstall.exe", "assets/strings.json", "assets/fonts/NotoSansCJKsc-subset.otf"}) {
    EXPECT_TRUE(std::filesystem::exists(installed / file)) << file << " was not installed";
  }
  const RunResult v = wine(installed / "cunbo.exe", {"--version"}, 60s);
  ASSERT_TRUE(v.status.success()) << v.describe();

  // The window, headless: SDL's dummy driver and software renderer, the fallback CJK font (Wine
  // has neither 微软雅黑 nor 等线).
  const auto shot = work_ / "studio.png";
  const RunResult s = wine(installed / "cunbo.exe",
                           {"-v", "--practice", "--screenshot", windows_path(shot), "--after-frames", "30", "--lang", "zh-CN"},
                           120s, {{"XDG_CONFIG_HOME", windows_path(work_ / "config")}});
  ASSERT_TRUE(s.status.success()) << s.describe();
  ASSERT_TRUE(std::filesystem::exists(shot)) << s.describe();
  const std::string words = read_text_file(shot.string() + ".txt");
  EXPECT_THAT(words, ::testing::HasSubstr("练习")) << "the window's words";
  // -v copies the log to stderr: the font set says there when it found no Chinese glyphs.
  EXPECT_THAT(s.err, ::testing::Not(::testing::HasSubstr("[fonts]"))) << "no CJK font found\n" << s.describe();
  const DecodedVideo picture = decode_video(shot);
  ASSERT_EQ(picture.frames.size(), 1U) << picture.error;

  // Uninstalling keeps what the host made: a recording in their videos folder stays.
  const RunResult u = wine(installed / "uninstall.exe", {"/S", "/CurrentUser", "_?=" + windows_path(installed)}, 120s);
  EXPECT_TRUE(u.status.success()) << u.describe();
  EXPECT_FALSE(std::filesystem::exists(installed / "cunbo.exe")) << "the uninstaller left the program";
}

}  // namespace
}  // namespace cunbo::test
