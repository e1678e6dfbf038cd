// The guest of bench_abi: each export does as little as its WIT signature
// allows, so a call's cost is the host's lowering and lifting plus one
// export call. Canonical ABI by hand, wasi-libc for malloc.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("cabi_realloc")
void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;  // malloc aligns to 16
  void* block = realloc(old, new_size ? new_size : 1);
  if (!block) __builtin_trap();
  return block;
}

// The baseline: an export call that moves no values.
EXPORT("noop") void noop(void) {}

// take-bytes: func(bytes: list<u8>) -> u32, and take-string: func(s: string) -> u32.
// The guest owns what the host placed with cabi_realloc: it frees it.
EXPORT("take-bytes") uint32_t take_bytes(uint8_t* ptr, uint32_t len) {
  free(ptr);
  return len;
}
EXPORT("take-string") uint32_t take_string(char* ptr, uint32_t len) {
  free(ptr);
  return len;
}

// give-bytes: func(len: u32) -> list<u8>, and give-string: func(len: u32) -> string.
// The answer points at a buffer the guest keeps, so no post-return is needed.
static struct {
  char* ptr;
  uint32_t len;
} list_area;
static char* buffer;
static uint32_t buffer_len;

static void* give(uint32_t len) {
  if (len > buffer_len) {
    buffer = realloc(buffer, len);
    if (!buffer) __builtin_trap();
    for (uint32_t i = buffer_len; i < len; ++i) buffer[i] = (char)('a' + i % 26);  // ASCII: UTF-8
    buffer_len = len;
  }
  list_area.ptr = buffer;
  list_area.len = len;
  return &list_area;
}
EXPORT("give-bytes") void* give_bytes(uint32_t len) {
  return give(len);
}
EXPORT("give-string") void* give_string(uint32_t len) {
  return give(len);
}

// record record16 { a: u8, b: u16, c: u32, d: u64, e: s8, f: s16, g: s32, h: s64,
//                   i: f32, j: f64, k: char, l: bool, m: u32, n: u64, o: f32, p: f64 }
// Sixteen flat values: exactly MAX_FLAT_PARAMS, so it is passed flat.
typedef struct record16 {
  uint8_t a;
  uint16_t b;
  uint32_t c;
  uint64_t d;
  int8_t e;
  int16_t f;
  int32_t g;
  int64_t h;
  float i;
  double j;
  uint32_t k;
  bool l;
  uint32_t m;
  uint64_t n;
  float o;
  double p;
} record16;
_Static_assert(sizeof(record16) == 88 && _Alignof(record16) == 8, "canonical layout");

// take-record16: func(r: record16) -> u32
EXPORT("take-record16")
uint32_t take_record16(uint8_t a, uint16_t b, uint32_t c, uint64_t d, int8_t e, int16_t f,
                       int32_t g, int64_t h, float i, double j, uint32_t k, bool l, uint32_t m,
                       uint64_t n, float o, double p) {
  (void)d, (void)h, (void)i, (void)j, (void)n, (void)o, (void)p;
  return a + b + c + (uint32_t)e + (uint32_t)f + (uint32_t)g + k + l + m;
}

// give-record16: func() -> record16 (through a return area)
static record16 record_area = {1,    2,    3,       4,    -5, -6, -7,    -8,
                               9.5f, 10.5, 0x1F600, true, 13, 14, 15.5f, 16.5};
EXPORT("give-record16") record16* give_record16(void) {
  return &record_area;
}
