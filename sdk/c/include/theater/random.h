// WIT interface theater:simple/random. Every value returned is recorded in the chain.
#ifndef THEATER_RANDOM_H
#define THEATER_RANDOM_H

#include "theater/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

// (i32 length, i32 retptr) -> ()
THEATER_IMPORT("random", "random-bytes")
void theater__import_random_bytes(uint32_t length, theater_result_bytes* ret);
// (i64 min, i64 max, i32 retptr) -> ()
THEATER_IMPORT("random", "random-range")
void theater__import_random_range(uint64_t min, uint64_t max, theater_result_u64* ret);
// (i32 retptr) -> (): result<f64, string> flattens to (i32, i64, i32), too many to return.
THEATER_IMPORT("random", "random-float")
void theater__import_random_float(theater_result_f64* ret);
THEATER_IMPORT("random", "generate-uuid")
void theater__import_random_generate_uuid(theater_result_string* ret);

static inline theater_result_bytes theater_random_bytes(uint32_t length) {
  theater_result_bytes ret;
  theater__import_random_bytes(length, &ret);
  return ret;
}

/// A value in [min, max).
static inline theater_result_u64 theater_random_range(uint64_t min, uint64_t max) {
  theater_result_u64 ret;
  theater__import_random_range(min, max, &ret);
  return ret;
}

/// A value in [0, 1).
static inline theater_result_f64 theater_random_float(void) {
  theater_result_f64 ret;
  theater__import_random_float(&ret);
  return ret;
}

static inline theater_result_string theater_random_generate_uuid(void) {
  theater_result_string ret;
  theater__import_random_generate_uuid(&ret);
  return ret;
}

#ifdef __cplusplus
}
#endif

#endif  // THEATER_RANDOM_H
