// WIT interfaces theater:simple/message-server-host (imports: message other actors)
// and theater:simple/message-server-client (exports: receive messages).
#ifndef THEATER_MESSAGE_SERVER_H
#define THEATER_MESSAGE_SERVER_H

#include "theater/exports.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---- message-server-host imports ---------------------------------------------
// Every function returns a result, which needs a return area: the last parameter.

// (i32 i32 actor-id, i32 i32 msg, i32 retptr) -> ()
THEATER_IMPORT("message-server-host", "send")
void theater__import_message_send(const char* actor_id, size_t actor_id_len, const uint8_t* msg,
                                  size_t msg_len, theater_result* ret);
THEATER_IMPORT("message-server-host", "request")
void theater__import_message_request(const char* actor_id, size_t actor_id_len, const uint8_t* msg,
                                     size_t msg_len, theater_result_bytes* ret);
THEATER_IMPORT("message-server-host", "open-channel")
void theater__import_message_open_channel(const char* actor_id, size_t actor_id_len,
                                          const uint8_t* initial_msg, size_t initial_msg_len,
                                          theater_result_string* ret);
THEATER_IMPORT("message-server-host", "send-on-channel")
void theater__import_message_send_on_channel(const char* channel_id, size_t channel_id_len,
                                             const uint8_t* msg, size_t msg_len,
                                             theater_result* ret);
// (i32 i32 channel-id, i32 retptr) -> ()
THEATER_IMPORT("message-server-host", "close-channel")
void theater__import_message_close_channel(const char* channel_id, size_t channel_id_len,
                                           theater_result* ret);
// (i32 retptr) -> ()
THEATER_IMPORT("message-server-host", "list-outstanding-requests")
void theater__import_message_list_outstanding_requests(theater_string_list* ret);
THEATER_IMPORT("message-server-host", "respond-to-request")
void theater__import_message_respond_to_request(const char* request_id, size_t request_id_len,
                                                const uint8_t* response, size_t response_len,
                                                theater_result* ret);
THEATER_IMPORT("message-server-host", "cancel-request")
void theater__import_message_cancel_request(const char* request_id, size_t request_id_len,
                                            theater_result* ret);

/// Delivers msg to the target's handle-send; returns once it is queued.
static inline theater_result theater_message_send(theater_actor_id actor_id, theater_bytes msg) {
  theater_result ret;
  theater__import_message_send(actor_id.ptr, actor_id.len, msg.ptr, msg.len, &ret);
  return ret;
}

/// Delivers msg to the target's handle-request and waits for the reply (bounded).
static inline theater_result_bytes theater_message_request(theater_actor_id actor_id,
                                                           theater_bytes msg) {
  theater_result_bytes ret;
  theater__import_message_request(actor_id.ptr, actor_id.len, msg.ptr, msg.len, &ret);
  return ret;
}

/// Asks the target to accept a channel; ok holds the channel id.
static inline theater_result_string theater_message_open_channel(theater_actor_id actor_id,
                                                                 theater_bytes initial_msg) {
  theater_result_string ret;
  theater__import_message_open_channel(actor_id.ptr, actor_id.len, initial_msg.ptr, initial_msg.len,
                                       &ret);
  return ret;
}

static inline theater_result theater_message_send_on_channel(theater_channel_id channel_id,
                                                             theater_bytes msg) {
  theater_result ret;
  theater__import_message_send_on_channel(channel_id.ptr, channel_id.len, msg.ptr, msg.len, &ret);
  return ret;
}

static inline theater_result theater_message_close_channel(theater_channel_id channel_id) {
  theater_result ret;
  theater__import_message_close_channel(channel_id.ptr, channel_id.len, &ret);
  return ret;
}

/// Requests received and not answered yet (handle-request returned none).
static inline theater_string_list theater_message_list_outstanding_requests(void) {
  theater_string_list ret;
  theater__import_message_list_outstanding_requests(&ret);
  return ret;
}

static inline theater_result theater_message_respond_to_request(theater_string request_id,
                                                                theater_bytes response) {
  theater_result ret;
  theater__import_message_respond_to_request(request_id.ptr, request_id.len, response.ptr,
                                             response.len, &ret);
  return ret;
}

static inline theater_result theater_message_cancel_request(theater_string request_id) {
  theater_result ret;
  theater__import_message_cancel_request(request_id.ptr, request_id.len, &ret);
  return ret;
}

// ---- message-server-client exports -------------------------------------------

/// handle-request's answer: result<tuple<option<list<u8>>, tuple<option<list<u8>>>>, string>
typedef struct theater_request_result {
  bool is_err;
  union {
    struct {
      theater_state state;
      theater_option_bytes response;
    } ok;
    theater_string err;
  } val;
} theater_request_result;
THEATER_ASSERT_LAYOUT(theater_request_result, 28, 4);
THEATER_ASSERT_OFFSET(theater_request_result, val.ok.response, 16);

/// handle-channel-open's answer:
/// result<tuple<option<list<u8>>, tuple<channel-accept>>, string>
typedef struct theater_channel_open_result {
  bool is_err;
  union {
    struct {
      theater_state state;
      theater_channel_accept accept;
    } ok;
    theater_string err;
  } val;
} theater_channel_open_result;
THEATER_ASSERT_LAYOUT(theater_channel_open_result, 32, 4);
THEATER_ASSERT_OFFSET(theater_channel_open_result, val.ok.accept.message, 20);

// Machinery for the two callbacks that answer more than the state.
theater_request_result* theater__end_request_call(theater_result result, theater_state* state,
                                                  theater_option_bytes* response);
theater_channel_open_result* theater__end_channel_open_call(theater_result result,
                                                            theater_state* state,
                                                            theater_channel_accept* accept);

#ifdef __cplusplus
}
#endif

/// handle-send: params tuple<list<u8>>; core (i32 i32 i32 | i32 i32) -> i32.
typedef theater_result theater_handle_send_fn(theater_state* state, theater_bytes msg);
/// handle-request: params tuple<string request-id, list<u8>>; core 7 x i32 -> i32.
/// Set *response (some, malloc'd) to answer now; leave it none to answer later with
/// theater_message_respond_to_request.
typedef theater_result theater_handle_request_fn(theater_state* state, theater_string request_id,
                                                 theater_bytes msg, theater_option_bytes* response);
/// handle-channel-open: params tuple<string channel-id, list<u8> initial-msg>.
/// *accept starts as {accepted: false, message: none}.
typedef theater_result theater_handle_channel_open_fn(theater_state* state,
                                                      theater_channel_id channel_id,
                                                      theater_bytes initial_msg,
                                                      theater_channel_accept* accept);
/// handle-channel-message: params tuple<channel-id, list<u8>>.
typedef theater_result theater_handle_channel_message_fn(theater_state* state,
                                                         theater_channel_id channel_id,
                                                         theater_bytes msg);
/// handle-channel-close: params tuple<channel-id>.
typedef theater_result theater_handle_channel_close_fn(theater_state* state,
                                                       theater_channel_id channel_id);

#define THEATER_EXPORT_HANDLE_SEND(fn)                                                   \
  THEATER__DEFINE_STATE_EXPORT("message-server-client#handle-send", message_handle_send, \
                               (uint8_t * msg_ptr, size_t msg_len),                      \
                               fn(&theater__state, theater__borrow_bytes(msg_ptr, msg_len)))

#define THEATER_EXPORT_HANDLE_REQUEST(fn)                                                      \
  THEATER__DEFINE_EXPORT(                                                                      \
      "message-server-client#handle-request", message_handle_request,                          \
      (char* id_ptr, size_t id_len, uint8_t* msg_ptr, size_t msg_len), theater_request_result, \
      theater_option_bytes theater__response = theater_no_bytes();                             \
      theater_result theater__result =                                                         \
          fn(&theater__state, theater__borrow_string(id_ptr, id_len),                          \
             theater__borrow_bytes(msg_ptr, msg_len), &theater__response);                     \
      return theater__end_request_call(theater__result, &theater__state, &theater__response);)

#define THEATER_EXPORT_HANDLE_CHANNEL_OPEN(fn)                                  \
  THEATER__DEFINE_EXPORT(                                                       \
      "message-server-client#handle-channel-open", message_handle_channel_open, \
      (char* id_ptr, size_t id_len, uint8_t* msg_ptr, size_t msg_len),          \
      theater_channel_open_result, theater_channel_accept theater__accept;      \
      memset(&theater__accept, 0, sizeof theater__accept);                      \
      theater_result theater__result =                                          \
          fn(&theater__state, theater__borrow_string(id_ptr, id_len),           \
             theater__borrow_bytes(msg_ptr, msg_len), &theater__accept);        \
      return theater__end_channel_open_call(theater__result, &theater__state, &theater__accept);)

#define THEATER_EXPORT_HANDLE_CHANNEL_MESSAGE(fn)                                               \
  THEATER__DEFINE_STATE_EXPORT("message-server-client#handle-channel-message",                  \
                               message_handle_channel_message,                                  \
                               (char* id_ptr, size_t id_len, uint8_t* msg_ptr, size_t msg_len), \
                               fn(&theater__state, theater__borrow_string(id_ptr, id_len),      \
                                  theater__borrow_bytes(msg_ptr, msg_len)))

#define THEATER_EXPORT_HANDLE_CHANNEL_CLOSE(fn)                                             \
  THEATER__DEFINE_STATE_EXPORT("message-server-client#handle-channel-close",                \
                               message_handle_channel_close, (char* id_ptr, size_t id_len), \
                               fn(&theater__state, theater__borrow_string(id_ptr, id_len)))

#endif  // THEATER_MESSAGE_SERVER_H
