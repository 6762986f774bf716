// Whole-program tests count a recording's frames against its length. Under a sanitizer our code
// runs several times slower than the Release build a host runs, and on a slow machine the video
// thread then drops ticks, which the session reports (the summary's frames_dropped): there what
// must hold is that no frame goes missing unreported. The Release pass counts every frame.
#pragma once

#include <cstdint>
#include <filesystem>

#include "tests/support/media_probe.h"

namespace cunbo::test {

#ifdef CUNBO_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// Under a sanitizer, the frames the session of `recording` reported dropped for being too slow
// (<recording>.summary.json; 0 without one); in the Release pass 0: every frame counts.
[[nodiscard]] int64_t frames_excused(const std::filesystem::path& recording);

// The rate of the ticks a video stream covers: (packets - 1 + excused) / (last pts - first pts).
[[nodiscard]] double ticks_per_second(const StreamTiming& timing, int64_t excused);

}  // namespace cunbo::test
