# Injected into a dependency's own CMake project by build-deps.sh (-DCMAKE_PROJECT_INCLUDE=this
# file): precompiles the headers every source of one target starts with, which are mostly
# <windows.h> and cost half a second in each of a few hundred files.
#
#   CUNBO_PCH_TARGET   the target (libcurl, SDL2)
#   CUNBO_PCH_HEADERS  the headers to precompile, in order (absolute paths)
#   CUNBO_PCH_FIRST    regular expression: only the sources whose first preprocessor line matches
#                      it (the #include of the first header) use them; the others compile as
#                      they are, so no source sees anything before what it includes itself.
#
# build-deps.sh checked, for the versions it builds, that the DLLs' code is byte for byte the
# same as without precompiled headers.
include_guard(GLOBAL)

function(cunbo_precompile_dependency)
  get_target_property(sources ${CUNBO_PCH_TARGET} SOURCES)
  get_target_property(dir ${CUNBO_PCH_TARGET} SOURCE_DIR)
  set(skipped 0)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.c$")
      continue()
    endif()
    if(IS_ABSOLUTE "${source}")
      set(path "${source}")
    else()
      set(path "${dir}/${source}")
    endif()
    file(STRINGS "${path}" directives REGEX "^[ \t]*#")
    set(first "")
    if(directives)
      list(GET directives 0 first)
    endif()
    if(NOT first MATCHES "${CUNBO_PCH_FIRST}")
      set_source_files_properties("${path}" TARGET_DIRECTORY ${CUNBO_PCH_TARGET}
                                  PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      math(EXPR skipped "${skipped} + 1")
    endif()
  endforeach()
  target_precompile_headers(${CUNBO_PCH_TARGET} PRIVATE ${CUNBO_PCH_HEADERS})
  message(STATUS "Precompiled ${CUNBO_PCH_HEADERS} for ${CUNBO_PCH_TARGET} (${skipped} sources without)")
endfunction()

if(CMAKE_SOURCE_DIR STREQUAL CMAKE_CURRENT_SOURCE_DIR AND CUNBO_PCH_TARGET)
  # Once the whole project is read, when the target and all its sources exist.
  cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL cunbo_precompile_dependency)
endif()
