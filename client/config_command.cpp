#include <cstdio>
#include <fstream>
#include <iostream>

#include "client/commands.h"
#include "client/exit_codes.h"
#include "client/strings.h"

namespace cunbo {

void print_error(const std::string& message) {
  std::fprintf(stderr, "%s%s\n", tr("err.prefix").c_str(), message.c_str());
}

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
  std::printf("# %s\n", path.string().c_str());
  std::cout << in.rdbuf();
  return exit_code::kOk;
}

}  // namespace cunbo
