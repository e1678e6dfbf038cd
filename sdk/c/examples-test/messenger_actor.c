// Compile check for the SDK: an actor that receives messages, answers requests
// (echoing them), accepts channels and forwards what it is sent to a peer whose id
// it keeps as its state.
#include "theater/actor.h"
#include "theater/message_server.h"
#include "theater/random.h"
#include "theater/timing.h"

static theater_result init(theater_state* state, theater_string actor_id) {
  theater_result_f64 roll = theater_random_float();
  if (roll.is_err)
    return theater_error("no randomness: %.*s", (int)roll.val.err.len, roll.val.err.ptr);
  theater_state_clear(state);  // no peer yet
  return theater_ok();
}

// Forwards the message to the peer named by the state, if any.
static theater_result on_send(theater_state* state, theater_bytes msg) {
  if (!state->is_some) return theater_ok();
  theater_actor_id peer = {(char*)state->val.ptr, state->val.len};
  theater_result sent = theater_message_send(peer, msg);
  return sent;  // an error message from the host is handed on as ours
}

// Echoes the request; an empty request is answered later.
static theater_result on_request(theater_state* state, theater_string request_id, theater_bytes msg,
                                 theater_option_bytes* response) {
  if (msg.len == 0) return theater_ok();
  *response = theater_some_bytes(msg);  // handing back a borrowed parameter is allowed
  return theater_ok();
}

static theater_result on_channel_open(theater_state* state, theater_channel_id channel_id,
                                      theater_bytes initial_msg, theater_channel_accept* accept) {
  accept->accepted = true;
  accept->message = theater_some_bytes(theater_bytes_copy("welcome", 7));
  return theater_ok();
}

static theater_result on_channel_message(theater_state* state, theater_channel_id channel_id,
                                         theater_bytes msg) {
  uint64_t now = theater_timing_now();
  theater_state_set_copy(state, &now, sizeof now);
  return theater_message_send_on_channel(channel_id, msg);
}

static theater_result on_channel_close(theater_state* state, theater_channel_id channel_id) {
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(on_send)
THEATER_EXPORT_HANDLE_REQUEST(on_request)
THEATER_EXPORT_HANDLE_CHANNEL_OPEN(on_channel_open)
THEATER_EXPORT_HANDLE_CHANNEL_MESSAGE(on_channel_message)
THEATER_EXPORT_HANDLE_CHANNEL_CLOSE(on_channel_close)
