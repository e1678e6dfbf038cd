// The filesystem handler tests' actor, written with the SDK. The test drives
// it through handle-request: a command is fields separated by 0x1f, the answer
// "ok <payload>" or "err <the host's error text>".
//
// Commands (payloads):
//   read <path>              ok <the file's bytes>
//   write <path> <bytes...>  ok          (the rest of the message, any bytes)
//   list <path>              ok <names, one per line>
//   delete-file | create-dir | delete-dir <path>    ok
//   exists <path>            ok true | ok false
//   read-loop <path> <n>     reads n times; ok <bytes of the last read's length>
//                            (the benchmark: n host calls per request)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/filesystem.h"
#include "theater/message_server.h"

#define SEP '\x1f'

typedef struct {
  const char* ptr;
  size_t len;
} field;

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

static theater_string as_string(field f) {
  theater_string s = {(char*)f.ptr, f.len};
  return s;
}

// "ok " or "err " followed by `len` bytes of `payload`.
static void answer(theater_option_bytes* response, const char* prefix, const void* payload,
                   size_t len) {
  size_t prefix_len = strlen(prefix);
  uint8_t* out = malloc(prefix_len + len + 1);
  if (!out) __builtin_trap();
  memcpy(out, prefix, prefix_len);
  if (len) memcpy(out + prefix_len, payload, len);
  theater_bytes bytes = {out, prefix_len + len};
  *response = theater_some_bytes(bytes);
}

static void answer_error(theater_option_bytes* response, theater_string* error) {
  answer(response, "err ", error->ptr, error->len);
  theater_string_free(error);
}

static void answer_unit(theater_option_bytes* response, theater_result result) {
  if (result.is_err) {
    answer_error(response, &result.err);
  } else {
    answer(response, "ok", NULL, 0);
  }
}

static void read_command(field path, theater_option_bytes* response) {
  theater_result_bytes read = theater_filesystem_read_file(as_string(path));
  if (read.is_err) {
    answer_error(response, &read.val.err);
    return;
  }
  answer(response, "ok ", read.val.ok.ptr, read.val.ok.len);
  theater_bytes_free(&read.val.ok);
}

static void list_command(field path, theater_option_bytes* response) {
  theater_result_string_list listed = theater_filesystem_list_files(as_string(path));
  if (listed.is_err) {
    answer_error(response, &listed.val.err);
    return;
  }
  size_t total = 0;
  for (size_t i = 0; i < listed.val.ok.len; ++i) total += listed.val.ok.ptr[i].len + 1;
  char* joined = malloc(total + 1);
  if (!joined) __builtin_trap();
  size_t at = 0;
  for (size_t i = 0; i < listed.val.ok.len; ++i) {
    memcpy(joined + at, listed.val.ok.ptr[i].ptr, listed.val.ok.ptr[i].len);
    at += listed.val.ok.ptr[i].len;
    joined[at++] = '\n';
  }
  answer(response, "ok ", joined, at);
  free(joined);
  theater_string_list_free(&listed.val.ok);
}

static void read_loop_command(field path, field count, theater_option_bytes* response) {
  char digits[24] = {0};
  memcpy(digits, count.ptr, count.len < sizeof digits - 1 ? count.len : sizeof digits - 1);
  unsigned long n = strtoul(digits, NULL, 10);
  size_t last = 0;
  for (unsigned long i = 0; i < n; ++i) {
    theater_result_bytes read = theater_filesystem_read_file(as_string(path));
    if (read.is_err) {
      answer_error(response, &read.val.err);
      return;
    }
    last = read.val.ok.len;
    theater_bytes_free(&read.val.ok);
  }
  char text[32];
  int len = snprintf(text, sizeof text, "%zu", last);
  answer(response, "ok ", text, (size_t)len);
}

static theater_result handle_request(theater_state* state, theater_string id, theater_bytes msg,
                                     theater_option_bytes* response) {
  const char* at = (const char*)msg.ptr;
  const char* end = at + msg.len;
  field command = next_field(&at, end);
  field path = next_field(&at, end);
  if (field_is(command, "read")) {
    read_command(path, response);
  } else if (field_is(command, "write")) {
    theater_bytes content = theater_bytes_view(at, (size_t)(end - at));
    answer_unit(response, theater_filesystem_write_file(as_string(path), content));
  } else if (field_is(command, "list")) {
    list_command(path, response);
  } else if (field_is(command, "delete-file")) {
    answer_unit(response, theater_filesystem_delete_file(as_string(path)));
  } else if (field_is(command, "create-dir")) {
    answer_unit(response, theater_filesystem_create_dir(as_string(path)));
  } else if (field_is(command, "delete-dir")) {
    answer_unit(response, theater_filesystem_delete_dir(as_string(path)));
  } else if (field_is(command, "exists")) {
    theater_result_bool exists = theater_filesystem_path_exists(as_string(path));
    if (exists.is_err) {
      answer_error(response, &exists.val.err);
    } else {
      answer(response, exists.val.ok ? "ok true" : "ok false", NULL, 0);
    }
  } else if (field_is(command, "read-loop")) {
    read_loop_command(path, next_field(&at, end), response);
  } else {
    answer(response, "err unknown command", NULL, 0);
  }
  return theater_ok();
}

static theater_result init(theater_state* state, theater_string actor_id) {
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_REQUEST(handle_request)
