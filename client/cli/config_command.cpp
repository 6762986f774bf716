#include <cstdio>
#include <fstream>

#include "client/base/console.h"
#include "client/cli/commands.h"
#include "client/config/destination.h"
#include "client/base/exit_codes.h"
#include "client/base/strings.h"

namespace cunbo {

int run_config_set(const std::string& key, const std::string& value) {
  const auto path = config_path();
  if (auto err = set_config_value(path, key, value)) {
    std::string keys;
    for (const std::string& k : config_keys()) keys += (keys.empty() ? "" : ", ") + k;
    print_error(err->id == "err.config_unknown_key" ? tr(err->id, key, keys) : tr(err->id, err->what, err->detail));
    return err->id == "err.config_write" ? exit_code::kFailure : exit_code::kUsage;
  }
  std::printf("%s\n", tr("msg.config_saved", key, value, path.string()).c_str());
  return exit_code::kOk;
}

int run_config_show() {
  const auto path = config_path();
  std::ifstream in(path);
  if (!in) {
    std::printf("%s\n", tr("msg.config_empty", path.string()).c_str());
    return exit_code::kOk;
  }
  // Shown on screen, so keys and key-bearing URLs are masked like everywhere else.
  std::printf("# %s\n", path.string().c_str());
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    const std::string name = eq == std::string::npos ? "" : line.substr(0, eq);
    if ((name.find("key") != std::string::npos || name.find("token") != std::string::npos) &&
        name.find('#') == std::string::npos) {
      line = name + "= \"****\"";
    } else if (const size_t quote = line.find('"', eq == std::string::npos ? 0 : eq); quote != std::string::npos &&
               line.find("://", quote) != std::string::npos) {
      const size_t end = line.find('"', quote + 1);
      line = line.substr(0, quote + 1) + mask_url(line.substr(quote + 1, end - quote - 1)) +
             (end == std::string::npos ? "" : line.substr(end));
    }
    std::printf("%s\n", line.c_str());
  }
  return exit_code::kOk;
}

}  // namespace cunbo
