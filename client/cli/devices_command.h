// `cunbo devices`: the cameras (with their formats) and microphones on this machine, as the
// studio window's pickers show them, each with the spec to give as --video / --audio.
// --json prints the same as one JSON object, for the window and for tests.
#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace cunbo {

struct DevicesFlags {
  bool json = false;
};

// Adds the `devices` sub-command and its options (--lang bound to `lang`) to `app`; main.cpp
// dispatches to run_devices.
CLI::App* add_devices_command(CLI::App& app, DevicesFlags& flags, std::optional<std::string>& lang);

// Prints the lists and returns the exit status: 0, also when there is nothing to list.
[[nodiscard]] int run_devices(const DevicesFlags& flags);

}  // namespace cunbo
