// The timing handler tests' actor. Commands (see probe_request.h):
//   now                 "ok <ms>"
//   sleep <ms>          logs "sleeping" first; "ok" or "err <text>"
//   deadline <ms>       the same for a deadline (ms since the epoch)
//   deadline-in <ms>    a deadline <ms> after now (now, then deadline)
#include "probe_request.h"
#include "theater/timing.h"

static void answer_unit(theater_option_bytes* out, theater_result r) {
  if (r.is_err) {
    answer_error(out, &r.err);
  } else {
    answer(out, "ok");
  }
}

static void probe_command(word command, const char* rest, const char* end,
                          theater_option_bytes* out) {
  if (word_is(command, "now")) {
    answer(out, "ok %llu", (unsigned long long)theater_timing_now());
  } else if (word_is(command, "sleep")) {
    unsigned long long ms = word_number(next_word(&rest, end));
    theater_runtime_log(theater_str("sleeping"));
    answer_unit(out, theater_timing_sleep(ms));
  } else if (word_is(command, "deadline")) {
    answer_unit(out, theater_timing_deadline(word_number(next_word(&rest, end))));
  } else if (word_is(command, "deadline-in")) {
    unsigned long long ms = word_number(next_word(&rest, end));
    answer_unit(out, theater_timing_deadline(theater_timing_now() + ms));
  }
}
