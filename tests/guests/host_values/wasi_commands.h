// Commands every host-value probe answers through wasi-libc alone (WASI
// random_get and environ_get), so a test can compare them with the WIT:
//   wasi <n>        n bytes (<= 256) from getentropy: "ok <hex>"
//   getenv <name>   "some <value>" or "none"
//   environ         "ok <name>=<value>;<name>=<value>;..."
#ifndef HOST_VALUES_WASI_COMMANDS_H
#define HOST_VALUES_WASI_COMMANDS_H

#include <stdlib.h>
#include <unistd.h>

#include "probe_request.h"

extern char** environ;

static inline void answer_option(theater_option_bytes* out, const char* value, size_t len) {
  if (value == NULL) {
    answer(out, "none");
  } else {
    answer(out, "some %.*s", (int)len, value);
  }
}

// The n bytes as hex, or an error text; 0 when getentropy failed.
static inline int add_wasi_bytes(text* t, size_t n) {
  uint8_t bytes[256];
  if (n > sizeof bytes || getentropy(bytes, n) != 0) {
    text_printf(t, "err getentropy failed");
    return 0;
  }
  text_hex(t, bytes, n);
  return 1;
}

// 1 when `command` is one of the above (and *out is its answer).
static inline int wasi_command(word command, const char* rest, const char* end,
                               theater_option_bytes* out) {
  if (word_is(command, "wasi")) {
    text t = {0};
    text_printf(&t, "ok ");
    if (!add_wasi_bytes(&t, (size_t)word_number(next_word(&rest, end)))) {
      free(t.ptr);
      answer(out, "err getentropy failed");
    } else {
      answer_text(out, &t);
    }
    return 1;
  }
  if (word_is(command, "getenv")) {
    word name = next_word(&rest, end);
    char* cname = theater_string_to_cstr(word_string(name));
    const char* value = getenv(cname);
    free(cname);
    answer_option(out, value, value ? strlen(value) : 0);
    return 1;
  }
  if (word_is(command, "environ")) {
    text t = {0};
    text_printf(&t, "ok ");
    for (char** entry = environ; entry && *entry; ++entry) text_printf(&t, "%s;", *entry);
    answer_text(out, &t);
    return 1;
  }
  return 0;
}

#endif  // HOST_VALUES_WASI_COMMANDS_H
