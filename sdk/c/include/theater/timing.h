// WIT interface theater:simple/timing.
#ifndef THEATER_TIMING_H
#define THEATER_TIMING_H

#include "theater/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

// () -> i64: a single flat result is returned directly, no return area.
THEATER_IMPORT("timing", "now")
uint64_t theater__import_timing_now(void);
// (i64, i32 retptr) -> ()
THEATER_IMPORT("timing", "sleep")
void theater__import_timing_sleep(uint64_t duration_ms, theater_result* ret);
THEATER_IMPORT("timing", "deadline")
void theater__import_timing_deadline(uint64_t timestamp_ms, theater_result* ret);

/// Milliseconds since the Unix epoch (recorded in the chain).
static inline uint64_t theater_timing_now(void) {
  return theater__import_timing_now();
}

/// Pauses this actor's current call for duration_ms milliseconds.
static inline theater_result theater_timing_sleep(uint64_t duration_ms) {
  theater_result ret;
  theater__import_timing_sleep(duration_ms, &ret);
  return ret;
}

/// Pauses until the given time (milliseconds since the Unix epoch).
static inline theater_result theater_timing_deadline(uint64_t timestamp_ms) {
  theater_result ret;
  theater__import_timing_deadline(timestamp_ms, &ret);
  return ret;
}

#ifdef __cplusplus
}
#endif

#endif  // THEATER_TIMING_H
