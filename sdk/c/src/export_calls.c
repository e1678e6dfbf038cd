// Bookkeeping behind the THEATER_EXPORT_* macros: who owns which buffer during and
// after an export call (the rules are in sdk/c/README.md).
//
// An actor runs one call at a time, so a single set of statics serves every export.
#include "theater/message_server.h"
#include "theater/supervisor.h"

// A handful of distinct pointers. An export borrows at most 4 buffers (incoming
// state plus 3 parameters, in handle-child-error) and discards at most 2 more, so 8
// is enough; running out is a bug in this file.
#define POINTER_SET_CAPACITY 8
typedef struct pointer_set {
  void* items[POINTER_SET_CAPACITY];
  size_t count;
} pointer_set;

static bool pointer_set_contains(const pointer_set* set, const void* p) {
  for (size_t i = 0; i < set->count; ++i) {
    if (set->items[i] == p) return true;
  }
  return false;
}

static void pointer_set_add(pointer_set* set, void* p) {
  if (!p || pointer_set_contains(set, p)) return;
  if (set->count == POINTER_SET_CAPACITY) abort();
  set->items[set->count++] = p;
}

// Frees every pointer of `set` that `kept` does not hold, and empties `set`.
static void pointer_set_free_except(pointer_set* set, const pointer_set* kept) {
  for (size_t i = 0; i < set->count; ++i) {
    if (!kept || !pointer_set_contains(kept, set->items[i])) free(set->items[i]);
  }
  set->count = 0;
}

// Buffers the running call was lent (incoming state, parameters) or dropped: freed
// when the call ends, except those its answer hands back to the host.
static pointer_set call_buffers;
// Buffers the last answer points at: the host reads them, then post-return frees them.
static pointer_set answer_buffers;

// The return area: the host reads the answer here after the export returns.
static union {
  theater_state_result state;
  theater_request_result request;
  theater_channel_open_result channel_open;
} return_area;

void theater__post_return(void) {
  pointer_set_free_except(&answer_buffers, NULL);
}

theater_state theater__begin_call(int32_t state_is_some, uint8_t* state_ptr, size_t state_len) {
  // A host that skipped post-return has read the previous answer long ago.
  theater__post_return();
  theater_state state = theater_no_bytes();
  if (state_is_some) state = theater_some_bytes(theater__borrow_bytes(state_ptr, state_len));
  return state;
}

theater_bytes theater__borrow_bytes(uint8_t* ptr, size_t len) {
  pointer_set_add(&call_buffers, ptr);
  return theater_bytes_view(ptr, len);
}

theater_string theater__borrow_string(char* ptr, size_t len) {
  pointer_set_add(&call_buffers, ptr);
  theater_string view;
  view.ptr = ptr;
  view.len = len;
  return view;
}

theater_option_bytes theater__borrow_option_bytes(int32_t is_some, uint8_t* ptr, size_t len) {
  return is_some ? theater_some_bytes(theater__borrow_bytes(ptr, len)) : theater_no_bytes();
}

theater_actor_error theater__borrow_actor_error(int32_t kind, char* message_ptr, size_t message_len,
                                                int32_t data_is_some, uint8_t* data_ptr,
                                                size_t data_len) {
  theater_actor_error error;
  error.kind = (theater_actor_error_kind)kind;
  error.message = theater__borrow_string(message_ptr, message_len);
  error.data = theater__borrow_option_bytes(data_is_some, data_ptr, data_len);
  return error;
}

// ---- the state: it owns its buffer ---------------------------------------------

// Lets go of the state's buffer: a lent one is freed when the call ends, one the
// callback allocated is freed now.
static void drop_state_buffer(theater_state* state) {
  void* buffer = state->val.ptr;
  if (buffer && !pointer_set_contains(&call_buffers, buffer)) free(buffer);
  *state = theater_no_bytes();
}

void theater_state_set(theater_state* state, theater_bytes owned) {
  if (state->val.ptr != owned.ptr) drop_state_buffer(state);
  *state = theater_some_bytes(owned);
}

void theater_state_set_copy(theater_state* state, const void* data, size_t len) {
  theater_state_set(state, theater_bytes_copy(data, len));
}

void theater_state_clear(theater_state* state) {
  drop_state_buffer(state);
}

// ---- ending a call: the answer --------------------------------------------------

// An optional buffer the answer carries: kept for post-return when some, otherwise
// released with the call (a none may still point at a buffer the callback left).
static theater_option_bytes hand_over(theater_option_bytes* value) {
  if (!value->is_some) {
    pointer_set_add(&call_buffers, value->val.ptr);
    return theater_no_bytes();
  }
  pointer_set_add(&answer_buffers, value->val.ptr);
  return *value;
}

// A buffer the answer does not carry (the call failed): released with the call.
static void discard(const theater_option_bytes* value) {
  pointer_set_add(&call_buffers, value->val.ptr);
}

static theater_string hand_over_error(theater_string message) {
  pointer_set_add(&answer_buffers, message.ptr);
  return message;
}

static void finish_call(void) {
  pointer_set_free_except(&call_buffers, &answer_buffers);
}

theater_state_result* theater__end_call(theater_result result, theater_state* state) {
  theater_state_result* answer = &return_area.state;
  memset(answer, 0, sizeof *answer);
  answer->is_err = result.is_err;
  if (result.is_err) {
    answer->val.err = hand_over_error(result.err);
    discard(state);
  } else {
    answer->val.ok = hand_over(state);
  }
  finish_call();
  return answer;
}

theater_request_result* theater__end_request_call(theater_result result, theater_state* state,
                                                  theater_option_bytes* response) {
  theater_request_result* answer = &return_area.request;
  memset(answer, 0, sizeof *answer);
  answer->is_err = result.is_err;
  if (result.is_err) {
    answer->val.err = hand_over_error(result.err);
    discard(state);
    discard(response);
  } else {
    answer->val.ok.state = hand_over(state);
    answer->val.ok.response = hand_over(response);
  }
  finish_call();
  return answer;
}

theater_channel_open_result* theater__end_channel_open_call(theater_result result,
                                                            theater_state* state,
                                                            theater_channel_accept* accept) {
  theater_channel_open_result* answer = &return_area.channel_open;
  memset(answer, 0, sizeof *answer);
  answer->is_err = result.is_err;
  if (result.is_err) {
    answer->val.err = hand_over_error(result.err);
    discard(state);
    discard(&accept->message);
  } else {
    answer->val.ok.state = hand_over(state);
    answer->val.ok.accept.accepted = accept->accepted;
    answer->val.ok.accept.message = hand_over(&accept->message);
  }
  finish_call();
  return answer;
}
