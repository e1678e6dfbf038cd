// Strings, lists, options, results, tuples, records, variants, enums and
// flags: each export lifts its flat parameters the way the canonical ABI
// flattens them, copies what it owns, and answers through a return area
// (or flat, when the result is one core value).
#include <string.h>

#include "echo_types.h"

static abi_string string_area;
EXPORT("echo-string") abi_string* echo_string(char* ptr, uint32_t len) {
  release_given();
  string_area = take_string(ptr, len);
  return &string_area;
}
POST_RETURN(echo_string, "echo-string")

static abi_list bytes_area;
EXPORT("echo-bytes") abi_list* echo_bytes(uint8_t* ptr, uint32_t len) {
  release_given();
  bytes_area = take_list(ptr, len, 1, 1);
  return &bytes_area;
}
POST_RETURN(echo_bytes, "echo-bytes")

static abi_list u64s_area;
EXPORT("echo-u64s") abi_list* echo_u64s(uint64_t* ptr, uint32_t len) {
  release_given();
  u64s_area = take_list(ptr, len, 8, 8);
  return &u64s_area;
}
POST_RETURN(echo_u64s, "echo-u64s")

static abi_list take_strings(abi_string* elems, uint32_t len) {
  abi_string* copy = give((size_t)len * sizeof *copy, 4);
  for (uint32_t i = 0; i < len; ++i) copy[i] = take_string(elems[i].ptr, elems[i].len);
  guest_free(elems);
  return (abi_list){copy, len};
}

static abi_list strings_area;
EXPORT("echo-strings") abi_list* echo_strings(abi_string* ptr, uint32_t len) {
  release_given();
  strings_area = take_strings(ptr, len);
  return &strings_area;
}
POST_RETURN(echo_strings, "echo-strings")

// ---- option -----------------------------------------------------------------

static opt_u32 opt_u32_area;
EXPORT("echo-option-u32") opt_u32* echo_option_u32(uint32_t is_some, uint32_t val) {
  opt_u32_area = (opt_u32){(uint8_t)is_some, is_some ? val : 0};
  return &opt_u32_area;
}

static opt_string opt_string_area;
EXPORT("echo-option-string")
opt_string* echo_option_string(uint32_t is_some, char* ptr, uint32_t len) {
  release_given();
  opt_string_area = take_opt_string(is_some, ptr, len);
  return &opt_string_area;
}
POST_RETURN(echo_option_string, "echo-option-string")

// option<option<u8>>: none, some(none) and some(some(x)) are three values.
typedef struct opt_opt_u8 {
  uint8_t is_some;
  uint8_t inner_is_some;
  uint8_t val;
} opt_opt_u8;
ASSERT_LAYOUT(opt_opt_u8, 3, 1);

static opt_opt_u8 opt_opt_area;
EXPORT("echo-option-option")
opt_opt_u8* echo_option_option(uint32_t is_some, uint32_t inner_is_some, uint32_t val) {
  opt_opt_area = (opt_opt_u8){(uint8_t)is_some, (uint8_t)inner_is_some, (uint8_t)val};
  return &opt_opt_area;
}

// ---- result -----------------------------------------------------------------

typedef struct result_u32_string {
  uint8_t is_err;
  union {
    uint32_t ok;
    abi_string err;
  } val;
} result_u32_string;
ASSERT_LAYOUT(result_u32_string, 12, 4);

static result_u32_string u32_string_area;
EXPORT("echo-result-u32-string")
result_u32_string* echo_result_u32_string(uint32_t is_err, uint32_t slot1, uint32_t slot2) {
  release_given();
  u32_string_area.is_err = (uint8_t)is_err;
  if (is_err) {
    u32_string_area.val.err = take_string((char*)(uintptr_t)slot1, slot2);
  } else {
    u32_string_area.val.ok = slot1;
  }
  return &u32_string_area;
}
POST_RETURN(echo_result_u32_string, "echo-result-u32-string")

// result<_, string>
typedef struct result_unit_string {
  uint8_t is_err;
  abi_string err;
} result_unit_string;
ASSERT_LAYOUT(result_unit_string, 12, 4);

static result_unit_string unit_string_area;
EXPORT("echo-result-unit-string")
result_unit_string* echo_result_unit_string(uint32_t is_err, char* ptr, uint32_t len) {
  release_given();
  unit_string_area = (result_unit_string){(uint8_t)is_err, {0}};
  if (is_err) unit_string_area.err = take_string(ptr, len);
  return &unit_string_area;
}
POST_RETURN(echo_result_unit_string, "echo-result-unit-string")

// result<u64, _>
typedef struct result_u64_unit {
  uint8_t is_err;
  uint64_t ok;
} result_u64_unit;
ASSERT_LAYOUT(result_u64_unit, 16, 8);

static result_u64_unit u64_unit_area;
EXPORT("echo-result-u64-unit")
result_u64_unit* echo_result_u64_unit(uint32_t is_err, uint64_t ok) {
  u64_unit_area = (result_u64_unit){(uint8_t)is_err, is_err ? 0 : ok};
  return &u64_unit_area;
}

// result (no payloads): one flat value each way.
EXPORT("echo-result-unit-unit") uint32_t echo_result_unit_unit(uint32_t is_err) {
  return is_err;
}

// result<f32, s64>: both cases share one i64 slot (the join of f32 and i64).
typedef struct result_f32_s64 {
  uint8_t is_err;
  union {
    float ok;
    int64_t err;
  } val;
} result_f32_s64;
ASSERT_LAYOUT(result_f32_s64, 16, 8);

static result_f32_s64 f32_s64_area;
EXPORT("echo-result-f32-s64") result_f32_s64* echo_result_f32_s64(uint32_t is_err, uint64_t slot) {
  memset(&f32_s64_area, 0, sizeof f32_s64_area);
  f32_s64_area.is_err = (uint8_t)is_err;
  if (is_err) {
    f32_s64_area.val.err = (int64_t)slot;
  } else {
    uint32_t bits = (uint32_t)slot;
    memcpy(&f32_s64_area.val.ok, &bits, sizeof bits);
  }
  return &f32_s64_area;
}

// ---- tuple, record, variant, enum, flags --------------------------------------

// tuple<u8, string, f64>
typedef struct tuple_u8_string_f64 {
  uint8_t a;
  abi_string b;
  double c;
} tuple_u8_string_f64;
ASSERT_LAYOUT(tuple_u8_string_f64, 24, 8);

static tuple_u8_string_f64 tuple_area;
EXPORT("echo-tuple")
tuple_u8_string_f64* echo_tuple(uint32_t a, char* b_ptr, uint32_t b_len, double c) {
  release_given();
  tuple_area = (tuple_u8_string_f64){(uint8_t)a, take_string(b_ptr, b_len), c};
  return &tuple_area;
}
POST_RETURN(echo_tuple, "echo-tuple")

// record person { name: string, age: u8, tags: list<string>, score: option<f64> }
typedef struct person {
  abi_string name;
  uint8_t age;
  abi_list tags;
  struct {
    uint8_t is_some;
    double val;
  } score;
} person;
ASSERT_LAYOUT(person, 40, 8);
ASSERT_OFFSET(person, tags, 12);
ASSERT_OFFSET(person, score, 24);

static person person_area;
EXPORT("echo-person")
person* echo_person(char* name_ptr, uint32_t name_len, uint32_t age, abi_string* tags_ptr,
                    uint32_t tags_len, uint32_t score_is_some, double score) {
  release_given();
  memset(&person_area, 0, sizeof person_area);
  person_area.name = take_string(name_ptr, name_len);
  person_area.age = (uint8_t)age;
  person_area.tags = take_strings(tags_ptr, tags_len);
  person_area.score.is_some = (uint8_t)score_is_some;
  if (score_is_some) person_area.score.val = score;
  return &person_area;
}
POST_RETURN(echo_person, "echo-person")

static shape shape_area;
EXPORT("echo-shape") shape* echo_shape(uint32_t tag, uint64_t slot1, uint32_t slot2) {
  release_given();
  shape_area = take_shape(tag, slot1, slot2);
  return &shape_area;
}
POST_RETURN(echo_shape, "echo-shape")

// enum color { red, green, blue }: one flat i32.
EXPORT("echo-color") uint32_t echo_color(uint32_t color) {
  return color;
}

// tuple<color, perms (flags, 3 labels), flags with 12 labels, flags with 40 labels>
typedef struct color_flags {
  uint8_t color;
  uint8_t perms;
  uint16_t flags12;
  uint32_t flags40[2];
} color_flags;
ASSERT_LAYOUT(color_flags, 12, 4);

static color_flags color_flags_area;
EXPORT("echo-enum-flags")
color_flags* echo_enum_flags(uint32_t color, uint32_t perms, uint32_t flags12, uint32_t flags40_low,
                             uint32_t flags40_high) {
  color_flags_area =
      (color_flags){(uint8_t)color, (uint8_t)perms, (uint16_t)flags12, {flags40_low, flags40_high}};
  return &color_flags_area;
}
