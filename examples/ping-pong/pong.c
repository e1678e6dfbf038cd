// pong: the ping-pong example's second actor. It answers "ping N" with
// "pong N", counts the messages it is sent, accepts a channel (greeting the
// opener) and sends each ball back on it, and answers "stats" with its
// counts. Its state is the three counts: ticks, requests, balls.
#include <stdio.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"

typedef struct {
  uint32_t ticks, requests, balls;
} counts;

static counts read_counts(const theater_state* state) {
  counts c = {0, 0, 0};
  if (state->is_some && state->val.len == sizeof c) memcpy(&c, state->val.ptr, sizeof c);
  return c;
}

static theater_result init(theater_state* state, theater_string self) {
  counts zero = {0, 0, 0};
  theater_state_set_copy(state, &zero, sizeof zero);
  return theater_ok();
}

static theater_result on_send(theater_state* state, theater_bytes msg) {
  counts c = read_counts(state);
  c.ticks++;
  theater_state_set_copy(state, &c, sizeof c);
  return theater_ok();
}

static theater_result on_request(theater_state* state, theater_string request_id, theater_bytes msg,
                                 theater_option_bytes* response) {
  counts c = read_counts(state);
  char out[128];
  int n;
  if (msg.len == 5 && memcmp(msg.ptr, "stats", 5) == 0) {
    n = snprintf(out, sizeof out, "received %u ticks, %u requests, %u balls", c.ticks, c.requests,
                 c.balls);
  } else {
    c.requests++;
    n = snprintf(out, sizeof out, "pong%.*s", msg.len > 4 ? (int)msg.len - 4 : 0,
                 (const char*)msg.ptr + (msg.len > 4 ? 4 : 0));
  }
  theater_state_set_copy(state, &c, sizeof c);
  *response = theater_some_bytes(theater_bytes_copy(out, (size_t)n));
  return theater_ok();
}

static theater_result on_channel_open(theater_state* state, theater_channel_id channel,
                                      theater_bytes initial, theater_channel_accept* accept) {
  accept->accepted = true;
  accept->message = theater_some_bytes(theater_bytes_copy("pong is ready", 13));
  return theater_ok();
}

static theater_result on_channel_message(theater_state* state, theater_channel_id channel,
                                         theater_bytes msg) {
  counts c = read_counts(state);
  c.balls++;
  theater_state_set_copy(state, &c, sizeof c);
  char back[64];
  int n = snprintf(back, sizeof back, "%.*s returned", (int)msg.len, (const char*)msg.ptr);
  theater_bytes reply = {(uint8_t*)back, (size_t)n};
  return theater_message_send_on_channel(channel, reply);
}

static theater_result on_channel_close(theater_state* state, theater_channel_id channel) {
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(on_send)
THEATER_EXPORT_HANDLE_REQUEST(on_request)
THEATER_EXPORT_HANDLE_CHANNEL_OPEN(on_channel_open)
THEATER_EXPORT_HANDLE_CHANNEL_MESSAGE(on_channel_message)
THEATER_EXPORT_HANDLE_CHANNEL_CLOSE(on_channel_close)
