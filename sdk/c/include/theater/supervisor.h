// WIT interfaces theater:simple/supervisor (imports: manage child actors) and
// theater:simple/supervisor-handlers (exports: hear about them).
// Every call checks that the id is one of the caller's own children.
#ifndef THEATER_SUPERVISOR_H
#define THEATER_SUPERVISOR_H

#include "theater/exports.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---- supervisor imports ------------------------------------------------------

// (i32 i32 manifest, i32 i32 i32 option<list<u8>>, i32 retptr) -> ()
THEATER_IMPORT("supervisor", "spawn")
void theater__import_supervisor_spawn(const char* manifest, size_t manifest_len,
                                      int32_t init_is_some, const uint8_t* init, size_t init_len,
                                      theater_result_string* ret);
THEATER_IMPORT("supervisor", "resume")
void theater__import_supervisor_resume(const char* manifest, size_t manifest_len,
                                       int32_t state_is_some, const uint8_t* state,
                                       size_t state_len, theater_result_string* ret);
// (i32 retptr) -> ()
THEATER_IMPORT("supervisor", "list-children")
void theater__import_supervisor_list_children(theater_string_list* ret);
// (i32 i32 child-id, i32 retptr) -> ()
THEATER_IMPORT("supervisor", "stop-child")
void theater__import_supervisor_stop_child(const char* child_id, size_t child_id_len,
                                           theater_result* ret);
THEATER_IMPORT("supervisor", "restart-child")
void theater__import_supervisor_restart_child(const char* child_id, size_t child_id_len,
                                              theater_result* ret);
THEATER_IMPORT("supervisor", "get-child-state")
void theater__import_supervisor_get_child_state(const char* child_id, size_t child_id_len,
                                                theater_result_option_bytes* ret);
THEATER_IMPORT("supervisor", "get-child-events")
void theater__import_supervisor_get_child_events(const char* child_id, size_t child_id_len,
                                                 theater_result_chain_events* ret);

/// Starts a child. manifest: a path, a store reference or inline TOML; init_bytes
/// (borrowed) overrides the initial state. ok holds the child's id.
static inline theater_result_string theater_supervisor_spawn(theater_string manifest,
                                                             theater_option_bytes init_bytes) {
  theater_result_string ret;
  theater__import_supervisor_spawn(manifest.ptr, manifest.len, THEATER_FLAT_OPTION_LIST(init_bytes),
                                   &ret);
  return ret;
}

/// Starts a child from a saved state; init is called with that state.
static inline theater_result_string theater_supervisor_resume(theater_string manifest,
                                                              theater_option_bytes init_state) {
  theater_result_string ret;
  theater__import_supervisor_resume(manifest.ptr, manifest.len,
                                    THEATER_FLAT_OPTION_LIST(init_state), &ret);
  return ret;
}

static inline theater_string_list theater_supervisor_list_children(void) {
  theater_string_list ret;
  theater__import_supervisor_list_children(&ret);
  return ret;
}

static inline theater_result theater_supervisor_stop_child(theater_actor_id child_id) {
  theater_result ret;
  theater__import_supervisor_stop_child(child_id.ptr, child_id.len, &ret);
  return ret;
}

static inline theater_result theater_supervisor_restart_child(theater_actor_id child_id) {
  theater_result ret;
  theater__import_supervisor_restart_child(child_id.ptr, child_id.len, &ret);
  return ret;
}

static inline theater_result_option_bytes theater_supervisor_get_child_state(
    theater_actor_id child_id) {
  theater_result_option_bytes ret;
  theater__import_supervisor_get_child_state(child_id.ptr, child_id.len, &ret);
  return ret;
}

static inline theater_result_chain_events theater_supervisor_get_child_events(
    theater_actor_id child_id) {
  theater_result_chain_events ret;
  theater__import_supervisor_get_child_events(child_id.ptr, child_id.len, &ret);
  return ret;
}

// Machinery: builds the borrowed actor-error from its flattened fields.
theater_actor_error theater__borrow_actor_error(int32_t kind, char* message_ptr, size_t message_len,
                                                int32_t data_is_some, uint8_t* data_ptr,
                                                size_t data_len);

#ifdef __cplusplus
}
#endif

// ---- supervisor-handlers exports ---------------------------------------------

/// handle-child-error: params tuple<string, actor-error>;
/// core (i32 i32 i32 | i32 i32 child | i32 kind, i32 i32 message, i32 i32 i32 data) -> i32.
/// `error` and everything in it is borrowed.
typedef theater_result theater_handle_child_error_fn(theater_state* state,
                                                     theater_actor_id child_id,
                                                     const theater_actor_error* error);
/// handle-child-exit: params tuple<string, option<list<u8>>> (the child's shutdown data).
typedef theater_result theater_handle_child_exit_fn(theater_state* state, theater_actor_id child_id,
                                                    theater_option_bytes result);
/// handle-child-external-stop: params tuple<string>.
typedef theater_result theater_handle_child_external_stop_fn(theater_state* state,
                                                             theater_actor_id child_id);

#define THEATER_EXPORT_HANDLE_CHILD_ERROR(fn)                                                  \
  THEATER__DEFINE_EXPORT(                                                                      \
      "supervisor-handlers#handle-child-error", supervisor_handle_child_error,                 \
      (char* child_ptr, size_t child_len, int32_t kind, char* message_ptr, size_t message_len, \
       int32_t data_is_some, uint8_t* data_ptr, size_t data_len),                              \
      theater_state_result,                                                                    \
      const theater_actor_error theater__error = theater__borrow_actor_error(                  \
          kind, message_ptr, message_len, data_is_some, data_ptr, data_len);                   \
      return theater__end_call(                                                                \
          fn(&theater__state, theater__borrow_string(child_ptr, child_len), &theater__error),  \
          &theater__state);)

#define THEATER_EXPORT_HANDLE_CHILD_EXIT(fn)                                           \
  THEATER__DEFINE_STATE_EXPORT(                                                        \
      "supervisor-handlers#handle-child-exit", supervisor_handle_child_exit,           \
      (char* child_ptr, size_t child_len, int32_t result_is_some, uint8_t* result_ptr, \
       size_t result_len),                                                             \
      fn(&theater__state, theater__borrow_string(child_ptr, child_len),                \
         theater__borrow_option_bytes(result_is_some, result_ptr, result_len)))

#define THEATER_EXPORT_HANDLE_CHILD_EXTERNAL_STOP(fn)                            \
  THEATER__DEFINE_STATE_EXPORT("supervisor-handlers#handle-child-external-stop", \
                               supervisor_handle_child_external_stop,            \
                               (char* child_ptr, size_t child_len),              \
                               fn(&theater__state, theater__borrow_string(child_ptr, child_len)))

#endif  // THEATER_SUPERVISOR_H
