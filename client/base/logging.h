// Technical detail goes to a log file ($XDG_STATE_HOME/cunbo/cunbo.log, else
// ~/.local/state/cunbo/cunbo.log, rotated); the terminal shows only plain messages and the
// progress line, unless --verbose copies the log to stderr too.
#pragma once

namespace cunbo {

void setup_logging(bool verbose);

}  // namespace cunbo
