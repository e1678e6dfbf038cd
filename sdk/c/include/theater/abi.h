// Canonical ABI building blocks for theater guests: strings, byte lists, options,
// lists and results, laid out in linear memory exactly as the component model's
// canonical ABI says (design/mvp/CanonicalABI.md), so the host can read and write
// them. Every layout is checked at compile time by THEATER_ASSERT_LAYOUT.
//
// Ownership in one sentence: a buffer the host hands you came from malloc (through
// cabi_realloc) and is yours to free; see sdk/c/README.md for the details.
#ifndef THEATER_ABI_H
#define THEATER_ABI_H

#if !defined(__wasm32__)
#error "theater guest headers describe wasm32 memory: compile with --target=wasm32-wasi"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#define THEATER_STATIC_ASSERT(cond) static_assert(cond, #cond)
#define THEATER_ALIGNOF(type) alignof(type)
#else
#define THEATER_STATIC_ASSERT(cond) _Static_assert(cond, #cond)
#define THEATER_ALIGNOF(type) _Alignof(type)
#endif

// Size and alignment computed by hand from the canonical ABI's size() and
// alignment(); a mismatch means the host would misread the value.
#define THEATER_ASSERT_LAYOUT(type, size, align) \
  THEATER_STATIC_ASSERT(sizeof(type) == (size)); \
  THEATER_STATIC_ASSERT(THEATER_ALIGNOF(type) == (align))
#define THEATER_ASSERT_OFFSET(type, field, offset) \
  THEATER_STATIC_ASSERT(offsetof(type, field) == (offset))

// A host function of interface `theater:simple/<interface>` named `func` in WIT.
#define THEATER_IMPORT(interface, func) \
  __attribute__((import_module("theater:simple/" interface), import_name(func)))
// A core export under exactly this name (names contain ':', '/' and '#').
#define THEATER_EXPORT_AS(name) __attribute__((export_name(name)))

// For results whose ok value owns no memory.
#define THEATER_NOTHING_TO_FREE(value_ptr) ((void)(value_ptr))

// ---- strings and byte lists -------------------------------------------------

/// WIT `string`: UTF-8 bytes, NOT NUL-terminated; len counts bytes.
typedef struct theater_string {
  char* ptr;
  size_t len;
} theater_string;
THEATER_ASSERT_LAYOUT(theater_string, 8, 4);

/// WIT `list<u8>`.
typedef struct theater_bytes {
  uint8_t* ptr;
  size_t len;
} theater_bytes;
THEATER_ASSERT_LAYOUT(theater_bytes, 8, 4);

/// A borrowed view of a C string (nothing is copied; the SDK never writes through it).
static inline theater_string theater_str(const char* s) {
  theater_string view;
  view.ptr = (char*)s;
  view.len = s ? strlen(s) : 0;
  return view;
}

/// A borrowed view of bytes.
static inline theater_bytes theater_bytes_view(const void* data, size_t len) {
  theater_bytes view;
  view.ptr = (uint8_t*)data;
  view.len = len;
  return view;
}

/// An owned (malloc'd) copy; free with theater_bytes_free. Never returns ptr == NULL,
/// so a copy of nothing is still a buffer that can be handed to the host.
static inline theater_bytes theater_bytes_copy(const void* data, size_t len) {
  theater_bytes copy;
  copy.ptr = (uint8_t*)malloc(len ? len : 1);
  if (!copy.ptr) abort();  // out of memory traps, as the canonical ABI assumes
  if (len) memcpy(copy.ptr, data, len);
  copy.len = len;
  return copy;
}

/// An owned copy of a string view; free with theater_string_free.
static inline theater_string theater_string_copy(theater_string s) {
  theater_bytes copy = theater_bytes_copy(s.ptr, s.len);
  theater_string out;
  out.ptr = (char*)copy.ptr;
  out.len = copy.len;
  return out;
}

/// An owned copy of a C string.
static inline theater_string theater_string_dup(const char* s) {
  return theater_string_copy(theater_str(s));
}

/// An owned, NUL-terminated copy for C APIs (printf "%s", strcmp...); free() it.
static inline char* theater_string_to_cstr(theater_string s) {
  char* out = (char*)malloc(s.len + 1);
  if (!out) abort();
  if (s.len) memcpy(out, s.ptr, s.len);
  out[s.len] = '\0';
  return out;
}

static inline bool theater_string_equals(theater_string s, const char* cstr) {
  size_t n = strlen(cstr);
  return s.len == n && (n == 0 || memcmp(s.ptr, cstr, n) == 0);
}

static inline void theater_string_free(theater_string* s) {
  free(s->ptr);
  s->ptr = NULL;
  s->len = 0;
}

static inline void theater_bytes_free(theater_bytes* b) {
  free(b->ptr);
  b->ptr = NULL;
  b->len = 0;
}

// ---- options, lists, results ------------------------------------------------

/// option<T>: a one-byte discriminant, then T at T's alignment (canonical variant layout).
#define THEATER_DEFINE_OPTION(name, value_type) \
  typedef struct name {                         \
    bool is_some;                               \
    value_type val;                             \
  } name;

/// list<T> whose elements own memory: {ptr, len} plus name##_free, which frees each
/// element with free_element and then the array.
#define THEATER_DEFINE_LIST(name, element_type, free_element)           \
  typedef struct name {                                                 \
    element_type* ptr;                                                  \
    size_t len;                                                         \
  } name;                                                               \
  static inline void name##_free(name* list) {                          \
    for (size_t i = 0; i < list->len; ++i) free_element(&list->ptr[i]); \
    free(list->ptr);                                                    \
    list->ptr = NULL;                                                   \
    list->len = 0;                                                      \
  }

/// result<T, string>: a one-byte discriminant (is_err), then the payload at the
/// larger alignment of T and string. name##_free frees whichever case is set.
#define THEATER_DEFINE_RESULT(name, ok_type, free_ok) \
  typedef struct name {                               \
    bool is_err;                                      \
    union {                                           \
      ok_type ok;                                     \
      theater_string err;                             \
    } val;                                            \
  } name;                                             \
  static inline void name##_free(name* result) {      \
    if (result->is_err) {                             \
      theater_string_free(&result->val.err);          \
    } else {                                          \
      free_ok(&result->val.ok);                       \
    }                                                 \
  }

THEATER_DEFINE_OPTION(theater_option_bytes, theater_bytes)
THEATER_ASSERT_LAYOUT(theater_option_bytes, 12, 4);
THEATER_ASSERT_OFFSET(theater_option_bytes, val, 4);
THEATER_DEFINE_OPTION(theater_option_string, theater_string)
THEATER_ASSERT_LAYOUT(theater_option_string, 12, 4);
THEATER_DEFINE_OPTION(theater_option_u32, uint32_t)
THEATER_ASSERT_LAYOUT(theater_option_u32, 8, 4);
THEATER_DEFINE_OPTION(theater_option_s32, int32_t)
THEATER_ASSERT_LAYOUT(theater_option_s32, 8, 4);
THEATER_DEFINE_OPTION(theater_option_u64, uint64_t)
THEATER_ASSERT_LAYOUT(theater_option_u64, 16, 8);
THEATER_ASSERT_OFFSET(theater_option_u64, val, 8);

static inline theater_option_bytes theater_some_bytes(theater_bytes b) {
  theater_option_bytes o;
  o.is_some = true;
  o.val = b;
  return o;
}

static inline theater_option_bytes theater_no_bytes(void) {
  theater_option_bytes o;
  memset(&o, 0, sizeof o);
  return o;
}

static inline void theater_option_bytes_free(theater_option_bytes* o) {
  if (o->is_some) theater_bytes_free(&o->val);
  o->is_some = false;
}

static inline void theater_option_string_free(theater_option_string* o) {
  if (o->is_some) theater_string_free(&o->val);
  o->is_some = false;
}

/// list<string>
THEATER_DEFINE_LIST(theater_string_list, theater_string, theater_string_free)
THEATER_ASSERT_LAYOUT(theater_string_list, 8, 4);

/// tuple<string, string>
typedef struct theater_string_pair {
  theater_string first;
  theater_string second;
} theater_string_pair;
THEATER_ASSERT_LAYOUT(theater_string_pair, 16, 4);

static inline void theater_string_pair_free(theater_string_pair* pair) {
  theater_string_free(&pair->first);
  theater_string_free(&pair->second);
}

/// list<tuple<string, string>>
THEATER_DEFINE_LIST(theater_string_pair_list, theater_string_pair, theater_string_pair_free)

/// result<_, string>. Also what every exported callback returns: build it with
/// theater_ok() or theater_error(...) (exports.h).
typedef struct theater_result {
  bool is_err;
  theater_string err;
} theater_result;
THEATER_ASSERT_LAYOUT(theater_result, 12, 4);
THEATER_ASSERT_OFFSET(theater_result, err, 4);

static inline void theater_result_free(theater_result* r) {
  if (r->is_err) theater_string_free(&r->err);
}

THEATER_DEFINE_RESULT(theater_result_u32, uint32_t, THEATER_NOTHING_TO_FREE)
THEATER_ASSERT_LAYOUT(theater_result_u32, 12, 4);
THEATER_DEFINE_RESULT(theater_result_u64, uint64_t, THEATER_NOTHING_TO_FREE)
THEATER_ASSERT_LAYOUT(theater_result_u64, 16, 8);
THEATER_ASSERT_OFFSET(theater_result_u64, val, 8);
THEATER_DEFINE_RESULT(theater_result_f64, double, THEATER_NOTHING_TO_FREE)
THEATER_ASSERT_LAYOUT(theater_result_f64, 16, 8);
THEATER_DEFINE_RESULT(theater_result_bool, bool, THEATER_NOTHING_TO_FREE)
THEATER_ASSERT_LAYOUT(theater_result_bool, 12, 4);
THEATER_ASSERT_OFFSET(theater_result_bool, val, 4);
THEATER_DEFINE_RESULT(theater_result_string, theater_string, theater_string_free)
THEATER_ASSERT_LAYOUT(theater_result_string, 12, 4);
THEATER_DEFINE_RESULT(theater_result_bytes, theater_bytes, theater_bytes_free)
THEATER_ASSERT_LAYOUT(theater_result_bytes, 12, 4);
THEATER_DEFINE_RESULT(theater_result_option_bytes, theater_option_bytes, theater_option_bytes_free)
THEATER_ASSERT_LAYOUT(theater_result_option_bytes, 16, 4);
THEATER_DEFINE_RESULT(theater_result_string_list, theater_string_list, theater_string_list_free)
THEATER_ASSERT_LAYOUT(theater_result_string_list, 12, 4);

// ---- flattening helpers for option<string|list> and option<scalar> parameters --
// A `none` is passed as discriminant 0 with zeroed payload, as lower_flat_variant does.
#define THEATER_FLAT_OPTION_LIST(opt) \
  (int32_t)(opt).is_some, (opt).is_some ? (opt).val.ptr : NULL, (opt).is_some ? (opt).val.len : 0
#define THEATER_FLAT_OPTION_SCALAR(opt) (int32_t)(opt).is_some, (opt).is_some ? (opt).val : 0

#ifdef __cplusplus
}
#endif

#endif  // THEATER_ABI_H
