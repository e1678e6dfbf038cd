// What the two messaging benchmark actors share: reading the task that the
// driver puts in init_state (a JSON string, e.g. "send <actor-id> <count>"),
// and ending with a number as the shutdown data, which the driver reads back.
#ifndef BENCH_MESSAGING_TASK_H
#define BENCH_MESSAGING_TASK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/exports.h"
#include "theater/runtime.h"

// The task text without its JSON quotes (malloc'd, NUL-terminated), or NULL
// when the state is not a JSON string. The state is cleared: the actors keep
// their counters in globals, so every call stays as cheap as the work it does.
static inline char* bench_take_task(theater_state* state) {
  if (!state->is_some || state->val.len < 2 || state->val.ptr[0] != '"') return NULL;
  const size_t len = state->val.len - 2;
  char* task = (char*)malloc(len + 1);
  memcpy(task, state->val.ptr + 1, len);
  task[len] = '\0';
  theater_state_clear(state);
  return task;
}

// Shuts the actor down with `value` (decimal) as its data.
static inline theater_result bench_finish(unsigned long long value) {
  char text[32];
  const int n = snprintf(text, sizeof text, "%llu", value);
  return theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(text, (size_t)n)));
}

// Hands a host call's error on as the callback's own, with what was being done.
static inline theater_result bench_check(theater_result result, const char* doing) {
  if (!result.is_err) return result;
  theater_result error = theater_error("%s: %.*s", doing, (int)result.err.len, result.err.ptr);
  theater_result_free(&result);
  return error;
}

#endif  // BENCH_MESSAGING_TASK_H
