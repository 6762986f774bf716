#!/usr/bin/env bash
# `make test`: every test, on a machine that may be new, within an hour on two cores.
#
# The Release build comes first, at full speed. While its tests run, the two sanitizer builds
# (ASan/UBSan, then ThreadSanitizer) compile behind them in the idle scheduling class: most of
# the Release pass is whole-program tests waiting on real time (outages, reconnects, recordings),
# and an idle-class compiler only gets the CPU they leave, so what they measure holds. Then the
# ASan pass (the TSan build still compiling behind it), the TSan pass and 10 s of fuzzing.
# Stops at the first stage that fails, saying which; each stage's time is printed.
#   tests/run_all.sh        (what `make test` and .ci/run call)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
mkdir -p build

started=$SECONDS
stage_started=$SECONDS
say() { printf '\n== %s ==\n' "$*"; }
took() { printf '== %s: %d s (%d s in all) ==\n' "$1" $((SECONDS - stage_started)) $((SECONDS - started)); stage_started=$SECONDS; }

# The idle class where the kernel offers it (any user may lower their own priority), else nice.
if chrt --idle 0 true 2>/dev/null; then behind=(chrt --idle 0); else behind=(nice -n 19); fi

say "packages"
make --no-print-directory deps
for preset in release asan tsan; do
  [ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" > "build/configure-$preset.log" 2>&1 ||
    { cat "build/configure-$preset.log" >&2; exit 1; }
done
took "packages and configuration"

say "Release build"
cmake --build --preset release -j "$jobs"
took "Release build"

# The sanitizer builds, one after the other, each leaving its exit status for the stage that
# needs it; in a session of their own, killed with this script when a stage fails.
rm -f build/asan.built build/tsan.built
setsid bash -c '
  for preset in asan tsan; do
    status=0
    "$@" cmake --build --preset "$preset" -j '"$jobs"' > "build/build-$preset.log" 2>&1 || status=$?
    echo "$status" > "build/$preset.built"
  done' behind "${behind[@]}" &
builds=$!
trap 'kill -- -$builds 2>/dev/null || true' EXIT

# Waits for the background build of $1; on a failure shows its log's end and stops.
await_build() {
  local preset=$1
  while [ ! -f "build/$preset.built" ]; do
    kill -0 "$builds" 2>/dev/null || { echo "the $preset build stopped without a status" >&2; exit 1; }
    sleep 1
  done
  if [ "$(cat "build/$preset.built")" != 0 ]; then
    tail -n 60 "build/build-$preset.log" >&2
    echo "the $preset build failed: build/build-$preset.log" >&2
    exit 1
  fi
}

say "Release tests (the ASan and TSan builds compile behind them)"
make --no-print-directory ctest-release
took "Release tests"

say "ASan/UBSan build (finishing)"
await_build asan
took "rest of the ASan build"

say "ASan/UBSan tests (the TSan build compiles behind them)"
make --no-print-directory ctest-asan
took "ASan tests"

say "TSan build (finishing)"
await_build tsan
took "rest of the TSan build"

say "TSan tests"
make --no-print-directory ctest-tsan
took "TSan tests"

say "fuzzing"
make --no-print-directory test-fuzz
took "fuzzing"

trap - EXIT
printf '\nevery stage passed in %d s\n' $((SECONDS - started))
