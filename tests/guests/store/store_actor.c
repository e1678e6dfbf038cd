// The store tests' actor, written with the SDK: each handle-send message is
// one command "<function>|<arg>|<arg>...", run against theater:simple/store;
// the answer ("ok" / "ok:<value>" / "err:<message>") replaces the state.
// "%XX" in an argument is the byte 0xXX (for NULs). Commands name the WIT
// functions (new, store, get, exists, label, get-by-label, remove-label,
// remove-from-label, store-at-label, replace-content-at-label,
// replace-at-label, list-labels, list-all-content, calculate-total-size),
// plus store-big|<store>|<bytes> (that many 'x').
// With the initial state {"loop":"<store-id>"}, init never returns: it
// points the label "counter" at "value-<n>" for n = 1, 2, ... (the crash
// test kills the runtime meanwhile).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/store.h"

enum { kMaxArgs = 4 };

typedef struct {
  char* text[kMaxArgs];
  size_t len[kMaxArgs];
  size_t count;
} args;

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Copies [p, p+n) decoding %XX escapes.
static void decode(const char* p, size_t n, char** out, size_t* out_len) {
  char* d = malloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '%' && i + 2 < n && hex_digit(p[i + 1]) >= 0 && hex_digit(p[i + 2]) >= 0) {
      d[k++] = (char)(hex_digit(p[i + 1]) * 16 + hex_digit(p[i + 2]));
      i += 2;
    } else {
      d[k++] = p[i];
    }
  }
  d[k] = 0;
  *out = d;
  *out_len = k;
}

// Splits the message at '|': the command, then up to kMaxArgs arguments.
static void split(theater_bytes msg, char* command, size_t command_size, args* a) {
  const char* p = (const char*)msg.ptr;
  size_t n = msg.len, start = 0, field = 0;
  a->count = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && p[i] != '|') continue;
    if (field == 0) {
      size_t k = i - start < command_size - 1 ? i - start : command_size - 1;
      memcpy(command, p + start, k);
      command[k] = 0;
    } else if (a->count < kMaxArgs) {
      decode(p + start, i - start, &a->text[a->count], &a->len[a->count]);
      a->count++;
    }
    field++;
    start = i + 1;
  }
}

static theater_string arg(const args* a, size_t i) {
  theater_string s = {i < a->count ? a->text[i] : (char*)"", i < a->count ? a->len[i] : 0};
  return s;
}
static theater_bytes arg_bytes(const args* a, size_t i) {
  theater_string s = arg(a, i);
  return theater_bytes_view(s.ptr, s.len);
}
static theater_content_ref arg_ref(const args* a, size_t i) {
  theater_content_ref ref = {arg(a, i)};
  return ref;
}

static void answer(theater_state* state, const char* prefix, const char* value, size_t len) {
  size_t k = strlen(prefix);
  char* out = malloc(k + len + 1);
  memcpy(out, prefix, k);
  if (len) memcpy(out + k, value, len);
  theater_state_set(state, theater_bytes_view(out, k + len));
}
static void answer_err(theater_state* state, theater_string err) {
  answer(state, "err:", err.ptr, err.len);
}

static void answer_ref(theater_state* state, theater_result_content_ref r) {
  if (r.is_err) {
    answer_err(state, r.val.err);
  } else {
    answer(state, "ok:", r.val.ok.hash.ptr, r.val.ok.hash.len);
  }
  theater_result_content_ref_free(&r);
}
static void answer_unit(theater_state* state, theater_result r) {
  if (r.is_err) {
    answer_err(state, r.err);
  } else {
    answer(state, "ok", "", 0);
  }
  theater_result_free(&r);
}

// Joins strings with ',' after "ok:".
static void answer_list(theater_state* state, const theater_string* items, size_t count,
                        size_t stride) {
  size_t total = 0;
  for (size_t i = 0; i < count; i++)
    total += ((const theater_string*)((const char*)items + i * stride))->len + 1;
  char* out = malloc(total + 1);
  size_t k = 0;
  for (size_t i = 0; i < count; i++) {
    const theater_string* s = (const theater_string*)((const char*)items + i * stride);
    if (i) out[k++] = ',';
    memcpy(out + k, s->ptr, s->len);
    k += s->len;
  }
  answer(state, "ok:", out, k);
  free(out);
}

static void run_command(theater_state* state, const char* cmd, const args* a) {
  theater_string id = arg(a, 0);
  if (!strcmp(cmd, "new")) {
    theater_result_string r = theater_store_new();
    if (r.is_err)
      answer_err(state, r.val.err);
    else
      answer(state, "ok:", r.val.ok.ptr, r.val.ok.len);
    theater_result_string_free(&r);
  } else if (!strcmp(cmd, "store")) {
    answer_ref(state, theater_store_store(id, arg_bytes(a, 1)));
  } else if (!strcmp(cmd, "store-big")) {
    size_t n = (size_t)strtoull(arg(a, 1).ptr, NULL, 10);
    char* big = malloc(n ? n : 1);
    memset(big, 'x', n);
    answer_ref(state, theater_store_store(id, theater_bytes_view(big, n)));
    free(big);
  } else if (!strcmp(cmd, "get")) {
    theater_result_bytes r = theater_store_get(id, arg_ref(a, 1));
    if (r.is_err)
      answer_err(state, r.val.err);
    else
      answer(state, "ok:", (const char*)r.val.ok.ptr, r.val.ok.len);
    theater_result_bytes_free(&r);
  } else if (!strcmp(cmd, "exists")) {
    theater_result_bool r = theater_store_exists(id, arg_ref(a, 1));
    if (r.is_err)
      answer_err(state, r.val.err);
    else
      answer(state, r.val.ok ? "ok:true" : "ok:false", "", 0);
    theater_result_bool_free(&r);
  } else if (!strcmp(cmd, "label")) {
    answer_unit(state, theater_store_label(id, arg(a, 1), arg_ref(a, 2)));
  } else if (!strcmp(cmd, "get-by-label")) {
    theater_result_option_content_ref r = theater_store_get_by_label(id, arg(a, 1));
    if (r.is_err)
      answer_err(state, r.val.err);
    else if (!r.val.ok.is_some)
      answer(state, "ok:none", "", 0);
    else
      answer(state, "ok:", r.val.ok.val.hash.ptr, r.val.ok.val.hash.len);
    theater_result_option_content_ref_free(&r);
  } else if (!strcmp(cmd, "remove-label")) {
    answer_unit(state, theater_store_remove_label(id, arg(a, 1)));
  } else if (!strcmp(cmd, "remove-from-label")) {
    answer_unit(state, theater_store_remove_from_label(id, arg(a, 1), arg_ref(a, 2)));
  } else if (!strcmp(cmd, "store-at-label")) {
    answer_ref(state, theater_store_store_at_label(id, arg(a, 1), arg_bytes(a, 2)));
  } else if (!strcmp(cmd, "replace-content-at-label")) {
    answer_ref(state, theater_store_replace_content_at_label(id, arg(a, 1), arg_bytes(a, 2)));
  } else if (!strcmp(cmd, "replace-at-label")) {
    answer_unit(state, theater_store_replace_at_label(id, arg(a, 1), arg_ref(a, 2)));
  } else if (!strcmp(cmd, "list-labels")) {
    theater_result_string_list r = theater_store_list_labels(id);
    if (r.is_err)
      answer_err(state, r.val.err);
    else
      answer_list(state, r.val.ok.ptr, r.val.ok.len, sizeof(theater_string));
    theater_result_string_list_free(&r);
  } else if (!strcmp(cmd, "list-all-content")) {
    theater_result_content_ref_list r = theater_store_list_all_content(id);
    if (r.is_err)
      answer_err(state, r.val.err);
    else
      answer_list(state, &r.val.ok.ptr->hash, r.val.ok.len, sizeof(theater_content_ref));
    theater_result_content_ref_list_free(&r);
  } else if (!strcmp(cmd, "calculate-total-size")) {
    theater_result_u64 r = theater_store_calculate_total_size(id);
    if (r.is_err) {
      answer_err(state, r.val.err);
    } else {
      char buf[32];
      int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)r.val.ok);
      answer(state, "ok:", buf, (size_t)n);
    }
    theater_result_u64_free(&r);
  } else {
    answer(state, "err:unknown command ", cmd, strlen(cmd));
  }
}

static theater_result handle_send(theater_state* state, theater_bytes msg) {
  char cmd[64];
  args a;
  split(msg, cmd, sizeof cmd, &a);
  run_command(state, cmd, &a);
  for (size_t i = 0; i < a.count; i++) free(a.text[i]);
  return theater_ok();
}

// {"loop":"<36-character store id>"}: update "counter" forever.
static theater_result init(theater_state* state, theater_string actor_id) {
  static const char kLoop[] = "{\"loop\":\"";
  const size_t k = sizeof kLoop - 1, id_len = 36;
  if (!state->is_some || state->val.len < k + id_len || memcmp(state->val.ptr, kLoop, k) != 0) {
    return theater_ok();
  }
  theater_string id = {(char*)state->val.ptr + k, id_len};
  for (unsigned long n = 1;; n++) {
    char value[32];
    int len = snprintf(value, sizeof value, "value-%lu", n);
    theater_result_content_ref r = theater_store_store_at_label(
        id, theater_str("counter"), theater_bytes_view(value, (size_t)len));
    int failed = r.is_err;
    theater_result_content_ref_free(&r);
    if (failed) return theater_error("store-at-label failed at %lu", n);
  }
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(handle_send)
