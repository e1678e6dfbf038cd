// process-runner: runs one command and streams its output to the log.
//
// The command comes from the actor's init_state (JSON):
//     {"program": "ls", "args": ["-l"]}
// init starts it (line by line on both streams); every stdout line goes to
// the log as it arrives, every stderr line too (prefixed "stderr: "); when it
// exits, the actor shuts down with its exit status, in decimal, as its data:
// the exit code, or 128 + N when signal N ended it (as a shell reports it).
// `theater run` exits with a status given that way (running `false` exits 1).
// What the command may be is the manifest's business (allowed_programs).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/process.h"
#include "theater/runtime.h"

#define MAX_ARGS 64

// ---- a small JSON reader: an object of strings and arrays of strings -------

typedef struct {
  const char* at;
  const char* end;
} reader;

static void skip_blanks(reader* r) {
  while (r->at < r->end && (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r'))
    ++r->at;
}

static int expect(reader* r, char c) {
  skip_blanks(r);
  if (r->at < r->end && *r->at == c) {
    ++r->at;
    return 1;
  }
  return 0;
}

// Four hex digits after \u; -1 when they are not.
static long read_hex4(reader* r) {
  if (r->end - r->at < 4) return -1;
  long value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = *r->at++;
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// The code point of a \u escape (the "\u" already read), joining a UTF-16
// surrogate pair; -1 when malformed.
static long read_code_point(reader* r) {
  long code = read_hex4(r);
  if (code < 0xD800 || code > 0xDFFF) return code;
  if (code > 0xDBFF || r->end - r->at < 2 || r->at[0] != '\\' || r->at[1] != 'u') return -1;
  r->at += 2;
  const long low = read_hex4(r);
  if (low < 0xDC00 || low > 0xDFFF) return -1;
  return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
}

// Appends `code` as UTF-8 (at most 4 bytes, never more than its 6-byte escape).
static size_t put_utf8(char* out, long code) {
  if (code < 0x80) {
    out[0] = (char)code;
    return 1;
  }
  if (code < 0x800) {
    out[0] = (char)(0xC0 | (code >> 6));
    out[1] = (char)(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = (char)(0xE0 | (code >> 12));
    out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[2] = (char)(0x80 | (code & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (code >> 18));
  out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
  out[3] = (char)(0x80 | (code & 0x3F));
  return 4;
}

// A JSON string, unescaped into a malloc'd theater_string (UTF-8).
static int read_string(reader* r, theater_string* out) {
  if (!expect(r, '"')) return 0;
  char* text = malloc((size_t)(r->end - r->at) + 1);  // unescaping never grows the text
  size_t len = 0;
  while (r->at < r->end && *r->at != '"') {
    char c = *r->at++;
    if (c == '\\' && r->at < r->end) {
      c = *r->at++;
      switch (c) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'u': {
          const long code = read_code_point(r);
          if (code < 0) goto bad;
          len += put_utf8(text + len, code);
          continue;
        }
        default:
          break;  // \" \\ \/
      }
    }
    text[len++] = c;
  }
  if (!expect(r, '"')) goto bad;
  out->ptr = text;
  out->len = len;
  return 1;
bad:
  free(text);
  return 0;
}

// Skips any JSON value (for keys this actor does not know).
static int skip_value(reader* r) {
  skip_blanks(r);
  if (r->at >= r->end) return 0;
  if (*r->at == '"') {
    theater_string s;
    if (!read_string(r, &s)) return 0;
    theater_string_free(&s);
    return 1;
  }
  if (*r->at == '[' || *r->at == '{') {
    const char close = *r->at == '[' ? ']' : '}';
    ++r->at;
    if (expect(r, close)) return 1;
    do {
      if (close == '}') {
        theater_string key;
        if (!read_string(r, &key)) return 0;
        theater_string_free(&key);
        if (!expect(r, ':')) return 0;
      }
      if (!skip_value(r)) return 0;
    } while (expect(r, ','));
    return expect(r, close);
  }
  while (r->at < r->end && strchr(",]} \t\r\n", *r->at) == NULL) ++r->at;  // number, true, ...
  return 1;
}

typedef struct {
  theater_string program;
  theater_string args[MAX_ARGS];
  size_t arg_count;
} command;

static const char* parse_command(const char* json, size_t len, command* cmd) {
  reader r = {json, json + len};
  memset(cmd, 0, sizeof *cmd);
  if (!expect(&r, '{')) return "init_state must be a JSON object";
  if (expect(&r, '}')) return "init_state needs a \"program\"";
  do {
    theater_string key;
    if (!read_string(&r, &key) || !expect(&r, ':')) return "init_state is not valid JSON";
    const int is_program = theater_string_equals(key, "program");
    const int is_args = theater_string_equals(key, "args");
    theater_string_free(&key);
    if (is_program) {
      if (!read_string(&r, &cmd->program)) return "\"program\" must be a string";
    } else if (is_args) {
      if (!expect(&r, '[')) return "\"args\" must be an array of strings";
      if (!expect(&r, ']')) {
        do {
          if (cmd->arg_count == MAX_ARGS) return "too many args";
          if (!read_string(&r, &cmd->args[cmd->arg_count++])) return "\"args\" must hold strings";
        } while (expect(&r, ','));
        if (!expect(&r, ']')) return "\"args\" is not closed";
      }
    } else if (!skip_value(&r)) {
      return "init_state is not valid JSON";
    }
  } while (expect(&r, ','));
  if (!expect(&r, '}')) return "init_state is not valid JSON";
  if (!cmd->program.ptr) return "init_state needs a \"program\"";
  return NULL;
}

static void free_command(command* cmd) {
  theater_string_free(&cmd->program);
  for (size_t i = 0; i < cmd->arg_count; ++i) theater_string_free(&cmd->args[i]);
}

// ---- the actor -----------------------------------------------------------------

static theater_result init(theater_state* state, theater_string actor_id) {
  if (!state->is_some) return theater_error("init_state must name the command to run");
  command cmd;
  const char* problem = parse_command((const char*)state->val.ptr, state->val.len, &cmd);
  if (problem) {
    free_command(&cmd);
    return theater_error("%s", problem);
  }
  theater_process_config config;
  memset(&config, 0, sizeof config);
  config.program = cmd.program;
  config.args.ptr = cmd.args;
  config.args.len = cmd.arg_count;
  config.stdout_mode = THEATER_OUTPUT_LINE_BY_LINE;
  config.stderr_mode = THEATER_OUTPUT_LINE_BY_LINE;
  theater_result_u64 started = theater_process_os_spawn(&config);
  theater_result outcome = theater_ok();
  if (started.is_err) {
    outcome = theater_error("cannot run %.*s: %.*s", (int)cmd.program.len, cmd.program.ptr,
                            (int)started.val.err.len, started.val.err.ptr);
    theater_string_free(&started.val.err);
  } else {
    theater_logf("running %.*s as process %llu", (int)cmd.program.len, cmd.program.ptr,
                 (unsigned long long)started.val.ok);
  }
  free_command(&cmd);
  return outcome;
}

// Length of the valid UTF-8 sequence at text[0..len), or 0 if there is none.
static size_t utf8_sequence(const unsigned char* text, size_t len) {
  size_t need;
  if (text[0] < 0x80) return 1;
  if (text[0] >= 0xc2 && text[0] <= 0xdf)
    need = 2;
  else if (text[0] >= 0xe0 && text[0] <= 0xef)
    need = 3;
  else if (text[0] >= 0xf0 && text[0] <= 0xf4)
    need = 4;
  else
    return 0;
  if (len < need) return 0;
  for (size_t i = 1; i < need; ++i)
    if ((text[i] & 0xc0) != 0x80) return 0;
  return need;
}

// Logs `prefix` + the line; log lines are strings, so bytes that are not
// UTF-8 (a file name in another encoding) are shown as '?'.
static void log_line(const char* prefix, theater_bytes line) {
  const size_t prefix_len = strlen(prefix);
  char* text = malloc(prefix_len + line.len + 1);
  memcpy(text, prefix, prefix_len);
  size_t out = prefix_len;
  for (size_t i = 0; i < line.len;) {
    const size_t n = utf8_sequence(line.ptr + i, line.len - i);
    if (n == 0) {
      text[out++] = '?';
      ++i;
    } else {
      memcpy(text + out, line.ptr + i, n);
      out += n;
      i += n;
    }
  }
  theater_runtime_log((theater_string){text, out});
  free(text);
}

static theater_result on_stdout(theater_state* state, uint64_t pid, theater_bytes line) {
  log_line("", line);
  return theater_ok();
}

static theater_result on_stderr(theater_state* state, uint64_t pid, theater_bytes line) {
  log_line("stderr: ", line);
  return theater_ok();
}

static theater_result on_exit(theater_state* state, uint64_t pid, int32_t code) {
  // The handler reports a signal as its negated number.
  const int32_t status = code >= 0 ? code : 128 - code;
  char text[16];
  const int n = snprintf(text, sizeof text, "%d", status);
  return theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(text, (size_t)n)));
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_STDOUT(on_stdout)
THEATER_EXPORT_HANDLE_STDERR(on_stderr)
THEATER_EXPORT_HANDLE_EXIT(on_exit)
