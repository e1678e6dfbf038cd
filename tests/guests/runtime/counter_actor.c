// The runtime tests' actor, written with the SDK. Its state is a decimal
// counter. init: fails or traps when the initial state asks it to, otherwise
// logs a greeting and keeps (or starts) the counter. handle-send takes
// commands: inc, digit:<d> (appends a decimal digit, so the order of calls
// shows in the state), fail, trap, spin, log:<text>, printf:<text>,
// shutdown:<data>, exit:<code>, chain (logs the length of its own chain).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"

static int state_is(const theater_state* state, const char* text) {
  size_t n = strlen(text);
  return state->is_some && state->val.len == n && memcmp(state->val.ptr, text, n) == 0;
}

static long counter(const theater_state* state) {
  if (!state->is_some) return 0;
  char buf[32] = {0};
  size_t n = state->val.len < sizeof buf - 1 ? state->val.len : sizeof buf - 1;
  memcpy(buf, state->val.ptr, n);
  return strtol(buf, NULL, 10);
}

static void set_counter(theater_state* state, long value) {
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%ld", value);
  theater_state_set_copy(state, buf, (size_t)n);
}

static theater_result init(theater_state* state, theater_string actor_id) {
  if (state_is(state, "\"fail-init\"")) return theater_error("init refused: %s", "asked to fail");
  if (state_is(state, "\"trap-init\"")) __builtin_trap();
  theater_logf("hello from %.*s", (int)actor_id.len, actor_id.ptr);
  set_counter(state, counter(state));
  return theater_ok();
}

static int starts_with(theater_bytes msg, const char* prefix) {
  size_t n = strlen(prefix);
  return msg.len >= n && memcmp(msg.ptr, prefix, n) == 0;
}

static theater_result handle_send(theater_state* state, theater_bytes msg) {
  if (starts_with(msg, "inc")) {
    set_counter(state, counter(state) + 1);
  } else if (starts_with(msg, "digit:") && msg.len == 7) {
    set_counter(state, counter(state) * 10 + (msg.ptr[6] - '0'));
  } else if (starts_with(msg, "fail")) {
    set_counter(state, -999);  // must be discarded: the call fails
    return theater_error("failing on purpose");
  } else if (starts_with(msg, "trap")) {
    __builtin_trap();
  } else if (starts_with(msg, "spin")) {
    volatile long x = 0;
    for (;;) x++;
  } else if (starts_with(msg, "log:")) {
    theater_runtime_log((theater_string){(char*)msg.ptr + 4, msg.len - 4});
  } else if (starts_with(msg, "printf:")) {
    printf("%.*s\n", (int)(msg.len - 7), (const char*)msg.ptr + 7);
    fflush(stdout);
  } else if (starts_with(msg, "shutdown:")) {
    theater_result r =
        theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(msg.ptr + 9, msg.len - 9)));
    if (r.is_err) return r;
  } else if (starts_with(msg, "exit:")) {
    char buf[16] = {0};
    memcpy(buf, msg.ptr + 5, msg.len - 5 < 15 ? msg.len - 5 : 15);
    exit(atoi(buf));
  } else if (starts_with(msg, "chain")) {
    theater_chain_event_list events = theater_runtime_get_chain();
    theater_logf("chain has %zu events", (size_t)events.len);
    theater_chain_event_list_free(&events);
  }
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(handle_send)
