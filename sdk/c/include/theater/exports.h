// Writing the callbacks an actor exports. Every theater callback has the shape
//   f(state: option<list<u8>>, params: tuple<...>) -> result<tuple<option<list<u8>>, ...>, string>
// so one set of machinery serves them all: the THEATER_EXPORT_* macros (in the
// interface headers) define the core export with the exact canonical ABI signature,
// lift its parameters into C values, call your function, store its answer in a
// static return area, and define the matching cabi_post_<export> that frees it.
//
// Your callback gets the current state in `state`, which it may keep, change in
// place, replace or clear, and returns theater_ok() or theater_error("...").
// Ownership rules are in sdk/c/README.md; in short: parameters are borrowed for the
// call, the state owns its buffer, and whatever you hand back must come from malloc.
#ifndef THEATER_EXPORTS_H
#define THEATER_EXPORTS_H

#include "theater/abi.h"
#include "theater/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The actor's state as the host keeps it: option<list<u8>> (is_some false = none).
typedef theater_option_bytes theater_state;

/// result<tuple<option<list<u8>>>, string>: what most callbacks return to the host.
typedef struct theater_state_result {
  bool is_err;
  union {
    theater_state ok;
    theater_string err;
  } val;
} theater_state_result;
THEATER_ASSERT_LAYOUT(theater_state_result, 16, 4);
THEATER_ASSERT_OFFSET(theater_state_result, val, 4);

/// Success: the state as it is when the callback returns becomes the actor's state.
static inline theater_result theater_ok(void) {
  theater_result ok;
  memset(&ok, 0, sizeof ok);
  return ok;
}

/// Failure with a printf-style message (copied with malloc): the host discards the
/// call's state changes and tells the supervisor.
theater_result theater_error(const char* format, ...) __attribute__((format(printf, 1, 2)));

/// Replaces the state with `owned` (a malloc'd buffer the state now owns).
void theater_state_set(theater_state* state, theater_bytes owned);
/// Replaces the state with a copy of data.
void theater_state_set_copy(theater_state* state, const void* data, size_t len);
/// Sets the state to none.
void theater_state_clear(theater_state* state);

// ---- machinery used by the THEATER_EXPORT_* macros (not called directly) ------

// Starts an export call: frees what a previous call left, adopts the incoming state.
theater_state theater__begin_call(int32_t state_is_some, uint8_t* state_ptr, size_t state_len);
// Parameters lifted by the host are borrowed by the callback and freed when it returns.
theater_string theater__borrow_string(char* ptr, size_t len);
theater_bytes theater__borrow_bytes(uint8_t* ptr, size_t len);
theater_option_bytes theater__borrow_option_bytes(int32_t is_some, uint8_t* ptr, size_t len);
// Ends a call: stores the answer in the return area, frees what is not handed back.
theater_state_result* theater__end_call(theater_result result, theater_state* state);
// cabi_post_<export>: frees what the last call handed to the host.
void theater__post_return(void);

#define THEATER__UNPAREN(...) __VA_ARGS__

// Defines the core export "theater:simple/<interface_func>" and its cabi_post_
// companion (which takes the return-area pointer the export returned). The export's
// parameters are the flattened state (i32 is_some, i32 ptr, i32 len) followed by
// EXTRA_PARAMS, a parenthesised list of the flattened params tuple. The remaining
// arguments are its body: they see `theater__state` and return a RETURN_TYPE*.
#define THEATER__DEFINE_EXPORT(interface_func, c_name, EXTRA_PARAMS, RETURN_TYPE, ...)          \
  THEATER_EXPORT_AS("theater:simple/" interface_func)                                           \
  RETURN_TYPE* theater__export_##c_name(int32_t theater__state_is_some,                         \
                                        uint8_t* theater__state_ptr, size_t theater__state_len, \
                                        THEATER__UNPAREN EXTRA_PARAMS) {                        \
    theater_state theater__state =                                                              \
        theater__begin_call(theater__state_is_some, theater__state_ptr, theater__state_len);    \
    __VA_ARGS__                                                                                 \
  }                                                                                             \
  THEATER_EXPORT_AS("cabi_post_theater:simple/" interface_func)                                 \
  void theater__post_##c_name(RETURN_TYPE* return_area) {                                       \
    (void)return_area;                                                                          \
    theater__post_return();                                                                     \
  }

// The common case: the callback returns only the new state. CALL is the call of the
// user's function, e.g. fn(&theater__state, theater__borrow_bytes(ptr, len)).
#define THEATER__DEFINE_STATE_EXPORT(interface_func, c_name, EXTRA_PARAMS, CALL)     \
  THEATER__DEFINE_EXPORT(interface_func, c_name, EXTRA_PARAMS, theater_state_result, \
                         return theater__end_call(CALL, &theater__state);)

#ifdef __cplusplus
}
#endif

#endif  // THEATER_EXPORTS_H
