// The supervisor tests' child actor, written with the SDK. Its state is
// kept as given (init-bytes, resume state, or the manifest's init_state).
// init traps when its state is "crash-on-restart" and its own chain shows it
// was restarted (a child that crashes as soon as it is started again).
// handle-send commands: inc (appends "+" to the state), trap, fail,
// shutdown:<data>, shutdown-none.
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"

static int bytes_are(const uint8_t* p, size_t n, const char* text) {
  return n == strlen(text) && memcmp(p, text, n) == 0;
}

static int starts_with(theater_bytes msg, const char* prefix) {
  size_t k = strlen(prefix);
  return msg.len >= k && memcmp(msg.ptr, prefix, k) == 0;
}

static int was_restarted(void) {
  theater_chain_event_list events = theater_runtime_get_chain();
  int restarted = 0;
  for (size_t i = 0; i < events.len; i++) {
    if (bytes_are((const uint8_t*)events.ptr[i].event_type.ptr, events.ptr[i].event_type.len,
                  "theater-runtime/restart"))
      restarted = 1;
  }
  theater_chain_event_list_free(&events);
  return restarted;
}

static theater_result init(theater_state* state, theater_string actor_id) {
  if (state->is_some && bytes_are(state->val.ptr, state->val.len, "crash-on-restart") &&
      was_restarted()) {
    __builtin_trap();
  }
  return theater_ok();
}

static theater_result handle_send(theater_state* state, theater_bytes msg) {
  if (starts_with(msg, "inc")) {
    char buf[256];
    size_t n = state->is_some ? state->val.len : 0;
    if (n > sizeof buf - 1) n = sizeof buf - 1;
    if (n) memcpy(buf, state->val.ptr, n);
    buf[n++] = '+';
    theater_state_set_copy(state, buf, n);
  } else if (starts_with(msg, "trap")) {
    __builtin_trap();
  } else if (starts_with(msg, "fail")) {
    return theater_error("failing on purpose");
  } else if (starts_with(msg, "shutdown:")) {
    theater_result r =
        theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(msg.ptr + 9, msg.len - 9)));
    if (r.is_err) return r;
  } else if (starts_with(msg, "shutdown-none")) {
    theater_result r = theater_runtime_shutdown(theater_no_bytes());
    if (r.is_err) return r;
  }
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(handle_send)
