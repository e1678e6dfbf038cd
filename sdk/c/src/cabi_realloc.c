// The allocator the host calls to place strings and lists in the actor's memory
// (canonical ABI `realloc` option, exported as cabi_realloc).
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>

#include "theater/abi.h"

THEATER_EXPORT_AS("cabi_realloc")
void* cabi_realloc(void* ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  // malloc's alignment covers every theater:simple type (the largest is 8, for u64).
  if (align > alignof(max_align_t)) abort();
  // Zero-size requests still get a real block, so that every pointer the host hands
  // the actor can be passed to free(), whatever its length.
  void* block = realloc(ptr, new_size ? new_size : 1);
  // Out of memory traps the call, as the canonical ABI assumes.
  if (!block) abort();
  return block;
}
