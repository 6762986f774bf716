#include "tests/e2e/host_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

namespace cunbo::test {

namespace {

using namespace std::chrono_literals;

// Texts of the libraries under cunbo, as they would reach a host's terminal.
constexpr std::string_view kLibraryWords[] = {
    "Usage", "required", "Required", "Could not convert", "not in range", "Excludes", "NONNEGATIVE", "POSITIVE",
    "OPTIONS", "SUBCOMMAND", "Positionals", "Run with --help", "Print this help message", "Display program version",
    "The following argument", "was not expected", "[error]", "toml::", "-->", "XDG_RUNTIME_DIR", "SDL_",
    "No available video device", "terminate called", "what():", "std::", "Success", "1797693"};

bool has_cjk(std::string_view text) {
  // Chinese characters (U+4E00–U+9FFF) start with E4–E9 in UTF-8.
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead >= 0xE4 && lead <= 0xE9) return true;
  }
  return false;
}

std::string_view without_prefix(std::string_view line) {
  for (std::string_view prefix : {"cunbo：错误：", "cunbo：注意：", "cunbo: error: ", "cunbo: warning: "}) {
    if (line.starts_with(prefix)) return line.substr(prefix.size());
  }
  return line;
}

}  // namespace

const char* name_of(HostLanguage language) { return language == HostLanguage::chinese ? "Chinese" : "English"; }

std::vector<std::string> typed_in(HostLanguage language, std::vector<std::string> args) {
  if (language == HostLanguage::english) args.insert(args.begin(), {"--lang", "en"});
  return args;
}

void expect_our_words(std::string_view text, HostLanguage language, std::string_view where) {
  // 0.000000 (a double printed by CLI11) or a run of ten digits or more (its 1.79e308 written out).
  static const std::regex raw_number(R"([0-9]\.[0-9]{6}|[0-9]{10,})");
  for (const std::string& line : lines_of(text)) {
    SCOPED_TRACE(std::string(where) + ": " + line);
    for (std::string_view words : kLibraryWords) {
      EXPECT_THAT(line, ::testing::Not(::testing::HasSubstr(std::string(words)))) << "a library's words";
    }
    EXPECT_FALSE(std::regex_search(line, raw_number)) << "a raw number";
    if (language == HostLanguage::chinese) {
      EXPECT_TRUE(has_cjk(without_prefix(line))) << "not in Chinese";
    } else {
      EXPECT_FALSE(has_non_ascii(line)) << "not in English";
    }
  }
}

RunResult expect_refused(const CunboSandbox& cunbo, HostLanguage language, const std::vector<std::string>& args,
                         int code, const std::string& named, const EnvChanges& env) {
  const RunResult r = cunbo.run(typed_in(language, args), env, 30s);
  SCOPED_TRACE(std::string(name_of(language)) + ": " + r.describe());
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.status.exited) << "it crashed";
  EXPECT_EQ(r.status.code, code);
  EXPECT_EQ(lines_of(r.err).size(), 1u) << "one line on stderr";
  if (!named.empty()) {
    EXPECT_THAT(r.err, ::testing::HasSubstr(named)) << "the line names what is wrong";
  }
  if (language == HostLanguage::chinese) {
    EXPECT_TRUE(r.err.starts_with("cunbo：错误：")) << "said as an error";
  } else {
    EXPECT_TRUE(r.err.starts_with("cunbo: error: ")) << "said as an error";
  }
  expect_our_words(r.err, language, "stderr");
  expect_our_words(r.out, language, "stdout");
  return r;
}

}  // namespace cunbo::test
