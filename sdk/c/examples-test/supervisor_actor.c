// Compile check for the SDK: a supervisor that starts one child at init, restarts
// it when it fails, and keeps the child's last result as its own state.
#include "theater/actor.h"
#include "theater/environment.h"
#include "theater/runtime.h"
#include "theater/supervisor.h"

static theater_result init(theater_state* state, theater_string actor_id) {
  const char* manifest = theater_environment_exists(theater_str("CHILD_MANIFEST"))
                             ? "child.toml"
                             : "default-child.toml";
  theater_result_string child = theater_supervisor_spawn(theater_str(manifest), theater_no_bytes());
  if (child.is_err) {
    theater_result failure =
        theater_error("cannot start child: %.*s", (int)child.val.err.len, child.val.err.ptr);
    theater_result_string_free(&child);
    return failure;
  }
  theater_logf("started child %.*s", (int)child.val.ok.len, child.val.ok.ptr);
  theater_result_string_free(&child);
  return theater_ok();
}

static theater_result on_child_error(theater_state* state, theater_actor_id child_id,
                                     const theater_actor_error* error) {
  theater_logf("child %.*s failed (%s): %.*s", (int)child_id.len, child_id.ptr,
               theater_actor_error_kind_name(error->kind), (int)error->message.len,
               error->message.ptr);
  if (error->kind == THEATER_ACTOR_ERROR_OUT_OF_FUEL) {
    return theater_supervisor_stop_child(child_id);
  }
  return theater_supervisor_restart_child(child_id);
}

static theater_result on_child_exit(theater_state* state, theater_actor_id child_id,
                                    theater_option_bytes result) {
  if (result.is_some) {
    theater_state_set_copy(state, result.val.ptr, result.val.len);
  } else {
    theater_state_clear(state);
  }
  theater_chain_event_list chain = theater_runtime_get_chain();
  theater_logf("%zu events so far", chain.len);
  theater_chain_event_list_free(&chain);
  return theater_ok();
}

static theater_result on_child_external_stop(theater_state* state, theater_actor_id child_id) {
  theater_result_option_bytes last = theater_supervisor_get_child_state(child_id);
  theater_result_option_bytes_free(&last);
  return theater_runtime_shutdown(*state);
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_CHILD_ERROR(on_child_error)
THEATER_EXPORT_HANDLE_CHILD_EXIT(on_child_exit)
THEATER_EXPORT_HANDLE_CHILD_EXTERNAL_STOP(on_child_external_stop)
