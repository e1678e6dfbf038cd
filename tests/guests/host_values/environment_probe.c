// The environment handler tests' actor. Commands (see probe_request.h):
//   get <name>      the WIT get-var: "some <value>" or "none"
//   exists <name>   the WIT exists: "true" or "false"
//   list            the WIT list-vars: "ok <name>=<value>;<name>=<value>;..."
//   getenv <name>, environ, wasi <n>   through wasi-libc (wasi_commands.h)
#include "theater/environment.h"
#include "wasi_commands.h"

static void probe_command(word command, const char* rest, const char* end,
                          theater_option_bytes* out) {
  if (wasi_command(command, rest, end, out)) return;
  if (word_is(command, "get")) {
    theater_option_string value = theater_environment_get_var(word_string(next_word(&rest, end)));
    answer_option(out, value.is_some ? value.val.ptr : NULL, value.val.len);
    theater_option_string_free(&value);
  } else if (word_is(command, "exists")) {
    answer(out, theater_environment_exists(word_string(next_word(&rest, end))) ? "true" : "false");
  } else if (word_is(command, "list")) {
    theater_string_pair_list vars = theater_environment_list_vars();
    text t = {0};
    text_printf(&t, "ok ");
    for (size_t i = 0; i < vars.len; ++i) {
      text_printf(&t, "%.*s=%.*s;", (int)vars.ptr[i].first.len, vars.ptr[i].first.ptr,
                  (int)vars.ptr[i].second.len, vars.ptr[i].second.ptr);
    }
    theater_string_pair_list_free(&vars);
    answer_text(out, &t);
  }
}
