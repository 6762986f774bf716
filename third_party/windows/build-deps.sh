#!/bin/sh
# Builds Cunbo Studio's Windows x64 dependencies with mingw-w64 from Debian 12's own source
# packages (the same versions as the Linux build's libraries) into one prefix:
#
#   sh third_party/windows/build-deps.sh [PREFIX]     (default: build/windows/deps)
#
#   PREFIX/bin            the DLLs (FFmpeg, x264, SDL2, libcurl, the mingw runtime)
#   PREFIX/lib            import libraries, static libraries (zlib, GoogleTest), pkgconfig/, cmake/
#   PREFIX/include        headers, also of the header-only libraries (fmt, spdlog, CLI11, toml11,
#                         nlohmann/json, stb/), copied from Debian's installed -dev packages
#   PREFIX/share          CLI11's, toml11's and nlohmann_json's CMake packages and .pc files
#   PREFIX/src/imgui      Dear ImGui 1.86: core, misc/cpp/imgui_stdlib, backends/ for SDL2 and
#                         SDL_Renderer (the app compiles them)
#   PREFIX/.stamp         hash of this script, the prefix and the package versions: when it matches,
#                         nothing is done
#
# The Debian packages it needs are in debian-packages.txt beside it. Steps run under one GNU make
# jobserver of 2 jobs (CUNBO_JOBS), so a configure script runs while another library compiles; each
# step's log is in build/windows/logs. Build trees are deleted after install (CUNBO_KEEP_BUILD=1
# keeps them). Not in the Windows FFmpeg: SRT (no libsrt for mingw in Debian), and the Linux-only
# devices (v4l2, pulse, alsa); on Windows the app has dshow, gdigrab and lavfi.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
script="$here/$(basename "$0")"
root=$(cd "$here/../.." && pwd)
work="$root/build/windows"
triple=x86_64-w64-mingw32
cc=$triple-gcc-posix
cxx=$triple-g++-posix
jobs=${CUNBO_JOBS:-2}
# Source paths in __FILE__ (asserts, log lines) relative to the build tree, not this machine's.
nopath="-ffile-prefix-map=$work/src/="

# Debian source package -> an installed binary package built from it: its version is the Linux
# build's, so the Windows build takes the same one.
pins="ffmpeg:libavcodec59 x264:libx264-164 libsdl2:libsdl2-2.0-0 curl:libcurl4 zlib:zlib1g imgui:libimgui-dev"
# Packages whose versions go into the stamp (the toolchain and what is copied from the host).
stamp_packages="gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix
  gcc-mingw-w64-x86-64-posix-runtime mingw-w64-x86-64-dev
  binutils-mingw-w64-x86-64 nasm cmake ninja-build googletest libfmt-dev libspdlog-dev
  libcli11-dev libtoml11-dev nlohmann-json3-dev libstb-dev"

say() { printf '%s\n' "$*"; }
die() { printf '%s\n' "$*" >&2; exit 1; }
missing() { die "$1 not found: install the Debian package '$2' (or run 'make windows-deps')"; }
need() { command -v "$1" >/dev/null 2>&1 || missing "$1" "$2"; }
need_file() { [ -e "$1" ] || missing "$1" "$2"; }

# ---------------------------------------------------------------------------------------------
# The steps, each run by `build-deps.sh --step NAME` under the jobserver (environment below).

log() { printf '%s\n' "$work/logs/$1.log"; }

# phase NAME: how long the step's last phase took, in its log.
phase_t=$(date +%s)
phase() {
  now=$(date +%s)
  printf -- '-- %s: %s s\n' "$1" $((now - phase_t))
  phase_t=$now
}

# unpack SOURCE-PACKAGE: Debian's source tree, with Debian's patches, in $src/NAME.
unpack() {
  dsc=$(ls "$src/dl/$1"_*.dsc)
  rm -rf "${src:?}/$1"
  # apt-get already checked every file against the signed Sources index.
  dpkg-source --no-check -x "$dsc" "$src/$1" >/dev/null
  phase unpack
}

done_with() { [ "${CUNBO_KEEP_BUILD:-0}" = 1 ] || rm -rf "${src:?}/$1"; }

# cmake_build make|ninja SOURCE-DIR BUILD-DIR CMAKE-ARGS...
# make: its jobs come from the jobserver it inherits (no -j). ninja knows no jobserver: it runs
# one job, in the job slot of its step; its try_compile checks cost a quarter less than make's,
# which pays for projects that configure long and compile little in parallel.
cmake_build() {
  tool=$1 s=$2 b=$3
  shift 3
  rm -rf "$b"
  if [ "$tool" = ninja ]; then gen=Ninja; else gen="Unix Makefiles"; fi
  cmake -S "$s" -B "$b" -G "$gen" -Wno-dev --no-warn-unused-cli \
    -DCMAKE_TOOLCHAIN_FILE="$here/mingw-toolchain.cmake" -DCUNBO_WINDOWS_DEPS="$prefix" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG $nopath" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG $nopath" -DCMAKE_INSTALL_PREFIX="$prefix" "$@"
  phase configure
  if [ "$tool" = ninja ]; then ninja -C "$b" -j1; else make -C "$b"; fi
  phase build
  if [ "$tool" = ninja ]; then ninja -C "$b" install; else make -C "$b" install; fi
  phase install
}

step_zlib() {
  unpack zlib
  cd "$src/zlib"
  CHOST=$triple CC=$cc AR=$triple-ar RANLIB=$triple-ranlib CFLAGS="-O2 $nopath" ./configure --static --prefix="$prefix"
  phase configure
  make libz.a
  phase build
  make install
  phase install
  done_with zlib
}

step_x264() {
  unpack x264
  cd "$src/x264"
  CC=$cc ./configure --host=$triple --cross-prefix=$triple- --prefix="$prefix" --enable-shared \
    --disable-cli --bit-depth=8 --disable-opencl --disable-avs --disable-swscale --disable-lavf \
    --disable-ffms --disable-gpac --disable-lsmash --enable-strip --extra-cflags="-O2 $nopath"
  phase configure
  make
  phase build
  make install-lib-shared
  phase install
  done_with x264
}

# Only what the app uses (media/, client/, ui/): encoders, decoders for cameras, files and images,
# the filters of its graphs (and those FFmpeg inserts: scale, aresample), RTMP(S) over Schannel.
ff_encoders="libx264 h264_mf aac png mjpeg rawvideo wrapped_avframe pcm_s16le pcm_f32le"
ff_decoders="h264 hevc mpeg4 vp8 vp9 mjpeg png webp bmp rawvideo aac aac_latm mp3 mp3float opus
  vorbis flac pcm_s16le pcm_s16be pcm_s24le pcm_s32le pcm_f32le pcm_f64le pcm_u8 pcm_alaw pcm_mulaw"
ff_muxers="flv matroska webm mp4 mov mpegts wav adts null image2"
ff_demuxers="flv live_flv matroska mov mpegts wav mp3 flac ogg aac h264 hevc rawvideo concat
  image2 image_png_pipe image_jpeg_pipe image_webp_pipe"
ff_protocols="file pipe tcp udp tls rtmp rtmps http https httpproxy crypto data"
ff_indevs="dshow gdigrab lavfi"
ff_filters="buffer buffersink abuffer abuffersink format aformat scale aresample null anull copy
  volume highpass lowpass afftdn agate acompressor alimiter eq split asplit gblur maskedclamp
  convolution smartblur transpose hflip vflip fps pad crop overlay setpts asetpts settb asettb
  trim atrim amix ebur128 silencedetect astats testsrc2 sine anullsrc nullsrc color"
ff_bsfs="h264_mp4toannexb hevc_mp4toannexb aac_adtstoasc extract_extradata h264_metadata
  vp9_superframe null"
ff_parsers="h264 hevc aac aac_latm mpegaudio vp8 vp9 opus vorbis flac mjpeg png webp"

ff_list() { # kind names...
  kind=$1
  shift
  printf -- "--enable-$kind=%s " "$@" | sed 's/ $//; s/ --enable-[a-z]*=/,/g'
}

ffmpeg_configure_args() {
  # shellcheck disable=SC2086
  printf '%s\n' --prefix="$prefix" --target-os=mingw32 --arch=x86_64 --cross-prefix=$triple- \
    --cc=$cc --cxx=$cxx --pkg-config=pkg-config --optflags=-O2 \
    --enable-shared --disable-static --disable-programs --disable-doc --disable-debug \
    --disable-postproc --disable-autodetect --enable-w32threads \
    --enable-gpl --enable-libx264 --enable-schannel --enable-mediafoundation --enable-zlib \
    --disable-everything \
    "$(ff_list encoder $ff_encoders)" "$(ff_list decoder $ff_decoders)" \
    "$(ff_list muxer $ff_muxers)" "$(ff_list demuxer $ff_demuxers)" \
    "$(ff_list protocol $ff_protocols)" "$(ff_list indev $ff_indevs)" \
    "$(ff_list filter $ff_filters)" "$(ff_list bsf $ff_bsfs)" "$(ff_list parser $ff_parsers)" \
    --extra-cflags="-I$prefix/include $nopath" --extra-ldflags=-L"$prefix/lib"
}

step_ffmpeg() {
  unpack ffmpeg
  cd "$src/ffmpeg"
  args=$(ffmpeg_configure_args)
  printf 'configure %s\n' "$(printf '%s\n' "$args" | tr '\n' ' ')"
  old_ifs=$IFS
  IFS='
'
  # shellcheck disable=SC2086
  ./configure $args
  IFS=$old_ifs
  if grep -q 'did not match anything' ffbuild/config.log 2>/dev/null; then
    grep 'did not match anything' ffbuild/config.log
    die "an FFmpeg component named in build-deps.sh does not exist"
  fi
  phase configure
  make
  phase build
  make install
  # The DLLs only in bin/: no MSVC import libraries (mingw links the .dll.a ones in lib/).
  rm -f "$prefix/bin/"*.lib
  phase install
  done_with ffmpeg
}

# pch TARGET FIRST-REGEX HEADER...: cmake arguments that precompile the headers for the target's
# sources which start with the first header's #include (precompiled-headers.cmake).
pch() {
  target=$1 first=$2
  shift 2
  headers=$(printf '%s;' "$@")
  printf '%s\n' -DCMAKE_PROJECT_INCLUDE="$here/precompiled-headers.cmake" -DCUNBO_PCH_TARGET="$target" \
    -DCUNBO_PCH_HEADERS="${headers%;}" -DCUNBO_PCH_FIRST="$first"
}

step_sdl2() {
  unpack libsdl2
  s="$src/libsdl2/src"
  first='^[ 	]*#[ 	]*include[ 	]+"(\./|(\.\./)*)SDL_internal\.h"'
  # SDL_internal.h is where nearly every source starts: precompiled, it changes nothing. With
  # core/windows/SDL_windows.h (<windows.h>) after it, every source sees windows.h; for
  # 2.26.5+dfsg-1 that gives the very same SDL2.dll code and data, checked (and saves 40% of
  # the build), so only that version gets it.
  case $(basename "$(ls "$src/dl/libsdl2_"*.dsc)") in
    libsdl2_2.26.5+dfsg-1.dsc) headers="$s/SDL_internal.h $s/core/windows/SDL_windows.h" ;;
    *) headers="$s/SDL_internal.h" ;;
  esac
  old_ifs=$IFS
  IFS='
'
  # shellcheck disable=SC2046,SC2086
  cmake_build ninja "$src/libsdl2" "$src/libsdl2/build" -DSDL_SHARED=ON -DSDL_STATIC=OFF \
    -DSDL_TEST=OFF -DSDL2_DISABLE_UNINSTALL=ON $(IFS=' '; pch SDL2 "$first" $headers)
  IFS=$old_ifs
  done_with libsdl2
}

step_curl() {
  unpack curl
  # Debian's series ends with two patches that turn the tree into the GnuTLS and NSS flavours
  # (debian/rules pops them for the OpenSSL one): undo them, newest first.
  for p in 99_nss 90_gnutls; do
    patch -d "$src/curl" -R -p1 -s < "$src/curl/debian/patches/$p.patch"
  done
  # No CA bundle or path: curl's CMake would bake in the build host's
  # /etc/ssl/certs/ca-certificates.crt, and Schannel would then not use the Windows store.
  # WIN32_LEAN_AND_MEAN, which curl's sources define anyway, halves the cost of its ~150
  # configure checks (windows.h is most of each); no PICKY_COMPILER warning-flag checks.
  # curl_setup.h, where the sources start, precompiled (a quarter of the build time; the same
  # DLL code, checked). Not a unity build: curl 7.88's sources are not ready for one
  # (warnless.c then recurses forever).
  old_ifs=$IFS
  IFS='
'
  # shellcheck disable=SC2046
  cmake_build ninja "$src/curl" "$src/curl/build" -DCMAKE_C_FLAGS=-DWIN32_LEAN_AND_MEAN \
    $(pch libcurl '^[ 	]*#[ 	]*include[ 	]+"(\.\./)*curl_setup\.h"' "$src/curl/lib/curl_setup.h") \
    -DPICKY_COMPILER=OFF -DBUILD_SHARED_LIBS=ON -DBUILD_CURL_EXE=OFF \
    -DBUILD_TESTING=OFF -DENABLE_MANUAL=OFF -DHTTP_ONLY=ON -DCURL_USE_SCHANNEL=ON \
    -DCURL_USE_OPENSSL=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON \
    -DUSE_LIBIDN2=OFF -DUSE_NGHTTP2=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DCURL_ZLIB=ON \
    -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none \
    -DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a"
  IFS=$old_ifs
  done_with curl
}

step_gtest() {
  # Debian's GoogleTest sources (libgtest-dev's /usr/src/googletest), static libraries.
  cmake_build make /usr/src/googletest "$src/googletest-build" -DBUILD_GMOCK=ON -DINSTALL_GTEST=ON \
    -Dgtest_disable_pthreads=ON -DBUILD_SHARED_LIBS=OFF
  done_with googletest-build
}

# Dear ImGui's sources in upstream's layout (the app compiles them): the core, imgui_stdlib
# (std::string widgets) and the SDL2 and SDL_Renderer backends.
step_imgui() {
  unpack imgui
  d="$prefix/src/imgui"
  rm -rf "$d"
  mkdir -p "$d/backends" "$d/misc/cpp"
  cd "$src/imgui"
  cp imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp imgui_demo.cpp imgui.h \
    imgui_internal.h imconfig.h imstb_rectpack.h imstb_textedit.h imstb_truetype.h LICENSE.txt "$d/"
  cp misc/cpp/imgui_stdlib.cpp misc/cpp/imgui_stdlib.h "$d/misc/cpp/"
  cp backends/imgui_impl_sdl.cpp backends/imgui_impl_sdl.h backends/imgui_impl_sdlrenderer.cpp \
    backends/imgui_impl_sdlrenderer.h "$d/backends/"
  done_with imgui
}

step_headers() {
  # Header-only use of Debian's headers (fmt and spdlog as well: FMT_HEADER_ONLY,
  # SPDLOG_HEADER_ONLY; Debian's spdlog is configured for the external fmt), and libstb-dev's
  # stb headers in include/stb (where stb.pc points on Linux; the app compiles what it uses).
  mkdir -p "$prefix/include" "$prefix/share"
  for h in fmt spdlog CLI toml toml.hpp nlohmann stb; do
    rm -rf "${prefix:?}/include/$h"
    cp -R "/usr/include/$h" "$prefix/include/"
  done
  # Their architecture-independent CMake packages and .pc files (relocatable: they point to the
  # prefix they are found in).
  for d in cmake/CLI11 cmake/toml11 cmake/nlohmann_json pkgconfig/CLI11.pc pkgconfig/nlohmann_json.pc; do
    mkdir -p "$prefix/share/$(dirname "$d")"
    rm -rf "${prefix:?}/share/$d"
    cp -R "/usr/share/$d" "$prefix/share/$d"
  done
}

step_runtime() {
  mkdir -p "$prefix/bin"
  for dll in libstdc++-6.dll libgcc_s_seh-1.dll libwinpthread-1.dll; do
    f=$($cxx -print-file-name=$dll)
    [ -f "$f" ] || die "$dll not found beside $cxx"
    # Debian ships libstdc++-6.dll with its debug information (24 MB; 2 MB without).
    $triple-strip --strip-unneeded -o "$prefix/bin/$dll" "$f"
  done
}

if [ "${1:-}" = --step ]; then
  name=$2
  prefix=$CUNBO_DEPS_PREFIX
  src=$CUNBO_DEPS_SRC
  start=$(date +%s)
  # Not `if ! (...)`: set -e does not work inside a tested command.
  set +e
  (set -e; "step_$name") > "$(log "$name")" 2>&1
  rc=$?
  set -e
  times > "$work/logs/$name.times"
  cpu=$(sed -n '2s/\([0-9]*\)m\([0-9]*\)[.0-9]*s \([0-9]*\)m\([0-9]*\)[.0-9]*s/\1 \2 \3 \4/p' "$work/logs/$name.times")
  # shellcheck disable=SC2086
  cpu=$(printf '%s %s %s %s\n' $cpu | { read -r um us sm ss; echo $((um * 60 + us + sm * 60 + ss)); })
  if [ $rc -ne 0 ]; then
    printf '== %s FAILED after %s s; the end of %s:\n' "$name" $(($(date +%s) - start)) "$(log "$name")" >&2
    tail -n 25 "$(log "$name")" >&2
    exit 1
  fi
  echo "$CUNBO_DEPS_HASH" > "$prefix/.steps/$name"
  say "== $name: $(($(date +%s) - start)) s (CPU $cpu s)"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# The driver.

[ $# -le 1 ] || die "usage: $0 [PREFIX]"
prefix=${1:-$root/build/windows/deps}
case $prefix in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

need $cc gcc-mingw-w64-x86-64-posix
need $cxx g++-mingw-w64-x86-64-posix
need $triple-ar binutils-mingw-w64-x86-64
need $triple-windres binutils-mingw-w64-x86-64
need nasm nasm
need make make
need cmake cmake
need ninja ninja-build
need pkg-config pkg-config
need dpkg-source dpkg-dev
need apt-get apt
need patch patch
need xz xz-utils
need bzip2 bzip2
need sha256sum coreutils
need_file /usr/src/googletest/CMakeLists.txt googletest
need_file /usr/include/fmt/core.h libfmt-dev
need_file /usr/include/spdlog/spdlog.h libspdlog-dev
need_file /usr/include/CLI/CLI.hpp libcli11-dev
need_file /usr/include/toml.hpp libtoml11-dev
need_file /usr/include/nlohmann/json.hpp nlohmann-json3-dev
need_file /usr/include/stb/stb_image.h libstb-dev
need_file /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring

# Source packages, pinned to the installed binary package's source version where there is one.
specs=""
for pin in $pins; do
  spec=$(dpkg-query -W -f='${source:Package}=${source:Version}' "${pin#*:}" 2>/dev/null || true)
  case $spec in "${pin%%:*}"=?*) ;; *) spec=${pin%%:*} ;; esac
  specs="$specs $spec"
done
hash=$( {
  cat "$script" "$here/mingw-toolchain.cmake" "$here/precompiled-headers.cmake"
  echo "$prefix" "$specs"
  # shellcheck disable=SC2086
  dpkg-query -W -f='${Package}=${Version}\n' $stamp_packages 2>/dev/null || true
} | sha256sum | cut -d' ' -f1)

if [ -f "$prefix/.stamp" ] && [ "$(cat "$prefix/.stamp")" = "$hash" ]; then
  say "Windows dependencies up to date in $prefix"
  exit 0
fi

# A prefix of an older build starts over; one of this build (an interrupted run) keeps its steps.
if [ -e "$prefix" ]; then
  case $prefix in / | "$root" | "$root/" | "${HOME:-/}" | "${HOME:-}/") die "refusing to use $prefix as the prefix" ;; esac
  if [ -e "$prefix/.stamp" ] || [ -d "$prefix/.steps" ] || [ -z "$(ls -A "$prefix")" ]; then
    kept=$(cat "$prefix"/.steps/* 2>/dev/null | sort -u)
    if [ "$kept" != "$hash" ]; then
      rm -rf "$prefix"
    fi
  else
    die "$prefix exists and was not made by $0: remove it or name another prefix"
  fi
fi
rm -f "$prefix/.stamp"
mkdir -p "$prefix/.steps" "$work/logs"
total_start=$(date +%s)

# Debian's source indexes for the same mirrors and suites as the machine's own sources, in a
# private apt state (no change to the system's lists or caches).
apt="$work/apt"
src="$work/src"
start=$(date +%s)
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/debian-src.sources"
  rm -f "$apt/debian-src.list"
elif [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list > "$apt/debian-src.list"
  rm -f "$apt/debian-src.sources"
else
  die "no /etc/apt/sources.list.d/debian.sources to take Debian's mirrors from"
fi
set -- -q -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$apt" \
  -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
[ "$(id -u)" -ne 0 ] || set -- "$@" -o APT::Sandbox::User=root
apt-get "$@" update > "$work/logs/apt.log" 2>&1 || { cat "$work/logs/apt.log" >&2; die "apt-get update failed"; }
rm -rf "$src/dl"
mkdir -p "$src/dl"
# shellcheck disable=SC2086
if ! (cd "$src/dl" && apt-get "$@" source --download-only $specs) >> "$work/logs/apt.log" 2>&1; then
  # The installed version is no longer on the mirror: take the one there is, and say so.
  for spec in $specs; do
    (cd "$src/dl" && apt-get "$@" source --download-only "$spec") >> "$work/logs/apt.log" 2>&1 && continue
    say "warning: $spec is not on the mirror; building ${spec%%=*} as it is there now"
    (cd "$src/dl" && apt-get "$@" source --download-only "${spec%%=*}") >> "$work/logs/apt.log" 2>&1 \
      || { tail -n 20 "$work/logs/apt.log" >&2; die "cannot download the source package ${spec%%=*}"; }
  done
fi
# The configure options below are written for these upstream versions.
for want in ffmpeg_5.1. x264_0.164. libsdl2_2.26.5 curl_7.88.1 zlib_1.2. imgui_1.86; do
  ls "$src/dl/$want"*.dsc >/dev/null 2>&1 || die "$src/dl has no ${want}* source package (see $work/logs/apt.log)"
done
say "== sources:$(cd "$src/dl" && ls ./*.dsc | sed 's|^\./| |; s|\.dsc$||' | tr -d '\n'): $(($(date +%s) - start)) s"

# One jobserver for everything: FFmpeg's chain (zlib, x264, FFmpeg) is the longest, the others
# fill the second job while it configures or links.
todo=""
for step in zlib x264 ffmpeg curl sdl2 gtest imgui headers runtime; do
  if [ "$(cat "$prefix/.steps/$step" 2>/dev/null)" = "$hash" ]; then
    say "== $step: done in an earlier run"
  else
    todo="$todo $step"
  fi
done
cat > "$work/steps.mk" << EOF
.PHONY: all zlib x264 ffmpeg curl sdl2 gtest imgui headers runtime
all: ffmpeg curl sdl2 gtest imgui headers runtime
ffmpeg: zlib x264
curl: zlib
zlib x264 ffmpeg curl sdl2 gtest imgui headers runtime:
	+@if [ -n "\$(filter \$@,$todo)" ]; then sh "$script" --step \$@; fi
EOF
export CUNBO_DEPS_PREFIX="$prefix" CUNBO_DEPS_SRC="$src" CUNBO_DEPS_HASH="$hash"
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH="" PKG_CONFIG_SYSROOT_DIR=""
unset MAKEFLAGS MFLAGS MAKELEVEL || true
make -s --no-print-directory -j"$jobs" -f "$work/steps.mk" all

# What the app does not need at run time or build time.
rm -rf "$prefix/share/man" "$prefix/share/doc" "$prefix/share/aclocal" "$prefix/share/ffmpeg" \
  "$prefix/share/licenses" "$prefix/lib/"*.la "$prefix/bin/curl-config" "$prefix/bin/sdl2-config"
# dpkg-source leaves the upstream tarballs beside the trees it unpacks.
[ "${CUNBO_KEEP_BUILD:-0}" = 1 ] || rm -rf "$src/dl" "$src/"*.orig.tar.*
echo "$hash" > "$prefix/.stamp"
rm -rf "$prefix/.steps"
say "== total: $(($(date +%s) - total_start)) s; $prefix/bin: $(du -sh "$prefix/bin" | cut -f1)"
say "   $(cd "$prefix/bin" && ls ./*.dll | sed 's|^\./||' | tr '\n' ' ')"
