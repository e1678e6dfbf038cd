// Compile check for the SDK from C++: the C headers are usable as they are (extern "C",
// no C-only constructs in inline code), and the exports come out identical.
// (Only what needs no C++ standard library: this machine has no libc++ for wasm32.)
#include "theater/theater.h"

namespace {

// Counts requests; the state is the count as one byte.
theater_result init(theater_state* state, theater_string actor_id) {
  constexpr uint8_t kZero = 0;
  theater_state_set_copy(state, &kZero, sizeof kZero);
  theater_runtime_log(theater_str("C++ actor started"));
  return theater_ok();
}

theater_result on_request(theater_state* state, theater_string request_id, theater_bytes msg,
                          theater_option_bytes* response) {
  if (!state->is_some || state->val.len != 1) return theater_error("state lost");
  ++state->val.ptr[0];  // changing the state in place is allowed
  *response = theater_some_bytes(theater_bytes_copy(state->val.ptr, 1));
  return theater_ok();
}

}  // namespace

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_REQUEST(on_request)
