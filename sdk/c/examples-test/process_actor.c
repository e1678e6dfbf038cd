// Compile check for the SDK: an actor that starts a process at init and counts the
// bytes its process writes; the state is the count as 8 little-endian bytes.
#include <stdio.h>

#include "theater/actor.h"
#include "theater/process.h"
#include "theater/runtime.h"

static uint64_t count_in(const theater_state* state) {
  uint64_t count = 0;
  if (state->is_some && state->val.len == sizeof count)
    memcpy(&count, state->val.ptr, sizeof count);
  return count;
}

static theater_result init(theater_state* state, theater_string actor_id) {
  printf("process actor %.*s starting\n", (int)actor_id.len, actor_id.ptr);  // WASI stdout

  theater_string args[] = {theater_str("hello"), theater_str("world")};
  theater_process_config config;
  memset(&config, 0, sizeof config);
  config.program = theater_str("echo");
  config.args.ptr = args;
  config.args.len = 2;
  config.stdout_mode = THEATER_OUTPUT_LINE_BY_LINE;
  config.stderr_mode = THEATER_OUTPUT_RAW;
  config.execution_timeout.is_some = true;
  config.execution_timeout.val = 10;

  theater_result_u64 spawned = theater_process_os_spawn(&config);
  if (spawned.is_err) {
    theater_result failure =
        theater_error("spawn failed: %.*s", (int)spawned.val.err.len, spawned.val.err.ptr);
    theater_result_u64_free(&spawned);
    return failure;
  }
  theater_logf("started process %llu", (unsigned long long)spawned.val.ok);
  uint64_t zero = 0;
  theater_state_set_copy(state, &zero, sizeof zero);
  return theater_ok();
}

static theater_result count_output(theater_state* state, uint64_t pid, theater_bytes data) {
  uint64_t count = count_in(state) + data.len;
  theater_state_set_copy(state, &count, sizeof count);
  return theater_ok();
}

static theater_result on_exit(theater_state* state, uint64_t pid, int32_t exit_code) {
  theater_runtime_log(theater_str(exit_code == 0 ? "process succeeded" : "process failed"));
  return exit_code == 0
             ? theater_ok()
             : theater_error("process %llu exited with %d", (unsigned long long)pid, exit_code);
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_STDOUT(count_output)
THEATER_EXPORT_HANDLE_STDERR(count_output)
THEATER_EXPORT_HANDLE_EXIT(on_exit)
