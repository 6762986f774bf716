#!/bin/sh
# Builds the libFuzzer target over the platform API's parsers with clang + ASan/UBSan in
# build/fuzz and runs it for SECONDS (default 60). Exits non-zero on a finding; the input that
# caused it is kept in build/fuzz/findings/. The seed corpus (tests/fuzz/corpus) is read, never
# written: new inputs go to build/fuzz/corpus.
#   tests/fuzz/run.sh [SECONDS]
set -eu
fuzz_seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build/fuzz"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" >/dev/null

mkdir -p "$build/corpus" "$build/findings"
cd "$build"
echo "fuzzing the platform API parsers for ${fuzz_seconds} s (clang, ASan/UBSan)"
# -print_final_stats: execs and coverage for the log; leaks and UBSan reports are findings too.
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ./platform_json_fuzz \
  -max_len=65536 -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
  -dict="$here/platform_json.dict" -artifact_prefix="$build/findings/" \
  -print_final_stats=1 -print_pcs=0 \
  "$build/corpus" "$here/corpus" 2>"$build/last-run.log" && status=0 || status=$?
grep -E "^(stat::|Done )|(INITED|DONE) +cov:" "$build/last-run.log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$build/last-run.log" >&2
  echo "platform_json_fuzz found a problem (exit $status): see $build/findings/ and $build/last-run.log" >&2
  exit 1
fi
echo "platform_json_fuzz: no finding"
