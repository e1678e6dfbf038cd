// The process benchmarks' actor. Its init_state (a JSON string) says what to do:
//   "raw <path>"    cat <path> in raw mode, counting bytes
//   "lines <path>"  cat <path> line by line, counting lines
//   "spawn <n>"     run /bin/true n times, each started from the previous one's handle-exit
// When done it shuts down with the count (decimal) as its data, so the harness
// can check that everything arrived.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/process.h"
#include "theater/runtime.h"

enum task { RAW, LINES, SPAWN };
static enum task task_kind;
static unsigned long long count;  // bytes, lines or processes
static long spawns_left;

static theater_result spawn(const char* program, const char* arg, theater_process_output_mode mode,
                            uint32_t buffer_size) {
  theater_string args[1] = {theater_str(arg)};
  theater_process_config config;
  memset(&config, 0, sizeof config);
  config.program = theater_str(program);
  config.args.ptr = args;
  config.args.len = arg ? 1 : 0;
  config.buffer_size = buffer_size;
  config.stdout_mode = mode;
  config.stderr_mode = THEATER_OUTPUT_RAW;
  theater_result_u64 started = theater_process_os_spawn(&config);
  if (!started.is_err) return theater_ok();
  theater_result error = theater_error("cannot start %s: %.*s", program, (int)started.val.err.len,
                                       started.val.err.ptr);
  theater_string_free(&started.val.err);
  return error;
}

static theater_result finish(void) {
  char text[32];
  const int n = snprintf(text, sizeof text, "%llu", count);
  return theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(text, (size_t)n)));
}

static theater_result init(theater_state* state, theater_string actor_id) {
  char task[512] = {0};
  if (!state->is_some || state->val.len < 2 || state->val.len >= sizeof task) {
    return theater_error("init_state must be a JSON string naming the task");
  }
  memcpy(task, state->val.ptr + 1, state->val.len - 2);  // without the quotes
  theater_state_clear(state);
  if (strncmp(task, "raw ", 4) == 0) {
    task_kind = RAW;
    return spawn("/bin/cat", task + 4, THEATER_OUTPUT_RAW, 65536);
  }
  if (strncmp(task, "lines ", 6) == 0) {
    task_kind = LINES;
    return spawn("/bin/cat", task + 6, THEATER_OUTPUT_LINE_BY_LINE, 0);
  }
  if (strncmp(task, "spawn ", 6) == 0) {
    task_kind = SPAWN;
    spawns_left = atol(task + 6) - 1;
    return spawn("/bin/true", NULL, THEATER_OUTPUT_RAW, 0);
  }
  return theater_error("unknown task %s", task);
}

static theater_result on_stdout(theater_state* state, uint64_t pid, theater_bytes data) {
  count += task_kind == LINES ? 1 : data.len;
  return theater_ok();
}

static theater_result on_exit(theater_state* state, uint64_t pid, int32_t code) {
  if (code != 0) return theater_error("process %llu exited with %d", (unsigned long long)pid, code);
  if (task_kind != SPAWN) return finish();
  ++count;
  if (spawns_left-- > 0) return spawn("/bin/true", NULL, THEATER_OUTPUT_RAW, 0);
  return finish();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_STDOUT(on_stdout)
THEATER_EXPORT_HANDLE_EXIT(on_exit)
