// A guest that breaks the canonical ABI on purpose, one way per export: bad
// pointers, lengths, UTF-8, discriminants and alignment in what it returns
// and in what it passes to host functions, and a cabi_realloc that lies or
// traps when told to (set-realloc-mode). The host must answer each with a
// clean error and stay usable, and so must this instance.
#include <stdlib.h>
#include <string.h>

#include "guest_abi.h"

// ---- the allocator, honest until told otherwise -------------------------------

enum { REALLOC_HONEST, REALLOC_OUT_OF_RANGE, REALLOC_MISALIGNED, REALLOC_TRAP };
static uint32_t realloc_mode = REALLOC_HONEST;

EXPORT("set-realloc-mode") void set_realloc_mode(uint32_t mode) {
  realloc_mode = mode;
}

EXPORT("cabi_realloc")
void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;  // the honest path relies on malloc's 16-byte alignment
  switch (realloc_mode) {
    case REALLOC_OUT_OF_RANGE:
      return (void*)(uintptr_t)0xFFFF0000u;  // far past a memory of a few pages
    case REALLOC_MISALIGNED: {
      char* block = malloc(new_size + 16);  // malloc aligns to 16: one byte on is misaligned
      return block ? block + 1 : NULL;
    }
    case REALLOC_TRAP:
      __builtin_trap();
  }
  void* block = realloc(old, new_size ? new_size : 1);
  if (!block) __builtin_trap();
  return block;
}

// Exports that take strings and lists, so the host has to allocate.
EXPORT("take-string") uint32_t take_string(char* ptr, uint32_t len) {
  free(ptr);
  return len;
}
EXPORT("take-u64s") uint32_t take_u64s(uint64_t* ptr, uint32_t len) {
  free(ptr);
  return len;
}

// ---- bad answers ----------------------------------------------------------------

static abi_string string_area;
static abi_list list_area;
static _Alignas(8) unsigned char scratch[64];

EXPORT("bad-string-pointer") abi_string* bad_string_pointer(void) {
  string_area = (abi_string){(char*)(uintptr_t)0xFFFFFF00u, 16};
  return &string_area;
}

// list<u32> of 2^30 + 1 elements: 4 GiB + 4 bytes, which wraps in 32 bits.
EXPORT("bad-list-length") abi_list* bad_list_length(void) {
  list_area = (abi_list){scratch, 0x40000001u};
  return &list_area;
}

EXPORT("bad-return-area") abi_string* bad_return_area(void) {
  return (abi_string*)(uintptr_t)0xFFFFFFF8u;
}

EXPORT("bad-utf8") abi_string* bad_utf8(void) {
  static const char bytes[] = "ok\xC3\x28";  // 0xC3 wants a continuation byte
  string_area = (abi_string){(char*)bytes, 4};
  return &string_area;
}

// option<u32> whose discriminant is neither 0 (none) nor 1 (some).
EXPORT("bad-option") void* bad_option(void) {
  memset(scratch, 0, sizeof scratch);
  scratch[0] = 2;
  return scratch;
}

EXPORT("bad-enum") uint32_t bad_enum(void) {
  return 3;
}  // color has cases 0..2

EXPORT("bad-char") uint32_t bad_char(void) {
  return 0xD800;
}  // a surrogate

// list<option<u8>>: element 0 is some(7), element 1 has discriminant 5.
EXPORT("bad-nested-element") abi_list* bad_nested_element(void) {
  static const uint8_t elements[] = {1, 7, 5, 0};
  list_area = (abi_list){(void*)elements, 2};
  return &list_area;
}

// list<u64> at a pointer 4 bytes off its 8-byte alignment.
EXPORT("misaligned-list") abi_list* misaligned_list(void) {
  list_area = (abi_list){scratch + 4, 2};
  return &list_area;
}

// A return area for tuple<u64, u32> (alignment 8) at a pointer that is 4 off.
EXPORT("misaligned-return-area") void* misaligned_return_area(void) {
  return scratch + 4;
}

// ---- host functions called with bad pointers ----------------------------------

HOST_IMPORT("log") void host_log(const char* ptr, uint32_t len);
HOST_IMPORT("sum-u32s") uint64_t host_sum_u32s(const uint32_t* ptr, uint32_t len);
HOST_IMPORT("greet") void host_greet(const char* name, uint32_t len, abi_string* ret);
HOST_IMPORT("transform-spilled") void host_transform_spilled(const void* params, void* ret);

EXPORT("log-out-of-bounds") void log_out_of_bounds(void) {
  host_log((const char*)(uintptr_t)0xFFFFFF00u, 10);
}
EXPORT("log-length-overflow") void log_length_overflow(void) {
  host_log((const char*)scratch, 0xFFFFFFFFu);
}
EXPORT("log-bad-utf8") void log_bad_utf8(void) {
  host_log("\xFF\xFE", 2);
}

EXPORT("sum-misaligned") uint64_t sum_misaligned(void) {
  return host_sum_u32s((const uint32_t*)(scratch + 1), 2);
}

EXPORT("greet-bad-return-pointer") void greet_bad_return_pointer(void) {
  host_greet("x", 1, (abi_string*)(uintptr_t)0xFFFFFFFCu);
}
EXPORT("greet-misaligned-return-pointer") void greet_misaligned_return_pointer(void) {
  host_greet("x", 1, (abi_string*)(scratch + 2));
}

EXPORT("spilled-bad-parameters") void spilled_bad_parameters(void) {
  static _Alignas(8) unsigned char answer[80];
  host_transform_spilled((const void*)(uintptr_t)0xFFFFFF00u, answer);
}

// A well-behaved import call, to show the instance still works: the host
// places its answer with cabi_realloc, so this one feels a lying allocator.
static abi_string greeting_area;
EXPORT("fetch-greeting") abi_string* fetch_greeting(void) {
  free(greeting_area.ptr);
  greeting_area = (abi_string){0};
  host_greet("guest", 5, &greeting_area);
  return &greeting_area;
}
