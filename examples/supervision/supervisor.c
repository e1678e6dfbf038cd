// supervision example, the supervisor: starts three workers (worker.toml,
// restart = "transient") with their messages as init-bytes, restarts the one
// that crashes (strategy one-for-one in manifest.toml: the handler does it),
// and when every worker has finished, logs the final state and shuts down
// with it as its data, which ends `theater run`.
#include "theater/supervisor.h"

#include <stdio.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/runtime.h"

#define WORKERS 3

// "<name>:<message>,<message>,..."; worker 2 crashes on "crash".
static const char* const kWork[WORKERS] = {
    "worker-1:parse,index,store",
    "worker-2:parse,crash,store",
    "worker-3:fetch,store",
};

// The state, as text: "finished=<n> failures=<n>".
static void counts(const theater_state* state, int* finished, int* failures) {
  char text[64] = {0};
  *finished = *failures = 0;
  if (!state->is_some) return;
  memcpy(text, state->val.ptr, state->val.len < sizeof text - 1 ? state->val.len : sizeof text - 1);
  sscanf(text, "finished=%d failures=%d", finished, failures);
}

static void set_counts(theater_state* state, int finished, int failures) {
  char text[64];
  int n = snprintf(text, sizeof text, "finished=%d failures=%d", finished, failures);
  theater_state_set_copy(state, text, (size_t)n);
}

static theater_result init(theater_state* state, theater_string actor_id) {
  set_counts(state, 0, 0);
  for (int i = 0; i < WORKERS; ++i) {
    theater_bytes work = theater_bytes_view(kWork[i], strlen(kWork[i]));
    theater_result_string child =
        theater_supervisor_spawn(theater_str("worker.toml"), theater_some_bytes(work));
    if (child.is_err) {
      theater_result failure = theater_error("cannot start %s: %.*s", kWork[i],
                                             (int)child.val.err.len, child.val.err.ptr);
      theater_result_string_free(&child);
      return failure;
    }
    theater_logf("supervisor: started %.*s for \"%s\"", (int)child.val.ok.len, child.val.ok.ptr,
                 kWork[i]);
    theater_result_string_free(&child);
  }
  return theater_ok();
}

static theater_result on_child_error(theater_state* state, theater_actor_id child_id,
                                     const theater_actor_error* error) {
  int finished, failures;
  counts(state, &finished, &failures);
  set_counts(state, finished, failures + 1);
  theater_logf("supervisor: %.*s failed (%s); one-for-one restarts it under the same id",
               (int)child_id.len, child_id.ptr, theater_actor_error_kind_name(error->kind));
  return theater_ok();
}

static theater_result on_child_exit(theater_state* state, theater_actor_id child_id,
                                    theater_option_bytes result) {
  int finished, failures;
  counts(state, &finished, &failures);
  set_counts(state, ++finished, failures);
  theater_logf("supervisor: %.*s finished: %.*s", (int)child_id.len, child_id.ptr,
               result.is_some ? (int)result.val.len : 4,
               result.is_some ? (const char*)result.val.ptr : "none");
  if (finished < WORKERS) return theater_ok();
  theater_logf("supervisor: final state: %.*s", (int)state->val.len, (const char*)state->val.ptr);
  return theater_runtime_shutdown(theater_some_bytes(state->val));
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_CHILD_ERROR(on_child_error)
THEATER_EXPORT_HANDLE_CHILD_EXIT(on_child_exit)
