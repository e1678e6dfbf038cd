// The WIT types of the echo guest (README.md) in their canonical memory
// layout, and the helpers that take ownership of a parameter by copying it
// into a given block (freeing the original), as an echo must.
#ifndef ABI_ECHO_TYPES_H
#define ABI_ECHO_TYPES_H

#include "guest_abi.h"

// option<u32>
typedef struct opt_u32 {
  uint8_t is_some;
  uint32_t val;
} opt_u32;
ASSERT_LAYOUT(opt_u32, 8, 4);

// option<string>
typedef struct opt_string {
  uint8_t is_some;
  abi_string val;
} opt_string;
ASSERT_LAYOUT(opt_string, 12, 4);

// tuple<u8, s8, u16, s16, u32, s32, u64, s64, f32, f64, char, bool>
typedef struct scalars {
  uint8_t a;
  int8_t b;
  uint16_t c;
  int16_t d;
  uint32_t e;
  int32_t f;
  uint64_t g;
  int64_t h;
  float i;
  double j;
  uint32_t k;
  bool l;
} scalars;
ASSERT_LAYOUT(scalars, 56, 8);
ASSERT_OFFSET(scalars, k, 48);

// variant shape { nothing, small(u8), num(f64), text(string), ratio(f32) }
enum { SHAPE_NOTHING, SHAPE_SMALL, SHAPE_NUM, SHAPE_TEXT, SHAPE_RATIO };
typedef struct shape {
  uint8_t tag;
  union {
    uint8_t small;
    double num;
    abi_string text;
    float ratio;
  } val;
} shape;
ASSERT_LAYOUT(shape, 16, 8);

// record item { a: option<string>, b: list<u8> }
typedef struct item {
  opt_string a;
  abi_list b;
} item;
ASSERT_LAYOUT(item, 20, 4);

// result<shape, string>
typedef struct result_shape {
  uint8_t is_err;
  union {
    shape ok;
    abi_string err;
  } val;
} result_shape;
ASSERT_LAYOUT(result_shape, 24, 8);

// The 15 parameters of echo-spilled (18 flat values) as the tuple the host
// stores in memory, which is also the result type.
typedef struct spilled {
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
  uint32_t k;  // char
  bool l;
  abi_string m;
  abi_list n;  // list<u8>
  opt_u32 o;
} spilled;
ASSERT_LAYOUT(spilled, 80, 8);
ASSERT_OFFSET(spilled, m, 56);
ASSERT_OFFSET(spilled, o, 72);

// Taking a parameter: copy it into given blocks, free the host-placed original.
abi_string take_string(char* ptr, uint32_t len);
abi_list take_list(void* ptr, uint32_t len, uint32_t elem_size, uint32_t align);
opt_string take_opt_string(uint32_t is_some, char* ptr, uint32_t len);
item take_item(const item* param);
// A shape from its flat values (i32 tag, i64 slot, i32 slot).
shape take_shape(uint32_t tag, uint64_t slot1, uint32_t slot2);
// Makes every block of a value the host placed (an import's result) given.
void give_owned_item(const item* value);
void give_owned_shape(const shape* value);

#endif  // ABI_ECHO_TYPES_H
