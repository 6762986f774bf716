#include "tests/support/cunbo_cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <system_error>

namespace cunbo::test {

CunboSandbox::CunboSandbox(std::filesystem::path binary, std::string_view label)
    : binary_(std::move(binary)), dir_(label) {
  for (const std::filesystem::path& p : {home(), config_home(), videos_dir(), work_dir()}) {
    std::filesystem::create_directories(p);
  }
}

void CunboSandbox::write_config(std::string_view toml) const {
  std::filesystem::create_directories(config_file().parent_path());
  write_text_file(config_file(), toml);
  std::filesystem::permissions(config_file(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

EnvChanges CunboSandbox::env() const {
  return {{"HOME", home().string()},
          {"XDG_CONFIG_HOME", config_home().string()},
          {"XDG_VIDEOS_DIR", videos_dir().string()},
          {"LANG", std::nullopt},
          {"LANGUAGE", std::nullopt},
          {"LC_ALL", std::nullopt},
          {"LC_MESSAGES", std::nullopt},
          {"PULSE_SERVER", std::nullopt},
          {"DISPLAY", std::nullopt},
          {"WAYLAND_DISPLAY", std::nullopt}};
}

SpawnOptions CunboSandbox::command(const std::vector<std::string>& args, const EnvChanges& extra_env) const {
  SpawnOptions options;
  options.argv.push_back(binary_.string());
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.env = env();
  for (const auto& [name, value] : extra_env) options.env[name] = value;
  options.working_dir = work_dir();
  return options;
}

RunResult CunboSandbox::run(const std::vector<std::string>& args, const EnvChanges& extra_env,
                            Clock::duration timeout) const {
  return cunbo::test::run(command(args, extra_env), timeout);
}

std::unique_ptr<Subprocess> CunboSandbox::start(const std::vector<std::string>& args,
                                                const EnvChanges& extra_env) const {
  return Subprocess::spawn(command(args, extra_env));
}

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void expect_last_line_names(const RunResult& r, const std::filesystem::path& recording) {
  const std::vector<std::string> out_lines = lines_of(r.out);
  ASSERT_FALSE(out_lines.empty()) << r.describe();
  EXPECT_THAT(out_lines.back(), ::testing::HasSubstr(recording.string())) << "the last stdout line names the recording";
}

std::vector<std::filesystem::path> recordings_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files = files_under(dir);
  std::erase_if(files, [](const std::filesystem::path& f) { return f.extension() != ".mkv"; });
  return files;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::string current;
  auto flush = [&] {
    if (current.find_first_not_of(" \t") != std::string::npos) lines.push_back(current);
    current.clear();
  };
  for (char c : text) {
    if (c == '\n' || c == '\r')
      flush();
    else
      current += c;
  }
  flush();
  return lines;
}

bool has_non_ascii(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

}  // namespace cunbo::test
