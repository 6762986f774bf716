# Finds every system package the build needs. A missing one stops configure with the name of
# the Debian package that provides it (all of them are in third_party/debian-packages.txt;
# `make deps` installs the missing ones).
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config' (or run 'make deps')")
endif()

function(cunbo_require_pkgconfig target module debian_package)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: install the Debian package '${debian_package}' (or run 'make deps')")
  endif()
endfunction()

function(cunbo_require_cmake_package package debian_package)
  find_package(${package} QUIET ${ARGN})
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR "${package} not found: install the Debian package '${debian_package}' (or run 'make deps')")
  endif()
endfunction()

cunbo_require_pkgconfig(AVCODEC    libavcodec    libavcodec-dev)
cunbo_require_pkgconfig(AVFORMAT   libavformat   libavformat-dev)
cunbo_require_pkgconfig(AVDEVICE   libavdevice   libavdevice-dev)
cunbo_require_pkgconfig(AVFILTER   libavfilter   libavfilter-dev)
cunbo_require_pkgconfig(AVUTIL     libavutil     libavutil-dev)
cunbo_require_pkgconfig(SWSCALE    libswscale    libswscale-dev)
cunbo_require_pkgconfig(SWRESAMPLE libswresample libswresample-dev)
cunbo_require_pkgconfig(SDL2       sdl2          libsdl2-dev)
cunbo_require_pkgconfig(IMGUI      imgui         libimgui-dev)
cunbo_require_pkgconfig(CURL       libcurl       libcurl4-openssl-dev)
cunbo_require_pkgconfig(FONTCONFIG fontconfig    libfontconfig-dev)
cunbo_require_pkgconfig(ALSA       alsa          libasound2-dev)

cunbo_require_cmake_package(Threads       build-essential)
cunbo_require_cmake_package(fmt           libfmt-dev)
cunbo_require_cmake_package(spdlog        libspdlog-dev)
cunbo_require_cmake_package(CLI11         libcli11-dev)
cunbo_require_cmake_package(toml11        libtoml11-dev)
cunbo_require_cmake_package(nlohmann_json nlohmann-json3-dev)

if(CUNBO_BUILD_TESTS)
  cunbo_require_cmake_package(GTest libgtest-dev)
  cunbo_require_pkgconfig(HTTPLIB cpp-httplib libcpp-httplib-dev)
endif()
if(CUNBO_BUILD_BENCH)
  cunbo_require_cmake_package(benchmark libbenchmark-dev)
endif()

# One target for all of FFmpeg's libraries we use.
add_library(cunbo_ffmpeg INTERFACE)
target_link_libraries(cunbo_ffmpeg INTERFACE PkgConfig::AVDEVICE PkgConfig::AVFILTER PkgConfig::AVFORMAT
                      PkgConfig::AVCODEC PkgConfig::SWSCALE PkgConfig::SWRESAMPLE PkgConfig::AVUTIL)
