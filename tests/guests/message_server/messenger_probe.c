// The message server tests' actor, written with the SDK. It is driven by
// handle-send commands (the test sends them straight to its export) and logs
// every outcome, so the test sees what a guest sees:
//   !send <id> <text>       !request <id> <text>     !open <id> <text>
//   !chan <channel> <text>  !close <channel>         !list
//   !respond <req> <text>   !respond-all <text>      !cancel-all
//   !burst <id> <n> <tag>   (sends "<tag>:0" .. "<tag>:<n-1>")
//   !report                 (what it received of bursts, and whether in order)
// Other messages: "<tag>:<i>" is counted per tag (order checked); anything
// else is logged as "got: <msg>".
// Requests: "defer" is answered later, "trap" traps, "ask <id> <text>" asks
// <id> and answers with its reply, anything else is echoed as "echo:<msg>".
// Channels: an initial "reject" is refused, "welcome" is accepted with the
// message "welcome!", anything else accepted silently.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"

typedef struct {
  const char* ptr;
  size_t len;
} slice;

static slice next_word(slice* rest) {
  while (rest->len && rest->ptr[0] == ' ') rest->ptr++, rest->len--;
  slice word = {rest->ptr, 0};
  while (word.len < rest->len && rest->ptr[word.len] != ' ') word.len++;
  rest->ptr += word.len;
  rest->len -= word.len;
  if (rest->len) rest->ptr++, rest->len--;  // the one space after the word
  return word;
}

static int is(slice word, const char* text) {
  return word.len == strlen(text) && memcmp(word.ptr, text, word.len) == 0;
}

static theater_string as_string(slice s) {
  theater_string out = {(char*)s.ptr, s.len};
  return out;
}

static theater_bytes as_bytes(slice s) {
  theater_bytes out = {(uint8_t*)s.ptr, s.len};
  return out;
}

static void log_result(const char* what, theater_result r) {
  if (r.is_err)
    theater_logf("%s: err %.*s", what, (int)r.err.len, r.err.ptr);
  else
    theater_logf("%s: ok", what);
}

// --- burst bookkeeping (instance memory: a test guest, not state) ---------------

#define MAX_TAGS 8
static struct {
  char tag[16];
  long next;
} tags[MAX_TAGS];
static int tag_count;
static int order_broken;

static int count_burst_message(slice msg) {
  const char* colon = memchr(msg.ptr, ':', msg.len);
  if (!colon || colon == msg.ptr || (size_t)(colon - msg.ptr) >= sizeof tags[0].tag) return 0;
  size_t tag_len = (size_t)(colon - msg.ptr);
  char digits[24] = {0};
  size_t digits_len = msg.len - tag_len - 1;
  if (digits_len == 0 || digits_len >= sizeof digits) return 0;
  memcpy(digits, colon + 1, digits_len);
  for (size_t i = 0; i < digits_len; i++)
    if (digits[i] < '0' || digits[i] > '9') return 0;
  long index = strtol(digits, NULL, 10);
  int slot = 0;
  while (slot < tag_count &&
         !(strlen(tags[slot].tag) == tag_len && memcmp(tags[slot].tag, msg.ptr, tag_len) == 0))
    slot++;
  if (slot == tag_count) {
    if (tag_count == MAX_TAGS) return 0;
    memcpy(tags[slot].tag, msg.ptr, tag_len);
    tag_count++;
  }
  if (index != tags[slot].next) order_broken = 1;
  tags[slot].next = index + 1;
  return 1;
}

static void report(void) {
  char line[512];
  size_t n = (size_t)snprintf(line, sizeof line, "order: %s", order_broken ? "broken" : "kept");
  for (int i = 0; i < tag_count && n < sizeof line; i++)
    n += (size_t)snprintf(line + n, sizeof line - n, " %s=%ld", tags[i].tag, tags[i].next);
  theater_logf("%s", line);
}

// --- commands -------------------------------------------------------------------

static void burst(slice args) {
  slice target = next_word(&args);
  slice count = next_word(&args);
  slice tag = next_word(&args);
  char digits[24] = {0};
  memcpy(digits, count.ptr, count.len < 23 ? count.len : 23);
  long n = strtol(digits, NULL, 10);
  for (long i = 0; i < n; i++) {
    char msg[64];
    int len = snprintf(msg, sizeof msg, "%.*s:%ld", (int)tag.len, tag.ptr, i);
    theater_bytes bytes = {(uint8_t*)msg, (size_t)len};
    theater_result r = theater_message_send(as_string(target), bytes);
    if (r.is_err) {
      theater_logf("burst: err at %ld: %.*s", i, (int)r.err.len, r.err.ptr);
      return;
    }
  }
  theater_logf("burst: done %ld", n);
}

static void log_outstanding(void) {
  theater_string_list ids = theater_message_list_outstanding_requests();
  char line[1024];
  size_t n = (size_t)snprintf(line, sizeof line, "outstanding:");
  for (size_t i = 0; i < ids.len && n < sizeof line; i++)
    n += (size_t)snprintf(line + n, sizeof line - n, " %.*s", (int)ids.ptr[i].len, ids.ptr[i].ptr);
  theater_logf("%s", line);
}

static void answer_all(slice text, int cancel) {
  theater_string_list ids = theater_message_list_outstanding_requests();
  for (size_t i = 0; i < ids.len; i++) {
    theater_result r = cancel ? theater_message_cancel_request(ids.ptr[i])
                              : theater_message_respond_to_request(ids.ptr[i], as_bytes(text));
    log_result(cancel ? "cancel" : "respond", r);
  }
}

static void command(slice rest) {
  slice verb = next_word(&rest);
  if (is(verb, "!send") || is(verb, "!request") || is(verb, "!open")) {
    slice target = next_word(&rest);
    if (is(verb, "!send")) {
      log_result("send", theater_message_send(as_string(target), as_bytes(rest)));
    } else if (is(verb, "!request")) {
      theater_result_bytes r = theater_message_request(as_string(target), as_bytes(rest));
      if (r.is_err)
        theater_logf("request: err %.*s", (int)r.val.err.len, r.val.err.ptr);
      else
        theater_logf("reply: %.*s", (int)r.val.ok.len, (const char*)r.val.ok.ptr);
    } else {
      theater_result_string r = theater_message_open_channel(as_string(target), as_bytes(rest));
      if (r.is_err)
        theater_logf("open: err %.*s", (int)r.val.err.len, r.val.err.ptr);
      else
        theater_logf("open: ok %.*s", (int)r.val.ok.len, r.val.ok.ptr);
    }
  } else if (is(verb, "!chan")) {
    slice channel = next_word(&rest);
    log_result("chan", theater_message_send_on_channel(as_string(channel), as_bytes(rest)));
  } else if (is(verb, "!close")) {
    log_result("close", theater_message_close_channel(as_string(next_word(&rest))));
  } else if (is(verb, "!list")) {
    log_outstanding();
  } else if (is(verb, "!respond")) {
    slice id = next_word(&rest);
    log_result("respond", theater_message_respond_to_request(as_string(id), as_bytes(rest)));
  } else if (is(verb, "!respond-all")) {
    answer_all(rest, 0);
  } else if (is(verb, "!cancel-all")) {
    answer_all(rest, 1);
  } else if (is(verb, "!burst")) {
    burst(rest);
  } else if (is(verb, "!report")) {
    report();
  } else {
    theater_logf("unknown command %.*s", (int)verb.len, verb.ptr);
  }
}

// --- exports --------------------------------------------------------------------

static theater_result init(theater_state* state, theater_string actor_id) {
  return theater_ok();
}

static theater_result on_send(theater_state* state, theater_bytes msg) {
  slice text = {(const char*)msg.ptr, msg.len};
  if (msg.len && msg.ptr[0] == '!') {
    command(text);
  } else if (!count_burst_message(text)) {
    theater_logf("got: %.*s", (int)msg.len, (const char*)msg.ptr);
  }
  return theater_ok();
}

static theater_result on_request(theater_state* state, theater_string request_id, theater_bytes msg,
                                 theater_option_bytes* response) {
  slice rest = {(const char*)msg.ptr, msg.len};
  slice verb = next_word(&rest);
  if (is(verb, "defer")) {
    theater_logf("deferred %.*s", (int)request_id.len, request_id.ptr);
    return theater_ok();
  }
  if (is(verb, "trap")) __builtin_trap();
  char out[512];
  int n;
  if (is(verb, "ask")) {
    slice target = next_word(&rest);
    theater_result_bytes r = theater_message_request(as_string(target), as_bytes(rest));
    n = r.is_err ? snprintf(out, sizeof out, "failed: %.*s", (int)r.val.err.len, r.val.err.ptr)
                 : snprintf(out, sizeof out, "%.*s", (int)r.val.ok.len, (const char*)r.val.ok.ptr);
  } else {
    n = snprintf(out, sizeof out, "echo:%.*s", (int)msg.len, (const char*)msg.ptr);
  }
  if (n > (int)sizeof out - 1) n = (int)sizeof out - 1;
  *response = theater_some_bytes(theater_bytes_copy(out, (size_t)n));
  return theater_ok();
}

static theater_result on_channel_open(theater_state* state, theater_channel_id channel_id,
                                      theater_bytes initial_msg, theater_channel_accept* accept) {
  slice initial = {(const char*)initial_msg.ptr, initial_msg.len};
  theater_logf("channel-open %.*s %.*s", (int)channel_id.len, channel_id.ptr, (int)initial.len,
               initial.ptr);
  accept->accepted = !is(initial, "reject");
  if (is(initial, "welcome"))
    accept->message = theater_some_bytes(theater_bytes_copy("welcome!", 8));
  return theater_ok();
}

static theater_result on_channel_message(theater_state* state, theater_channel_id channel_id,
                                         theater_bytes msg) {
  theater_logf("chan-msg %.*s %.*s", (int)channel_id.len, channel_id.ptr, (int)msg.len,
               (const char*)msg.ptr);
  return theater_ok();
}

static theater_result on_channel_close(theater_state* state, theater_channel_id channel_id) {
  theater_logf("chan-closed %.*s", (int)channel_id.len, channel_id.ptr);
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(on_send)
THEATER_EXPORT_HANDLE_REQUEST(on_request)
THEATER_EXPORT_HANDLE_CHANNEL_OPEN(on_channel_open)
THEATER_EXPORT_HANDLE_CHANNEL_MESSAGE(on_channel_message)
THEATER_EXPORT_HANDLE_CHANNEL_CLOSE(on_channel_close)
