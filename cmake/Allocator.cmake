# The allocator our executables run on: jemalloc, except under sanitizers
# (which bring their own). Link `theater_malloc` into an executable (never a
# library): it replaces malloc for the whole process, V8 included.
#
# Why not glibc's malloc: a runtime's hot paths allocate on one thread and
# free on another (the event loop builds a call, the actor's thread runs and
# frees it; the actor appends an event, the log writer frees it). glibc then
# takes the arena lock of the allocating thread on every free; at a few
# hundred thousand callbacks a second that lock and the refilling of empty
# per-thread caches cost about a third of the CPU (docs/PERFORMANCE.md).
set(THEATER_MALLOC "jemalloc" CACHE STRING "Allocator for executables: jemalloc or system")
set_property(CACHE THEATER_MALLOC PROPERTY STRINGS jemalloc system)
if(THEATER_SANITIZE)
  set(THEATER_MALLOC "system" CACHE STRING "" FORCE)
endif()

add_library(theater_malloc INTERFACE)
if(THEATER_MALLOC STREQUAL "jemalloc")
  find_library(JEMALLOC_LIBRARY NAMES jemalloc)
  if(NOT JEMALLOC_LIBRARY)
    message(FATAL_ERROR "jemalloc not found: run scripts/setup-deps.sh (make setup), "
                        "or configure with -DTHEATER_MALLOC=system")
  endif()
  # Nothing calls jemalloc by name, so keep the linker from dropping it.
  target_link_libraries(theater_malloc INTERFACE
                        "-Wl,--push-state,--no-as-needed" ${JEMALLOC_LIBRARY} "-Wl,--pop-state")
  target_compile_definitions(theater_malloc INTERFACE THEATER_MALLOC_JEMALLOC=1)
elseif(NOT THEATER_MALLOC STREQUAL "system")
  message(FATAL_ERROR "THEATER_MALLOC must be jemalloc or system, not ${THEATER_MALLOC}")
endif()
