// A host's machine in miniature for one whole-program test: its own HOME, config folder and
// Videos folder in a temp dir, and the cunbo binary run with exactly that environment.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {

class CunboSandbox {
 public:
  explicit CunboSandbox(std::filesystem::path binary, std::string_view label = "cunbo-e2e");

  [[nodiscard]] const std::filesystem::path& binary() const { return binary_; }
  [[nodiscard]] std::filesystem::path home() const { return dir_ / "home"; }
  [[nodiscard]] std::filesystem::path config_home() const { return dir_ / "config"; }  // XDG_CONFIG_HOME
  [[nodiscard]] std::filesystem::path videos_dir() const { return dir_ / "videos"; }   // XDG_VIDEOS_DIR
  [[nodiscard]] std::filesystem::path config_file() const { return config_home() / "cunbo" / "config.toml"; }
  // Writes `toml` as the config file, 0600 as cunbo itself keeps it (it holds keys).
  void write_config(std::string_view toml) const;
  // Scratch space for clips and --out files.
  [[nodiscard]] std::filesystem::path work_dir() const { return dir_ / "work"; }

  // HOME, XDG_CONFIG_HOME and XDG_VIDEOS_DIR point into the sandbox. No locale variable is
  // passed on (so messages come in the default language, Chinese), nor PULSE_SERVER or DISPLAY.
  [[nodiscard]] EnvChanges env() const;

  [[nodiscard]] SpawnOptions command(const std::vector<std::string>& args, const EnvChanges& extra_env = {}) const;
  [[nodiscard]] RunResult run(const std::vector<std::string>& args, const EnvChanges& extra_env = {},
                              Clock::duration timeout = std::chrono::seconds(30)) const;
  [[nodiscard]] std::unique_ptr<Subprocess> start(const std::vector<std::string>& args,
                                                  const EnvChanges& extra_env = {}) const;

 private:
  std::filesystem::path binary_;
  TempDir dir_;
};

// Regular files anywhere under `dir` (none if it does not exist), sorted.
[[nodiscard]] std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir);
// The program's last stdout line names `recording` (where the host finds it). Records a gtest
// failure otherwise.
void expect_last_line_names(const RunResult& r, const std::filesystem::path& recording);

// Only the recordings (.mkv) among them: the event log (.events.jsonl) sits beside each.
[[nodiscard]] std::vector<std::filesystem::path> recordings_under(const std::filesystem::path& dir);

// The lines of a program's output: split at '\n' and at '\r' (progress updates), blank ones dropped.
[[nodiscard]] std::vector<std::string> lines_of(std::string_view text);

// Whether `text` holds any character outside ASCII (Chinese text does).
[[nodiscard]] bool has_non_ascii(std::string_view text);

}  // namespace cunbo::test
