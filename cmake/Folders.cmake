# add_subdirectory for each listed folder that exists yet, so the layout in
# DESIGN.md can grow one folder at a time.
# THEATER_SKIP_DIRS (a list of folder names) leaves folders out while
# someone is mid-way through writing them.
set(THEATER_SKIP_DIRS "" CACHE STRING "Folder names to leave out of the build")
function(add_existing_subdirectories)
  foreach(dir IN LISTS ARGN)
    if(dir IN_LIST THEATER_SKIP_DIRS)
      continue()
    endif()
    if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt")
      add_subdirectory(${dir})
    endif()
  endforeach()
endfunction()

# theater_handler_library(<target> <sources...>): a handler's library. It is
# linked into the runtime (which registers the handler in
# runtime/builtin_handlers.cpp) without the runtime naming it: every handler
# folder's library is collected in THEATER_HANDLER_LIBRARIES.
function(theater_handler_library name)
  add_library(${name} STATIC ${ARGN})
  set_property(GLOBAL APPEND PROPERTY THEATER_HANDLER_LIBRARIES ${name})
endfunction()

# theater_test(<name> SOURCES ... LIBS ... [WASM guest ...] [ARGS ...] [LABELS ...])
# A GoogleTest executable registered with CTest; WASM names guests it loads
# (built first, found through THEATER_WASM_DIR).
function(theater_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;WASM;ARGS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock theater_malloc)
  target_compile_definitions(${name} PRIVATE THEATER_WASM_DIR="${THEATER_WASM_DIR}"
                                             THEATER_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  foreach(w IN LISTS T_WASM)
    add_dependencies(${name} wasm_${w})
  endforeach()
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
