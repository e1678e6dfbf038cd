// The canonical ABI written by hand, for the abi test guests (no SDK): names,
// the (ptr, len) pair of strings and lists, and the allocator bookkeeping of
// guest_alloc.c. Every struct a guest shares with the host states its
// canonical size and alignment (CanonicalABI.md size()/alignment()), so a
// layout slip fails the build instead of a test.
#ifndef ABI_GUEST_H
#define ABI_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
// Every test host function lives in one import module.
#define HOST_IMPORT(name) __attribute__((import_module("test:abi/host"), import_name(name)))

#define ASSERT_LAYOUT(type, size, align)                 \
  _Static_assert(sizeof(type) == (size), #type " size"); \
  _Static_assert(_Alignof(type) == (align), #type " align")
#define ASSERT_OFFSET(type, field, offset) \
  _Static_assert(offsetof(type, field) == (offset), #type "." #field " offset")

// string and list<T>: a pointer and a count (bytes for strings, elements for lists).
typedef struct abi_string {
  char* ptr;
  uint32_t len;
} abi_string;
ASSERT_LAYOUT(abi_string, 8, 4);

typedef struct abi_list {
  void* ptr;
  uint32_t len;
} abi_list;
ASSERT_LAYOUT(abi_list, 8, 4);

// The canonical ABI allocator, exported as cabi_realloc (guest_alloc.c).
void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size);

// Frees a block the host placed with cabi_realloc (a parameter the guest now owns).
void guest_free(void* block);

// A block the guest hands back to the host: it stays alive until post-return.
void* give(size_t size, size_t align);
abi_string give_string(const char* ptr, uint32_t len);
abi_list give_list(const void* ptr, uint32_t len, uint32_t elem_size, uint32_t align);
// Makes a block the host allocated (an import's result) part of the answer.
void give_owned(void* block);

// Frees every given block: what cabi_post_<export> does, and what every export
// does first in case the host skipped post-return.
void release_given(void);

// cabi_post_<export> for an export that returns a return-area pointer.
#define POST_RETURN(c_name, export_name)                            \
  EXPORT("cabi_post_" export_name) void c_name##_post(void* area) { \
    (void)area;                                                     \
    release_given();                                                \
  }

#endif  // ABI_GUEST_H
