// cabi_realloc over wasi-libc's malloc, with a count of live blocks, so a test
// can see that the host's post-return calls free everything a call handed back
// (export "live-blocks": host-placed parameters plus given answers).
#include <stdlib.h>
#include <string.h>

#include "guest_abi.h"

static uint32_t live_blocks;

// Blocks of the current answer, freed by release_given().
static void** given;
static size_t given_count, given_capacity;

EXPORT("cabi_realloc")
void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (align > _Alignof(max_align_t)) __builtin_trap();
  // A real block even for size 0, so every pointer the host hands over can be freed.
  void* block = realloc(old, new_size ? new_size : 1);
  if (!block) __builtin_trap();  // out of memory traps, as the canonical ABI assumes
  if (!old) live_blocks++;
  return block;
}

void guest_free(void* block) {
  if (!block) return;
  live_blocks--;
  free(block);
}

EXPORT("live-blocks") uint32_t live_blocks_now(void) {
  return live_blocks;
}

void give_owned(void* block) {
  if (given_count == given_capacity) {
    given_capacity = given_capacity ? 2 * given_capacity : 64;
    given = realloc(given, given_capacity * sizeof *given);
    if (!given) __builtin_trap();
  }
  given[given_count++] = block;
}

void* give(size_t size, size_t align) {
  void* block = cabi_realloc(NULL, 0, align, size);
  give_owned(block);
  return block;
}

abi_string give_string(const char* ptr, uint32_t len) {
  abi_string copy = {give(len, 1), len};
  memcpy(copy.ptr, ptr, len);
  return copy;
}

abi_list give_list(const void* ptr, uint32_t len, uint32_t elem_size, uint32_t align) {
  abi_list copy = {give((size_t)len * elem_size, align), len};
  memcpy(copy.ptr, ptr, (size_t)len * elem_size);
  return copy;
}

void release_given(void) {
  for (size_t i = 0; i < given_count; ++i) guest_free(given[i]);
  given_count = 0;
}
