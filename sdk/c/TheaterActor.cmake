# add_wasm_actor(<name> SOURCES a.c [b.c ...] [FLAGS ...] [LINK_FLAGS ...] [DEPENDS ...])
#   -> ${THEATER_WASM_DIR}/<name>.wasm and a target wasm_<name>
#
# A theater actor written in C against the guest SDK (sdk/c/include/theater): a
# wasi-libc reactor (the host calls _initialize first) with the SDK's sources
# linked in (cabi_realloc, export bookkeeping). Relative SOURCES are relative to
# the calling CMakeLists.txt. Builds on add_wasm_module (cmake/WasmGuest.cmake).

# Remembered at include time: inside the function CMAKE_CURRENT_LIST_DIR is the caller's.
set(THEATER_SDK_C_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "guest SDK for C actors")

function(add_wasm_actor name)
  cmake_parse_arguments(A "" "" "SOURCES;FLAGS;LINK_FLAGS;DEPENDS" ${ARGN})
  if(NOT A_SOURCES)
    message(FATAL_ERROR "add_wasm_actor(${name}): SOURCES is required")
  endif()
  file(GLOB sdk_sources "${THEATER_SDK_C_DIR}/src/*.c")
  # The compile command tracks no header dependencies: list the SDK's headers so
  # that changing one rebuilds every actor.
  file(GLOB sdk_headers "${THEATER_SDK_C_DIR}/include/theater/*.h")
  add_wasm_module(${name} REACTOR
    SOURCES ${A_SOURCES} ${sdk_sources}
    FLAGS -I${THEATER_SDK_C_DIR}/include -Wextra -Wno-unused-parameter ${A_FLAGS}
    LINK_FLAGS ${A_LINK_FLAGS}
    DEPENDS ${sdk_headers} ${A_DEPENDS})
endfunction()
