# Building wasm guests from C/C++ (and WAT) as part of the normal build.
#
#   add_wasm_module(<name> SOURCES a.c [b.c] [REACTOR | NOSTDLIB] [FLAGS ...] [LINK_FLAGS ...])
#     -> ${THEATER_WASM_DIR}/<name>.wasm, and a target wasm_<name>
#   add_wat_module(<name> <file.wat>)
#     -> ${THEATER_WASM_DIR}/<name>.wasm via wat2wasm (wabt)
#
# REACTOR: wasi-libc reactor (-mexec-model=reactor, exports _initialize).
# NOSTDLIB: freestanding module (no libc), every function exported.
find_program(WASM_CLANG NAMES clang-14 clang REQUIRED)
find_program(WAT2WASM wat2wasm)
set(THEATER_WASM_DIR "${CMAKE_BINARY_DIR}/wasm" CACHE INTERNAL "")
file(MAKE_DIRECTORY "${THEATER_WASM_DIR}")
add_custom_target(wasm_guests ALL)

function(add_wasm_module name)
  cmake_parse_arguments(W "REACTOR;NOSTDLIB" "" "SOURCES;FLAGS;LINK_FLAGS;DEPENDS" ${ARGN})
  set(out "${THEATER_WASM_DIR}/${name}.wasm")
  set(srcs)
  foreach(s IN LISTS W_SOURCES)
    get_filename_component(abs "${s}" ABSOLUTE)
    list(APPEND srcs "${abs}")
  endforeach()
  set(flags --target=wasm32-wasi -O2 -Wall -Wl,--strip-debug ${W_FLAGS})
  if(W_NOSTDLIB)
    list(APPEND flags -nostdlib -Wl,--no-entry -Wl,--export-dynamic)
  else()
    list(APPEND flags -mexec-model=reactor)
  endif()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${WASM_CLANG} ${flags} ${srcs} ${W_LINK_FLAGS} -o "${out}"
    DEPENDS ${srcs} ${W_DEPENDS}
    COMMENT "wasm guest ${name}"
    VERBATIM)
  add_custom_target(wasm_${name} DEPENDS "${out}")
  add_dependencies(wasm_guests wasm_${name})
endfunction()

function(add_wat_module name wat)
  if(NOT WAT2WASM)
    message(FATAL_ERROR "wat2wasm (Debian package wabt) is required for ${name}")
  endif()
  get_filename_component(abs "${wat}" ABSOLUTE)
  set(out "${THEATER_WASM_DIR}/${name}.wasm")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${WAT2WASM} "${abs}" -o "${out}"
    DEPENDS "${abs}"
    COMMENT "wat module ${name}"
    VERBATIM)
  add_custom_target(wasm_${name} DEPENDS "${out}")
  add_dependencies(wasm_guests wasm_${name})
endfunction()
