// The random handler tests' actor. Commands (see probe_request.h):
//   bytes <n>           "ok <hex>"
//   range <min> <max>   "ok <value>"
//   float               "ok <value, %.17g>"
//   uuid                "ok <uuid>"
//   wasi <n>, getenv <name>, environ   through wasi-libc (wasi_commands.h)
//   sequence            one of each, in that order: "bytes=<hex> range=<v> float=<v> uuid=<u>
//   wasi=<hex>"
#include "theater/random.h"
#include "wasi_commands.h"

static int add_bytes(text* t, uint32_t n) {
  theater_result_bytes r = theater_random_bytes(n);
  if (r.is_err) {
    text_printf(t, "err %.*s", (int)r.val.err.len, r.val.err.ptr);
    theater_result_bytes_free(&r);
    return 0;
  }
  text_hex(t, r.val.ok.ptr, r.val.ok.len);
  theater_result_bytes_free(&r);
  return 1;
}

static int add_range(text* t, uint64_t min, uint64_t max) {
  theater_result_u64 r = theater_random_range(min, max);
  if (r.is_err) {
    text_printf(t, "err %.*s", (int)r.val.err.len, r.val.err.ptr);
    theater_result_u64_free(&r);
    return 0;
  }
  text_printf(t, "%llu", (unsigned long long)r.val.ok);
  return 1;
}

static int add_float(text* t) {
  theater_result_f64 r = theater_random_float();
  if (r.is_err) {
    text_printf(t, "err %.*s", (int)r.val.err.len, r.val.err.ptr);
    theater_result_f64_free(&r);
    return 0;
  }
  text_printf(t, "%.17g", r.val.ok);
  return 1;
}

static int add_uuid(text* t) {
  theater_result_string r = theater_random_generate_uuid();
  if (r.is_err) {
    text_printf(t, "err %.*s", (int)r.val.err.len, r.val.err.ptr);
    theater_result_string_free(&r);
    return 0;
  }
  text_append(t, r.val.ok.ptr, r.val.ok.len);
  theater_result_string_free(&r);
  return 1;
}

// "ok <what add wrote>", or what it wrote when that was an error.
static void answer_one(theater_option_bytes* out, text* value, int ok) {
  text t = {0};
  if (ok) text_printf(&t, "ok ");
  text_append(&t, value->ptr, value->len);
  free(value->ptr);
  answer_text(out, &t);
}

static void probe_command(word command, const char* rest, const char* end,
                          theater_option_bytes* out) {
  text value = {0};
  if (wasi_command(command, rest, end, out)) return;
  if (word_is(command, "bytes")) {
    int ok = add_bytes(&value, (uint32_t)word_number(next_word(&rest, end)));
    answer_one(out, &value, ok);
  } else if (word_is(command, "range")) {
    uint64_t min = word_number(next_word(&rest, end));
    uint64_t max = word_number(next_word(&rest, end));
    answer_one(out, &value, add_range(&value, min, max));
  } else if (word_is(command, "float")) {
    answer_one(out, &value, add_float(&value));
  } else if (word_is(command, "uuid")) {
    answer_one(out, &value, add_uuid(&value));
  } else if (word_is(command, "sequence")) {
    text_printf(&value, "bytes=");
    add_bytes(&value, 16);
    text_printf(&value, " range=");
    add_range(&value, 0, 1000000);
    text_printf(&value, " float=");
    add_float(&value);
    text_printf(&value, " uuid=");
    add_uuid(&value);
    text_printf(&value, " wasi=");
    add_wasi_bytes(&value, 16);
    answer_one(out, &value, 1);
  }
}
