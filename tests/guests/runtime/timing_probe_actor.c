// Calls timing.now during init and logs the answer: for the test that a
// handler is started before any of its host functions is called.
#include "theater/actor.h"
#include "theater/runtime.h"
#include "theater/timing.h"

static theater_result init(theater_state* state, theater_string actor_id) {
  theater_logf("now is %llu", (unsigned long long)theater_timing_now());
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
