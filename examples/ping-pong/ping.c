// ping: the ping-pong example's first actor. Its init spawns pong (a child,
// through the supervisor handler), asks it three requests, sends it five
// messages, opens a channel and plays three balls over it. When the last
// ball comes back it closes the channel, asks pong for its count of what it
// received, logs the summary and shuts down (which stops pong too).
#include <stdio.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/runtime.h"
#include "theater/supervisor.h"

#define BALLS 3

static theater_string text(const char* s) {
  theater_string out = {(char*)s, strlen(s)};
  return out;
}

static theater_bytes bytes(const char* s) {
  theater_bytes out = {(uint8_t*)s, strlen(s)};
  return out;
}

// The state is pong's actor id, then one byte: the balls returned so far.
static theater_actor_id pong_of(const theater_state* state) {
  theater_actor_id id = {(char*)state->val.ptr, state->val.len - 1};
  return id;
}

static theater_result fail(const char* what, theater_string err) {
  return theater_error("%s: %.*s", what, (int)err.len, err.ptr);
}

static theater_result init(theater_state* state, theater_string self) {
  theater_result_string spawned = theater_supervisor_spawn(text("pong.toml"), theater_no_bytes());
  if (spawned.is_err) return fail("spawning pong", spawned.val.err);
  theater_actor_id pong = spawned.val.ok;
  theater_logf("ping %.*s spawned pong %.*s", (int)self.len, self.ptr, (int)pong.len, pong.ptr);
  uint8_t saved[64] = {0};
  memcpy(saved, pong.ptr, pong.len);  // ids are 36 characters
  theater_state_set_copy(state, saved, pong.len + 1);

  for (int i = 1; i <= 3; i++) {
    char ask[16];
    snprintf(ask, sizeof ask, "ping %d", i);
    theater_result_bytes reply = theater_message_request(pong, bytes(ask));
    if (reply.is_err) return fail("request", reply.val.err);
    theater_logf("request \"%s\" -> reply \"%.*s\"", ask, (int)reply.val.ok.len,
                 (const char*)reply.val.ok.ptr);
  }
  for (int i = 0; i < 5; i++) {
    theater_result sent = theater_message_send(pong, bytes("tick"));
    if (sent.is_err) return fail("send", sent.err);
  }
  theater_logf("sent 5 ticks");
  theater_result_string channel = theater_message_open_channel(pong, bytes("let's play"));
  if (channel.is_err) return fail("open-channel", channel.val.err);
  theater_logf("channel %.*s open", (int)channel.val.ok.len, channel.val.ok.ptr);
  for (int i = 1; i <= BALLS; i++) {
    char ball[16];
    snprintf(ball, sizeof ball, "ball %d", i);
    theater_result sent = theater_message_send_on_channel(channel.val.ok, bytes(ball));
    if (sent.is_err) return fail("send-on-channel", sent.err);
  }
  return theater_ok();
}

static theater_result on_channel_message(theater_state* state, theater_channel_id channel,
                                         theater_bytes msg) {
  theater_logf("on the channel: \"%.*s\"", (int)msg.len, (const char*)msg.ptr);
  if (msg.len < 4 || memcmp(msg.ptr, "ball", 4) != 0) return theater_ok();  // pong's greeting
  uint8_t* returned = &state->val.ptr[state->val.len - 1];
  if (++*returned < BALLS) return theater_ok();

  theater_result closed = theater_message_close_channel(channel);
  if (closed.is_err) return fail("close-channel", closed.err);
  theater_result_bytes stats = theater_message_request(pong_of(state), bytes("stats"));
  if (stats.is_err) return fail("stats", stats.val.err);
  theater_logf("summary: pong %.*s", (int)stats.val.ok.len, (const char*)stats.val.ok.ptr);
  return theater_runtime_shutdown(theater_no_bytes());
}

static theater_result on_channel_close(theater_state* state, theater_channel_id channel) {
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_CHANNEL_MESSAGE(on_channel_message)
THEATER_EXPORT_HANDLE_CHANNEL_CLOSE(on_channel_close)
