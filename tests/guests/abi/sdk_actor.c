// An actor written with the C guest SDK: init logs through
// theater:simple/runtime.log and appends "|<actor id>" to its state, so the
// test can read both directions of the SDK's canonical ABI in the new state.
#include <string.h>

#include "theater/actor.h"
#include "theater/runtime.h"

static theater_result init(theater_state* state, theater_string actor_id) {
  if (actor_id.len == 0) return theater_error("init needs an actor id");
  size_t old_len = state->is_some ? state->val.len : 0;
  theater_logf("init %.*s (state of %zu bytes)", (int)actor_id.len, actor_id.ptr, old_len);

  size_t new_len = old_len + 1 + actor_id.len;
  uint8_t* next = malloc(new_len);
  if (!next) abort();
  if (old_len) memcpy(next, state->val.ptr, old_len);
  next[old_len] = '|';
  memcpy(next + old_len + 1, actor_id.ptr, actor_id.len);
  theater_state_set(state, theater_bytes_view(next, new_len));
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
