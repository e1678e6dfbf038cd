// Scalars: echoed flat (one core value in, one out), all twelve at once
// through a return area, and formatted as the guest sees them, so a value
// lowered wrongly (say s8 -1 not sign-extended) shows up in the text.
#include <stdio.h>

#include "echo_types.h"

EXPORT("echo-bool") bool echo_bool(bool x) {
  return x;
}
EXPORT("echo-u8") uint8_t echo_u8(uint8_t x) {
  return x;
}
EXPORT("echo-u16") uint16_t echo_u16(uint16_t x) {
  return x;
}
EXPORT("echo-u32") uint32_t echo_u32(uint32_t x) {
  return x;
}
EXPORT("echo-u64") uint64_t echo_u64(uint64_t x) {
  return x;
}
EXPORT("echo-s8") int8_t echo_s8(int8_t x) {
  return x;
}
EXPORT("echo-s16") int16_t echo_s16(int16_t x) {
  return x;
}
EXPORT("echo-s32") int32_t echo_s32(int32_t x) {
  return x;
}
EXPORT("echo-s64") int64_t echo_s64(int64_t x) {
  return x;
}
EXPORT("echo-f32") float echo_f32(float x) {
  return x;
}
EXPORT("echo-f64") double echo_f64(double x) {
  return x;
}
EXPORT("echo-char") uint32_t echo_char(uint32_t x) {
  return x;
}

static scalars scalars_area;

EXPORT("echo-scalars")
scalars* echo_scalars(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e, int32_t f, uint64_t g,
                      int64_t h, float i, double j, uint32_t k, bool l) {
  scalars_area = (scalars){a, b, c, d, e, f, g, h, i, j, k, l};
  return &scalars_area;
}

static abi_string format_area;

EXPORT("format-scalars")
abi_string* format_scalars(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e, int32_t f,
                           uint64_t g, int64_t h, float i, double j, uint32_t k, bool l) {
  release_given();
  char text[320];
  int n = snprintf(text, sizeof text,
                   "u8=%u s8=%d u16=%u s16=%d u32=%u s32=%d u64=%llu s64=%lld f32=%.9g f64=%.17g "
                   "char=U+%04X bool=%d",
                   a, b, c, d, e, f, (unsigned long long)g, (long long)h, (double)i, j, k, l);
  format_area = give_string(text, (uint32_t)n);
  return &format_area;
}
POST_RETURN(format_scalars, "format-scalars")
