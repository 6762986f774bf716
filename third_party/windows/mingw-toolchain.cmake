# CMake toolchain file for the Windows x64 build, cross-compiled on Debian 12 with mingw-w64's
# posix-thread compilers (Debian packages gcc-mingw-w64-x86-64-posix, g++-mingw-w64-x86-64-posix).
#
#   cmake -S . -B build/windows/app -DCMAKE_TOOLCHAIN_FILE=third_party/windows/mingw-toolchain.cmake
#
# Libraries come only from the prefix that third_party/windows/build-deps.sh fills
# (CUNBO_WINDOWS_DEPS, default build/windows/deps) and from mingw-w64's own sysroot; nothing on
# the build host is ever found, neither by find_* nor by pkg-config.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(CUNBO_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${CUNBO_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${CUNBO_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${CUNBO_MINGW_TRIPLE}-windres)
# -posix compilers put gcc's own archiver wrappers next to them; binutils' are fine as well.
set(CMAKE_AR ${CUNBO_MINGW_TRIPLE}-ar CACHE FILEPATH "Archiver")
set(CMAKE_RANLIB ${CUNBO_MINGW_TRIPLE}-ranlib CACHE FILEPATH "Ranlib")

get_filename_component(_cunbo_default_deps "${CMAKE_CURRENT_LIST_DIR}/../../build/windows/deps" ABSOLUTE)
set(CUNBO_WINDOWS_DEPS "${_cunbo_default_deps}" CACHE PATH
    "Prefix with the Windows dependencies (third_party/windows/build-deps.sh)")
# try_compile() projects read this file again: hand them the same prefix.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES CUNBO_WINDOWS_DEPS)

set(CMAKE_FIND_ROOT_PATH "${CUNBO_WINDOWS_DEPS}" /usr/${CUNBO_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # build tools (pkg-config, nasm) run on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: the host's binary, but only the prefix's .pc files (no sysroot rewriting: they
# hold absolute paths into the prefix).
find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config)
set(ENV{PKG_CONFIG_LIBDIR} "${CUNBO_WINDOWS_DEPS}/lib/pkgconfig:${CUNBO_WINDOWS_DEPS}/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
