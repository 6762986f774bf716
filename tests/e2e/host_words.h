// What "every word in the host's language" means to a test: each line cunbo prints is one of our
// sentences, in Chinese (by default) or English (--lang en), never a library's text (CLI11's
// "Usage"/"required"/"Could not convert", toml11's "[error]" dump, libwayland, SDL) nor a raw
// number dump (179769313486231570814527…, 0.000000).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/cunbo_cli.h"

namespace cunbo::test {

enum class HostLanguage { chinese, english };

[[nodiscard]] const char* name_of(HostLanguage language);

// `args` as typed by a host of that language: English asks with --lang en before the command.
[[nodiscard]] std::vector<std::string> typed_in(HostLanguage language, std::vector<std::string> args);

// Records a gtest failure for each line of `text` that is not ours in `language`: a library's
// words, a raw number, no Chinese in a Chinese line (after the "cunbo：错误：" prefix), or
// anything but ASCII in an English one. `where` names the stream in the message.
void expect_our_words(std::string_view text, HostLanguage language, std::string_view where);

// A refusal as a host should see it: exit status `code`, exactly one line on stderr naming
// `named` (when not empty), in our words. Returns the run for further checks.
RunResult expect_refused(const CunboSandbox& cunbo, HostLanguage language, const std::vector<std::string>& args,
                         int code, const std::string& named, const EnvChanges& env = {});

}  // namespace cunbo::test
