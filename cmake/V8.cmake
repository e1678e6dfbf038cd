# Finds V8 from Debian's libnode: installed (/usr) or unpacked by
# scripts/setup-deps.sh into .deps/libnode/usr. Defines the target v8::v8.
set(_v8_roots "${V8_ROOT}" "${CMAKE_SOURCE_DIR}/.deps/libnode/usr" "/usr")
foreach(root IN LISTS _v8_roots)
  if(root AND EXISTS "${root}/include/node/v8.h")
    file(GLOB _v8_lib "${root}/lib/*/libnode.so.*[0-9]")
    if(_v8_lib)
      set(V8_INCLUDE_DIR "${root}/include/node")
      list(GET _v8_lib 0 V8_LIBRARY)
      break()
    endif()
  endif()
endforeach()
if(NOT V8_LIBRARY)
  message(FATAL_ERROR "V8 (libnode) not found: run scripts/setup-deps.sh (make setup)")
endif()
message(STATUS "V8: ${V8_LIBRARY}")
get_filename_component(V8_LIBRARY_DIR "${V8_LIBRARY}" DIRECTORY)

add_library(v8::v8 SHARED IMPORTED GLOBAL)
set_target_properties(v8::v8 PROPERTIES
  IMPORTED_LOCATION "${V8_LIBRARY}"
  IMPORTED_NO_SONAME FALSE)
# V8's headers are third-party: mark them SYSTEM so our warnings stay ours.
target_include_directories(v8::v8 SYSTEM INTERFACE "${V8_INCLUDE_DIR}")
# Binaries find an unpacked libnode through their rpath.
set(CMAKE_BUILD_RPATH "${V8_LIBRARY_DIR}")
set(CMAKE_INSTALL_RPATH "$ORIGIN/../lib")
