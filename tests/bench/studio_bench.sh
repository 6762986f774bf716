#!/usr/bin/env bash
# The studio window's cost on the UI thread and in memory (DESIGN.md budgets: a UI frame
# p95 ≤ 16.7 ms at 1366x768 while live on the software renderer; the process ≤ 200 MB resident
# with the window open and the sample catalog loaded). Not a test: it prints the figures.
#
# Usage: tests/bench/studio_bench.sh [BUILD_DIR]      (default: build/release)
#   SECONDS_LIVE=N   seconds of each run (default 12)
#   WINDOW=WxH       the window's size (default 1366x768, a village host's laptop)
#
# Each scenario renders the real window headless (`cunbo --screenshot … --frame-stats`: SDL's
# dummy video driver and software renderer, the window's own ~30 fps pacing) in a sandboxed
# HOME, and reports what the window measured itself (UI frame work time: events, snapshot,
# texture uploads, ImGui, rasterisation; the sleep to the next frame excluded), the peak RSS
# the process saw (VmHWM) and GNU time's maximum RSS; then the mean ms of each part of a frame
# (upload: preview and product pictures into textures; build: the ImGui frame; raster: the
# software renderer drawing what changed; present), and frames-skipped (nothing new to draw):
#   idle            the sample catalog (7 products with pictures), nothing live
#   live-practice   practice mode live: 720p test pattern preview (the composited frame with
#                   the product card), 60 simulated orders a minute, the recording written
set -euo pipefail
BUILD_DIR=${1:-build/release}
CUNBO="$BUILD_DIR/client/cunbo"
[[ -x "$CUNBO" ]] || { echo "studio_bench: $CUNBO not built" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "studio_bench: GNU time (/usr/bin/time) missing: apt install time" >&2; exit 1; }
SECONDS_LIVE=${SECONDS_LIVE:-12}
WINDOW=${WINDOW:-1366x768}
FRAMES=$((SECONDS_LIVE * 30))

WORK=$(mktemp -d -t cunbo-studio-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

run() {  # name, args...
  local name=$1
  shift
  local home="$WORK/$name"
  mkdir -p "$home/config/cunbo"
  # A host who has been through the first-start guide: no guide over the window.
  printf 'language = "zh-CN"\n' > "$home/config/cunbo/config.toml"
  chmod 600 "$home/config/cunbo/config.toml"
  env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" \
    XDG_VIDEOS_DIR="$home/videos" SDL_AUDIODRIVER=dummy \
    /usr/bin/time -f 'gnu-time-max-rss-kb %M cpu-s %U+%S' \
    "$CUNBO" --screenshot "$home/shot.png" --window-size "$WINDOW" --after-frames "$FRAMES" --frame-stats "$@" \
    2> "$home/err" || {
    echo "studio_bench: $name failed:" >&2
    cat "$home/err" >&2
    exit 1
  }
  local stats rss
  stats=$(grep '^ui-frames' "$home/err")
  rss=$(grep '^gnu-time-max-rss-kb' "$home/err")
  printf '%-14s %s %s\n' "$name" "$stats" "$rss"
}

echo "studio_bench: $(nproc) cores, $SECONDS_LIVE s per scenario, software renderer, $WINDOW window"
run idle
run live-practice --practice --video test --audio test --go-live-after-frames 5 --present 1 \
  --practice-orders-per-minute 60 --practice-seed 1
echo "budgets: UI frame p95 <= 16.7 ms while live at 1366x768; peak RSS <= 200 MB"
