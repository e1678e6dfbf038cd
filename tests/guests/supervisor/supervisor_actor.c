// The supervisor tests' parent actor, written with the SDK. Its initial state
// may start with "spawn:<manifest>": init then spawns that child (again on
// every restart, as an OTP supervisor starts its children). handle-send takes
// commands and keeps the answer, "ok:..." or "err:...", as its state:
//   spawn:<manifest>            spawn-init:<bytes>|<manifest>
//   resume:<state>|<manifest>   resume-none:<manifest>
//   stop:<id>  restart:<id>  state:<id>  events:<id>  list
//   spawn-many:<n>|<manifest> (answers ok:<n> or the first error)  stop-all
// Notices are logged: "child-error <id> <kind>: <message>",
// "child-exit <id> <data or none>", "child-external-stop <id>".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"
#include "theater/supervisor.h"

static int starts_with(const uint8_t* p, size_t n, const char* prefix) {
  size_t k = strlen(prefix);
  return n >= k && memcmp(p, prefix, k) == 0;
}

static void answer(theater_state* state, const char* kind, const char* text, size_t len) {
  char buf[4096];
  int n = snprintf(buf, sizeof buf, "%s:%.*s", kind, (int)len, text);
  if (n > (int)sizeof buf - 1) n = (int)sizeof buf - 1;
  theater_state_set_copy(state, buf, (size_t)n);
}

static void answer_string(theater_state* state, theater_result_string* r) {
  if (r->is_err) {
    answer(state, "err", r->val.err.ptr, r->val.err.len);
  } else {
    answer(state, "ok", r->val.ok.ptr, r->val.ok.len);
  }
  theater_result_string_free(r);
}

static void answer_result(theater_state* state, theater_result* r) {
  if (r->is_err) {
    answer(state, "err", r->err.ptr, r->err.len);
  } else {
    answer(state, "ok", "", 0);
  }
  theater_result_free(r);
}

// "<bytes>|<manifest>": splits at the first '|'.
static int split(const uint8_t* p, size_t n, theater_bytes* first, theater_string* rest) {
  const uint8_t* bar = memchr(p, '|', n);
  if (!bar) return 0;
  *first = theater_bytes_view(p, (size_t)(bar - p));
  *rest = (theater_string){(char*)bar + 1, n - (size_t)(bar - p) - 1};
  return 1;
}

static theater_result init(theater_state* state, theater_string actor_id) {
  if (state->is_some && starts_with(state->val.ptr, state->val.len, "spawn:")) {
    theater_string manifest = {(char*)state->val.ptr + 6, state->val.len - 6};
    theater_result_string child = theater_supervisor_spawn(manifest, theater_no_bytes());
    if (child.is_err) {
      theater_result failure =
          theater_error("cannot start child: %.*s", (int)child.val.err.len, child.val.err.ptr);
      theater_result_string_free(&child);
      return failure;
    }
    theater_logf("started %.*s", (int)child.val.ok.len, child.val.ok.ptr);
    theater_result_string_free(&child);
  }
  return theater_ok();
}

static theater_result handle_send(theater_state* state, theater_bytes msg) {
  const uint8_t* p = msg.ptr;
  size_t n = msg.len;
  theater_bytes init;
  theater_string manifest;
  if (starts_with(p, n, "spawn:")) {
    theater_result_string r =
        theater_supervisor_spawn((theater_string){(char*)p + 6, n - 6}, theater_no_bytes());
    answer_string(state, &r);
  } else if (starts_with(p, n, "spawn-init:") && split(p + 11, n - 11, &init, &manifest)) {
    theater_result_string r = theater_supervisor_spawn(manifest, theater_some_bytes(init));
    answer_string(state, &r);
  } else if (starts_with(p, n, "resume:") && split(p + 7, n - 7, &init, &manifest)) {
    theater_result_string r = theater_supervisor_resume(manifest, theater_some_bytes(init));
    answer_string(state, &r);
  } else if (starts_with(p, n, "resume-none:")) {
    theater_result_string r =
        theater_supervisor_resume((theater_string){(char*)p + 12, n - 12}, theater_no_bytes());
    answer_string(state, &r);
  } else if (starts_with(p, n, "stop:")) {
    theater_result r = theater_supervisor_stop_child((theater_string){(char*)p + 5, n - 5});
    answer_result(state, &r);
  } else if (starts_with(p, n, "restart:")) {
    theater_result r = theater_supervisor_restart_child((theater_string){(char*)p + 8, n - 8});
    answer_result(state, &r);
  } else if (starts_with(p, n, "state:")) {
    theater_result_option_bytes r =
        theater_supervisor_get_child_state((theater_string){(char*)p + 6, n - 6});
    if (r.is_err) {
      answer(state, "err", r.val.err.ptr, r.val.err.len);
    } else if (r.val.ok.is_some) {
      answer(state, "ok", (const char*)r.val.ok.val.ptr, r.val.ok.val.len);
    } else {
      answer(state, "ok", "none", 4);
    }
    theater_result_option_bytes_free(&r);
  } else if (starts_with(p, n, "events:")) {
    theater_result_chain_events r =
        theater_supervisor_get_child_events((theater_string){(char*)p + 7, n - 7});
    if (r.is_err) {
      answer(state, "err", r.val.err.ptr, r.val.err.len);
    } else {
      char buf[256];
      const theater_chain_event_list* events = &r.val.ok;
      int k = snprintf(buf, sizeof buf, "%zu:%.*s", (size_t)events->len,
                       events->len ? (int)events->ptr[0].event_type.len : 0,
                       events->len ? events->ptr[0].event_type.ptr : "");
      answer(state, "ok", buf, (size_t)k);
    }
    theater_result_chain_events_free(&r);
  } else if (starts_with(p, n, "spawn-many:") && split(p + 11, n - 11, &init, &manifest)) {
    char count_text[16] = {0};
    memcpy(count_text, init.ptr, init.len < 15 ? init.len : 15);
    long count = strtol(count_text, NULL, 10);
    for (long i = 0; i < count; i++) {
      theater_result_string r = theater_supervisor_spawn(manifest, theater_no_bytes());
      if (r.is_err) {
        answer_string(state, &r);
        return theater_ok();
      }
      theater_result_string_free(&r);
    }
    answer(state, "ok", count_text, strlen(count_text));
  } else if (starts_with(p, n, "stop-all")) {
    theater_string_list children = theater_supervisor_list_children();
    for (size_t i = 0; i < children.len; i++) {
      theater_result r = theater_supervisor_stop_child(children.ptr[i]);
      if (r.is_err) {
        answer_result(state, &r);
        theater_string_list_free(&children);
        return theater_ok();
      }
    }
    theater_string_list_free(&children);
    answer(state, "ok", "", 0);
  } else if (starts_with(p, n, "list")) {
    theater_string_list children = theater_supervisor_list_children();
    char buf[32];
    int k = snprintf(buf, sizeof buf, "%zu", (size_t)children.len);
    answer(state, "ok", buf, (size_t)k);
    theater_string_list_free(&children);
  } else {
    answer(state, "err", "unknown command", 15);
  }
  return theater_ok();
}

static theater_result on_child_error(theater_state* state, theater_actor_id child_id,
                                     const theater_actor_error* error) {
  theater_logf("child-error %.*s %s: %.*s", (int)child_id.len, child_id.ptr,
               theater_actor_error_kind_name(error->kind), (int)error->message.len,
               error->message.ptr);
  return theater_ok();
}

static theater_result on_child_exit(theater_state* state, theater_actor_id child_id,
                                    theater_option_bytes result) {
  if (result.is_some) {
    theater_logf("child-exit %.*s %.*s", (int)child_id.len, child_id.ptr, (int)result.val.len,
                 (const char*)result.val.ptr);
  } else {
    theater_logf("child-exit %.*s none", (int)child_id.len, child_id.ptr);
  }
  return theater_ok();
}

static theater_result on_child_external_stop(theater_state* state, theater_actor_id child_id) {
  theater_logf("child-external-stop %.*s", (int)child_id.len, child_id.ptr);
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(handle_send)
THEATER_EXPORT_HANDLE_CHILD_ERROR(on_child_error)
THEATER_EXPORT_HANDLE_CHILD_EXIT(on_child_exit)
THEATER_EXPORT_HANDLE_CHILD_EXTERNAL_STOP(on_child_external_stop)
