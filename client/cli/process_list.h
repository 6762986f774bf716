// Keeping stream keys out of the process list, where every user of the machine can read the
// command line of every program.
//   Linux: once CLI11 has its own copy, a key typed inline (rtmp://host/app/KEY) is overwritten
//          in argv's memory, which is what the kernel shows.
//   Windows: a program's command line cannot be taken back from the others who read it, so an
//          inline key is refused: keys come from the config or from --key-file.
#pragma once

#include <string>
#include <vector>

namespace cunbo {

// The arguments as UTF-8 (Windows hands `main` its ANSI code page's; elsewhere argv as is).
// `storage` keeps the strings the returned pointers point into.
[[nodiscard]] std::vector<char*> utf8_arguments(int argc, char** argv, std::vector<std::string>& storage);

// Linux: hides every inline key, returns an empty string. Windows: returns the first argument
// that carries a key, masked, for the host's error (nothing is hidden or refused elsewhere).
[[nodiscard]] std::string hide_keys_from_process_list(int argc, char** argv);

}  // namespace cunbo
