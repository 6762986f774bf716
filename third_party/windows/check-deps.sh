#!/bin/sh
# Checks the Windows dependency prefix that build-deps.sh made: builds check-deps.c with mingw-w64
# against it (through pkg-config, the way the toolchain file sets it up) and runs it under Wine in
# a fresh, throw-away WINEPREFIX.
#
#   sh third_party/windows/check-deps.sh [PREFIX]     (default: build/windows/deps)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${1:-$root/build/windows/deps}
case $prefix in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
cc=x86_64-w64-mingw32-gcc-posix
wine=/usr/lib/wine/wine64

missing() { echo "$1 not found: install the Debian package '$2' (or run 'make windows-deps')" >&2; exit 1; }
command -v $cc >/dev/null 2>&1 || missing $cc gcc-mingw-w64-x86-64-posix
command -v pkg-config >/dev/null 2>&1 || missing pkg-config pkg-config
[ -x $wine ] || missing $wine wine64
[ -f "$prefix/.stamp" ] || { echo "no Windows dependencies in $prefix: run third_party/windows/build-deps.sh" >&2; exit 1; }

out="$root/build/windows/check"
mkdir -p "$out"
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH="" PKG_CONFIG_SYSROOT_DIR=""
modules="libavdevice libavfilter libavformat libavcodec libavutil libcurl sdl2"
# A console program: none of sdl2.pc's SDL2main, -Dmain=SDL_main and -mwindows.
# shellcheck disable=SC2046,SC2086
$cc -O2 -Wall -Wextra -o "$out/check-deps.exe" "$here/check-deps.c" \
  $(pkg-config --cflags $modules | sed 's/-Dmain=SDL_main//') \
  $(pkg-config --libs $modules | sed 's/-lSDL2main//; s/-mwindows//')

# The DLLs are found through WINEPATH (a Windows path: Z: is the root of the Unix file system).
WINEPREFIX=$(mktemp -d /tmp/cunbo-wine.XXXXXX)
WINEPATH="Z:$(printf '%s' "$prefix/bin" | tr / '\\')"
export WINEPREFIX WINEPATH WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'rm -rf "$WINEPREFIX"' EXIT
start=$(date +%s)
$wine wineboot --init >/dev/null 2>&1 || true
echo "(WINEPREFIX made in $(($(date +%s) - start)) s)"
set +e
$wine "$out/check-deps.exe" > "$out/check-deps.txt" 2>&1
rc=$?
set -e
tr -d '\r' < "$out/check-deps.txt"
# Wait for this prefix's wineserver to end before its folder goes.
/usr/lib/wine/wineserver -w 2>/dev/null || true
exit $rc
