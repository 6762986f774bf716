// What a headless command (and the window, when it cannot open) says on the terminal.
#pragma once

#include <string>

namespace cunbo {

// Makes the terminal take our UTF-8 (Windows' console speaks its own code page otherwise);
// nothing to do elsewhere. Call once, first thing in main.
void prepare_console();
// Whether stderr is a terminal someone watches (a progress line is worth drawing).
[[nodiscard]] bool stderr_is_terminal();
// Prints one error line ("cunbo: error: ...") on stderr.
void print_error(const std::string& message);
// Prints one warning line ("cunbo: warning: ...") on stderr: the command goes on.
void print_warning(const std::string& message);

}  // namespace cunbo
