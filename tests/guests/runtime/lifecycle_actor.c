// The CLI end-to-end actor: its initial state (a JSON string) says what init
// does: "shutdown" logs and asks to stop with data, "fail" returns an error,
// "exit3" calls exit(3), "chatty" logs until it is killed, "wait" returns
// and waits to be stopped.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/runtime.h"

static int state_is(const theater_state* state, const char* text) {
  size_t n = strlen(text);
  return state->is_some && state->val.len == n && memcmp(state->val.ptr, text, n) == 0;
}

static theater_result init(theater_state* state, theater_string actor_id) {
  theater_logf("starting %.*s", (int)actor_id.len, actor_id.ptr);
  printf("a line on stdout\n");
  fflush(stdout);
  if (state_is(state, "\"fail\"")) return theater_error("refusing to start");
  if (state_is(state, "\"exit3\"")) exit(3);
  if (state_is(state, "\"chatty\"")) {
    for (long i = 0;; i++) theater_logf("chatty line %ld", i);
  }
  if (state_is(state, "\"shutdown\"")) {
    theater_result r =
        theater_runtime_shutdown(theater_some_bytes(theater_bytes_view("all done", 8)));
    if (r.is_err) return r;
  }
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
