// The process handler tests' actor, written with the SDK. The test drives it
// through handle-request: a command is fields separated by 0x1f, the answer
// "ok ..." or "err <the host's error text>". What its processes report
// (handle-stdout, handle-stderr, handle-exit) goes into a transcript the test
// reads back with "transcript":
//     out <pid> <hex bytes>\n   err <pid> <hex bytes>\n   exit <pid> <code>\n
//
// Commands:
//   spawn  {key=value}   program=, arg= (repeated), cwd=, env=NAME=VALUE (repeated),
//                        buf=, out=/err= raw|line|json|chunked, chunk=, timeout= (s)
//   write  <pid> <bytes...>   (the rest of the message, any bytes)
//   close <pid> | status <pid> | signal <pid> <n> | kill <pid>
//   quiet                count output (bytes and an FNV-1a hash of stdout) instead of transcribing
//   it slow <n>             spin n iterations in every output callback chain <n> {key=value}  spawn
//   n times, the next one from the previous one's handle-exit count                "ok out=<bytes>
//   err=<bytes> calls=<stdout callbacks> exits=<n> hash=<fnv1a>" transcript
//
// The transcript and counters live in linear memory rather than in the actor's
// state: the runtime records the state after every call, and a growing state
// would make the chain grow quadratically.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/process.h"
#include "theater/runtime.h"

#define SEP '\x1f'
#define MAX_ITEMS 64

// ---- transcript and counters ------------------------------------------------

static char* transcript;
static size_t transcript_len, transcript_cap;
static int quiet;
static unsigned long long out_bytes, err_bytes, out_calls, exits;
static unsigned int out_hash = 2166136261u;
static unsigned long slow_iterations;
static long chain_left;  // processes the chain has still to start
static int chain_active;
static char* chain_message;  // the spawn fields the chain repeats (owned)
static size_t chain_message_len;

static void append(const char* data, size_t len) {
  if (transcript_len + len > transcript_cap) {
    size_t cap = transcript_cap ? transcript_cap * 2 : 4096;
    while (cap < transcript_len + len) cap *= 2;
    transcript = realloc(transcript, cap);
    if (!transcript) __builtin_trap();
    transcript_cap = cap;
  }
  memcpy(transcript + transcript_len, data, len);
  transcript_len += len;
}

static void appendf(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void appendf(const char* format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n > 0) append(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void append_hex(theater_bytes data) {
  static const char digits[] = "0123456789abcdef";
  char pair[2];
  for (size_t i = 0; i < data.len; ++i) {
    pair[0] = digits[data.ptr[i] >> 4];
    pair[1] = digits[data.ptr[i] & 15];
    append(pair, 2);
  }
}

// ---- parsing ----------------------------------------------------------------

typedef struct {
  const char* ptr;
  size_t len;
} field;

// The next field of [*at, end), advancing *at past its separator.
static field next_field(const char** at, const char* end) {
  field f = {*at, 0};
  while (*at < end && **at != SEP) ++*at;
  f.len = (size_t)(*at - f.ptr);
  if (*at < end) ++*at;
  return f;
}

static int field_is(field f, const char* text) {
  return f.len == strlen(text) && memcmp(f.ptr, text, f.len) == 0;
}

static unsigned long long field_number(field f) {
  char buf[32] = {0};
  memcpy(buf, f.ptr, f.len < sizeof buf - 1 ? f.len : sizeof buf - 1);
  return strtoull(buf, NULL, 10);
}

static theater_string view(const char* ptr, size_t len) {
  theater_string s = {(char*)ptr, len};
  return s;
}

static int parse_mode(field value, theater_process_output_mode* mode) {
  if (field_is(value, "raw"))
    *mode = THEATER_OUTPUT_RAW;
  else if (field_is(value, "line"))
    *mode = THEATER_OUTPUT_LINE_BY_LINE;
  else if (field_is(value, "json"))
    *mode = THEATER_OUTPUT_JSON;
  else if (field_is(value, "chunked"))
    *mode = THEATER_OUTPUT_CHUNKED;
  else
    return 0;
  return 1;
}

// A config whose strings point into the message (the host copies them during os-spawn).
typedef struct {
  theater_process_config config;
  theater_string args[MAX_ITEMS];
  theater_string_pair env[MAX_ITEMS];
} spawn_request;

static const char* parse_spawn(const char* at, const char* end, spawn_request* req) {
  memset(req, 0, sizeof *req);
  req->config.args.ptr = req->args;
  req->config.env.ptr = req->env;
  while (at < end) {
    field f = next_field(&at, end);
    const char* eq = memchr(f.ptr, '=', f.len);
    if (!eq) return "a spawn field without '='";
    field key = {f.ptr, (size_t)(eq - f.ptr)};
    field value = {eq + 1, f.len - key.len - 1};
    if (field_is(key, "program")) {
      req->config.program = view(value.ptr, value.len);
    } else if (field_is(key, "arg")) {
      if (req->config.args.len == MAX_ITEMS) return "too many args";
      req->args[req->config.args.len++] = view(value.ptr, value.len);
    } else if (field_is(key, "cwd")) {
      req->config.cwd.is_some = true;
      req->config.cwd.val = view(value.ptr, value.len);
    } else if (field_is(key, "env")) {
      const char* eq2 = memchr(value.ptr, '=', value.len);
      if (!eq2 || req->config.env.len == MAX_ITEMS) return "a bad env field";
      theater_string_pair* pair = &req->env[req->config.env.len++];
      pair->first = view(value.ptr, (size_t)(eq2 - value.ptr));
      pair->second = view(eq2 + 1, value.len - pair->first.len - 1);
    } else if (field_is(key, "buf")) {
      req->config.buffer_size = (uint32_t)field_number(value);
    } else if (field_is(key, "out")) {
      if (!parse_mode(value, &req->config.stdout_mode)) return "a bad out mode";
    } else if (field_is(key, "err")) {
      if (!parse_mode(value, &req->config.stderr_mode)) return "a bad err mode";
    } else if (field_is(key, "chunk")) {
      req->config.chunk_size.is_some = true;
      req->config.chunk_size.val = (uint32_t)field_number(value);
    } else if (field_is(key, "timeout")) {
      req->config.execution_timeout.is_some = true;
      req->config.execution_timeout.val = field_number(value);
    } else {
      return "an unknown spawn field";
    }
  }
  return NULL;
}

// ---- answers ----------------------------------------------------------------

static void answer(theater_option_bytes* response, const char* format, ...)
    __attribute__((format(printf, 2, 3)));
static void answer(theater_option_bytes* response, const char* format, ...) {
  char text[1024];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(text, sizeof text, format, args);
  va_end(args);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof text) n = sizeof text - 1;
  *response = theater_some_bytes(theater_bytes_copy(text, (size_t)n));
}

// Answers an error result (and frees its message).
static void answer_error(theater_option_bytes* response, theater_string* error) {
  answer(response, "err %.*s", (int)error->len, error->ptr);
  theater_string_free(error);
}

static void answer_unit(theater_option_bytes* response, theater_result result) {
  if (result.is_err) {
    answer_error(response, &result.err);
  } else {
    answer(response, "ok");
  }
}

static theater_result_u64 spawn_from(const char* at, const char* end, const char** parse_error) {
  spawn_request req;
  theater_result_u64 result;
  memset(&result, 0, sizeof result);
  *parse_error = parse_spawn(at, end, &req);
  if (*parse_error) return result;
  return theater_process_os_spawn(&req.config);
}

static void spawn_command(const char* at, const char* end, theater_option_bytes* response) {
  const char* parse_error;
  theater_result_u64 spawned = spawn_from(at, end, &parse_error);
  if (parse_error) {
    answer(response, "bad command: %s", parse_error);
  } else if (spawned.is_err) {
    answer_error(response, &spawned.val.err);
  } else {
    answer(response, "ok %llu", (unsigned long long)spawned.val.ok);
  }
}

// Starts the chain's next process, or says "chain done" once the last one
// has exited (called from handle-exit while a chain runs).
static void chain_next(void) {
  if (!chain_active) return;
  if (chain_left == 0) {
    chain_active = 0;
    appendf("chain done\n");
    return;
  }
  --chain_left;
  const char* parse_error;
  theater_result_u64 spawned =
      spawn_from(chain_message, chain_message + chain_message_len, &parse_error);
  if (parse_error || spawned.is_err) {
    appendf("chain-error\n");
    if (spawned.is_err) theater_string_free(&spawned.val.err);
    chain_active = 0;
  }
}

static theater_result handle_request(theater_state* state, theater_string id, theater_bytes msg,
                                     theater_option_bytes* response) {
  const char* at = (const char*)msg.ptr;
  const char* end = at + msg.len;
  field command = next_field(&at, end);
  if (field_is(command, "spawn")) {
    spawn_command(at, end, response);
  } else if (field_is(command, "write")) {
    uint64_t pid = field_number(next_field(&at, end));
    theater_result_u32 written =
        theater_process_os_write_stdin(pid, theater_bytes_view(at, (size_t)(end - at)));
    if (written.is_err) {
      answer_error(response, &written.val.err);
    } else {
      answer(response, "ok %u", written.val.ok);
    }
  } else if (field_is(command, "close")) {
    answer_unit(response, theater_process_os_close_stdin(field_number(next_field(&at, end))));
  } else if (field_is(command, "status")) {
    theater_result_process_status status =
        theater_process_os_status(field_number(next_field(&at, end)));
    if (status.is_err) {
      answer_error(response, &status.val.err);
    } else if (status.val.ok.exit_code.is_some) {
      answer(response, "ok running=%d exit=%d start=%llu", status.val.ok.running,
             status.val.ok.exit_code.val, (unsigned long long)status.val.ok.start_time);
    } else {
      answer(response, "ok running=%d exit=none start=%llu", status.val.ok.running,
             (unsigned long long)status.val.ok.start_time);
    }
  } else if (field_is(command, "signal")) {
    uint64_t pid = field_number(next_field(&at, end));
    uint32_t signal = (uint32_t)field_number(next_field(&at, end));
    answer_unit(response, theater_process_os_signal(pid, signal));
  } else if (field_is(command, "kill")) {
    answer_unit(response, theater_process_os_kill(field_number(next_field(&at, end))));
  } else if (field_is(command, "quiet")) {
    quiet = 1;
    answer(response, "ok");
  } else if (field_is(command, "slow")) {
    slow_iterations = (unsigned long)field_number(next_field(&at, end));
    answer(response, "ok");
  } else if (field_is(command, "chain")) {
    chain_left = (long)field_number(next_field(&at, end));
    chain_active = 1;
    free(chain_message);
    chain_message_len = (size_t)(end - at);
    chain_message = malloc(chain_message_len + 1);
    memcpy(chain_message, at, chain_message_len);
    chain_next();
    answer(response, "ok");
  } else if (field_is(command, "count")) {
    answer(response, "ok out=%llu err=%llu calls=%llu exits=%llu hash=%08x", out_bytes, err_bytes,
           out_calls, exits, out_hash);
  } else if (field_is(command, "transcript")) {
    *response = theater_some_bytes(theater_bytes_copy(transcript, transcript_len));
  } else {
    answer(response, "bad command: %.*s", (int)command.len, command.ptr);
  }
  return theater_ok();
}

// ---- process callbacks --------------------------------------------------------------

static volatile unsigned long spin_sink;  // volatile: the loop must not be optimized away

static void spin(void) {
  for (unsigned long i = 0; i < slow_iterations; ++i) spin_sink += i;
}

static theater_result on_stdout(theater_state* state, uint64_t pid, theater_bytes data) {
  spin();
  ++out_calls;
  out_bytes += data.len;
  for (size_t i = 0; i < data.len; ++i) out_hash = (out_hash ^ data.ptr[i]) * 16777619u;
  if (!quiet) {
    appendf("out %llu ", (unsigned long long)pid);
    append_hex(data);
    append("\n", 1);
  }
  return theater_ok();
}

static theater_result on_stderr(theater_state* state, uint64_t pid, theater_bytes data) {
  spin();
  err_bytes += data.len;
  if (!quiet) {
    appendf("err %llu ", (unsigned long long)pid);
    append_hex(data);
    append("\n", 1);
  }
  return theater_ok();
}

static theater_result on_exit(theater_state* state, uint64_t pid, int32_t code) {
  ++exits;
  appendf("exit %llu %d\n", (unsigned long long)pid, code);
  chain_next();
  return theater_ok();
}

static theater_result init(theater_state* state, theater_string actor_id) {
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_REQUEST(handle_request)
THEATER_EXPORT_HANDLE_STDOUT(on_stdout)
THEATER_EXPORT_HANDLE_STDERR(on_stderr)
THEATER_EXPORT_HANDLE_EXIT(on_exit)
