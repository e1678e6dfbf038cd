// The host-call benchmark's actor: "now <n>", "bytes <n>" (random-bytes(32))
// and "empty <n>" (the benchmark's empty host call) each make n host calls in
// one handle-request call, so the call into the actor is shared by n of them.
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/random.h"
#include "theater/timing.h"

__attribute__((import_module("theater:simple/bench-empty"), import_name("nothing"))) void
bench_nothing(void);

static theater_result init(theater_state* state, theater_string actor_id) {
  return theater_ok();
}

static theater_result handle_request(theater_state* state, theater_string id, theater_bytes msg,
                                     theater_option_bytes* response) {
  char text[64] = {0};
  memcpy(text, msg.ptr, msg.len < sizeof text - 1 ? msg.len : sizeof text - 1);
  char* count = strchr(text, ' ');
  long n = count ? strtol(count + 1, NULL, 10) : 0;
  unsigned long long sum = 0;
  for (long i = 0; i < n; ++i) {
    if (text[0] == 'n') {
      sum += theater_timing_now();
    } else if (text[0] == 'b') {
      theater_result_bytes r = theater_random_bytes(32);
      if (r.is_err) return theater_error("random-bytes failed");
      sum += r.val.ok.ptr[0];
      theater_result_bytes_free(&r);
    } else {
      bench_nothing();
    }
  }
  *response = theater_some_bytes(theater_bytes_copy(&sum, sizeof sum));
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_REQUEST(handle_request)
