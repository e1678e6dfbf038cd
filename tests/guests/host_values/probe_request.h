// What the host-value probes share: a request is words separated by single
// spaces ("range 5 10"); the answer is "ok ...", "err <the host's error
// text>", or a probe's own words. Each probe defines
//   void probe_command(word command, const char* rest, const char* end, theater_option_bytes* out)
// and this header exports handle-request around it.
#ifndef HOST_VALUES_PROBE_REQUEST_H
#define HOST_VALUES_PROBE_REQUEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"

typedef struct word {
  const char* ptr;
  size_t len;
} word;

// The next word of [*at, end), moving *at past it and one separating space.
static inline word next_word(const char** at, const char* end) {
  word w = {*at, 0};
  while (*at < end && **at != ' ') ++*at, ++w.len;
  if (*at < end) ++*at;
  return w;
}

static inline int word_is(word w, const char* text) {
  return w.len == strlen(text) && memcmp(w.ptr, text, w.len) == 0;
}

static inline unsigned long long word_number(word w) {
  char digits[32] = {0};
  memcpy(digits, w.ptr, w.len < sizeof digits - 1 ? w.len : sizeof digits - 1);
  return strtoull(digits, NULL, 10);
}

// The word as a borrowed string (for imports, which only read it).
static inline theater_string word_string(word w) {
  theater_string s = {(char*)w.ptr, w.len};
  return s;
}

// The answer, a growing text.
typedef struct text {
  char* ptr;
  size_t len, cap;
} text;

static inline void text_append(text* t, const char* data, size_t len) {
  if (t->len + len + 1 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    while (cap < t->len + len + 1) cap *= 2;
    t->ptr = realloc(t->ptr, cap);
    if (!t->ptr) __builtin_trap();
    t->cap = cap;
  }
  memcpy(t->ptr + t->len, data, len);
  t->len += len;
}

static inline void text_printf(text* t, const char* format, ...)
    __attribute__((format(printf, 2, 3)));
static inline void text_printf(text* t, const char* format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n > 0) text_append(t, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static inline void text_hex(text* t, const uint8_t* data, size_t len) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; ++i) {
    char pair[2] = {digits[data[i] >> 4], digits[data[i] & 15]};
    text_append(t, pair, 2);
  }
}

// Hands the text over as the response (the SDK frees it after the call).
static inline void answer_text(theater_option_bytes* out, text* t) {
  *out = theater_some_bytes((theater_bytes){(uint8_t*)t->ptr, t->len});
  t->ptr = NULL;
  t->len = t->cap = 0;
}

static inline void answer(theater_option_bytes* out, const char* format, ...)
    __attribute__((format(printf, 2, 3)));
static inline void answer(theater_option_bytes* out, const char* format, ...) {
  char line[1024];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  *out = theater_some_bytes(theater_bytes_copy(line, (size_t)n));
}

static inline void answer_error(theater_option_bytes* out, theater_string* err) {
  answer(out, "err %.*s", (int)err->len, err->ptr);
  theater_string_free(err);
}

static void probe_command(word command, const char* rest, const char* end,
                          theater_option_bytes* out);

static theater_result probe_init(theater_state* state, theater_string actor_id) {
  theater_runtime_log(theater_str("ready"));
  return theater_ok();
}

static theater_result probe_request(theater_state* state, theater_string id, theater_bytes msg,
                                    theater_option_bytes* response) {
  const char* at = (const char*)msg.ptr;
  const char* end = at + msg.len;
  word command = next_word(&at, end);
  probe_command(command, at, end, response);
  if (!response->is_some) answer(response, "unknown command %.*s", (int)command.len, command.ptr);
  return theater_ok();
}

THEATER_EXPORT_INIT(probe_init)
THEATER_EXPORT_HANDLE_REQUEST(probe_request)

#endif  // HOST_VALUES_PROBE_REQUEST_H
