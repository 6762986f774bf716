// What a headless command (and the window, when it cannot open) says on the terminal.
#pragma once

#include <string>

namespace cunbo {

// Prints one error line ("cunbo: error: ...") on stderr.
void print_error(const std::string& message);
// Prints one warning line ("cunbo: warning: ...") on stderr: the command goes on.
void print_warning(const std::string& message);

}  // namespace cunbo
