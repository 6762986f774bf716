// Where the bundled assets are (the sample catalog and its pictures, the order sound, the
// slate): $CUNBO_ASSETS_DIR if set, else <prefix>/share/cunbo next to an installed binary, else
// the assets/ folder above the binary (a build tree).
#pragma once

#include <filesystem>

namespace cunbo {

// The folder, or empty when none holds the sample catalog.
[[nodiscard]] std::filesystem::path assets_dir();

}  // namespace cunbo
