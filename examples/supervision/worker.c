// supervision example, a worker: its init-bytes are "<name>:<m1>,<m2>,...".
// Its messages reach it as the output lines of one printf it starts (the
// process handler): the message server, which will carry messages between
// actors, is being written in parallel. It handles each line; on "crash" it
// traps, unless its own chain shows it was restarted already (so the run
// shows one crash and one restart). When printf exits, it shuts down with
// "<name>: <n> messages handled".
#include <stdio.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/process.h"
#include "theater/runtime.h"

#define MAX_MESSAGES 16

static int was_restarted(void) {
  theater_chain_event_list events = theater_runtime_get_chain();
  int restarted = 0;
  for (size_t i = 0; i < events.len; i++)
    if (theater_string_equals(events.ptr[i].event_type, "theater-runtime/restart")) restarted = 1;
  theater_chain_event_list_free(&events);
  return restarted;
}

// The state: "<name>:<messages>|<handled>".
static size_t name_length(const theater_state* state) {
  const char* colon = memchr(state->val.ptr, ':', state->val.len);
  return colon ? (size_t)(colon - (const char*)state->val.ptr) : state->val.len;
}

static int handled(const theater_state* state) {
  const char* bar = memchr(state->val.ptr, '|', state->val.len);
  int n = 0;
  if (bar) sscanf(bar + 1, "%d", &n);
  return n;
}

static void set_handled(theater_state* state, int n) {
  char text[512];
  const char* bar = memchr(state->val.ptr, '|', state->val.len);
  size_t keep = bar ? (size_t)(bar - (const char*)state->val.ptr) : state->val.len;
  if (keep > sizeof text - 16) keep = sizeof text - 16;
  memcpy(text, state->val.ptr, keep);
  int len = (int)keep + snprintf(text + keep, sizeof text - keep, "|%d", n);
  theater_state_set_copy(state, text, (size_t)len);
}

static theater_result init(theater_state* state, theater_string actor_id) {
  if (!state->is_some || !memchr(state->val.ptr, ':', state->val.len))
    return theater_error("init-bytes must be \"<name>:<message>,...\"");
  // printf '%s\n' m1 m2 ...: one line per message.
  char list[512];
  size_t len = state->val.len < sizeof list - 1 ? state->val.len : sizeof list - 1;
  memcpy(list, state->val.ptr, len);
  list[len] = '\0';
  theater_string args[MAX_MESSAGES + 1];
  size_t count = 0;
  args[count++] = theater_str("%s\\n");
  for (char* m = strtok(list + name_length(state) + 1, ","); m && count <= MAX_MESSAGES;
       m = strtok(NULL, ","))
    args[count++] = (theater_string){m, strlen(m)};
  set_handled(state, 0);

  theater_process_config config;
  memset(&config, 0, sizeof config);
  config.program = theater_str("printf");
  config.args.ptr = args;
  config.args.len = count;
  config.stdout_mode = THEATER_OUTPUT_LINE_BY_LINE;
  theater_result_u64 started = theater_process_os_spawn(&config);
  if (started.is_err) {
    theater_result failure =
        theater_error("cannot run printf: %.*s", (int)started.val.err.len, started.val.err.ptr);
    theater_string_free(&started.val.err);
    return failure;
  }
  theater_logf("%.*s: started%s", (int)name_length(state), (const char*)state->val.ptr,
               was_restarted() ? " again, after a restart" : "");
  return theater_ok();
}

static theater_result on_stdout(theater_state* state, uint64_t pid, theater_bytes line) {
  const int name = (int)name_length(state);
  const char* who = (const char*)state->val.ptr;
  if (line.len == 5 && memcmp(line.ptr, "crash", 5) == 0) {
    if (!was_restarted()) {
      theater_logf("%.*s: message \"crash\": crashing (a trap)", name, who);
      __builtin_trap();
    }
    theater_logf("%.*s: message \"crash\" again, after my restart: skipped", name, who);
    return theater_ok();
  }
  theater_logf("%.*s: handled \"%.*s\"", name, who, (int)line.len, (const char*)line.ptr);
  set_handled(state, handled(state) + 1);
  return theater_ok();
}

static theater_result on_exit(theater_state* state, uint64_t pid, int32_t code) {
  char text[128];
  int n = snprintf(text, sizeof text, "%.*s: %d messages handled", (int)name_length(state),
                   (const char*)state->val.ptr, handled(state));
  return theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(text, (size_t)n)));
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_STDOUT(on_stdout)
THEATER_EXPORT_HANDLE_EXIT(on_exit)
