// WIT interface theater:simple/runtime: always available to every actor.
#ifndef THEATER_RUNTIME_H
#define THEATER_RUNTIME_H

#include "theater/types.h"

#ifdef __cplusplus
extern "C" {
#endif

// Raw imports, one per WIT function, with the canonical core signature.
// (i32 ptr, i32 len) -> ()
THEATER_IMPORT("runtime", "log")
void theater__import_runtime_log(const char* msg, size_t msg_len);
// (i32 retptr) -> (): list<chain-event> is 2 flat results, so it comes back in memory.
THEATER_IMPORT("runtime", "get-chain")
void theater__import_runtime_get_chain(theater_chain_event_list* ret);
// (i32 is_some, i32 ptr, i32 len, i32 retptr) -> ()
THEATER_IMPORT("runtime", "shutdown")
void theater__import_runtime_shutdown(int32_t data_is_some, const uint8_t* data, size_t data_len,
                                      theater_result* ret);

/// Appends a line to the actor's log (and records it in the chain).
static inline void theater_runtime_log(theater_string msg) {
  theater__import_runtime_log(msg.ptr, msg.len);
}

/// printf-style theater_runtime_log.
void theater_logf(const char* format, ...) __attribute__((format(printf, 1, 2)));

/// The actor's own event chain, oldest first. Free with theater_chain_event_list_free.
static inline theater_chain_event_list theater_runtime_get_chain(void) {
  theater_chain_event_list ret;
  theater__import_runtime_get_chain(&ret);
  return ret;
}

/// Asks the runtime to stop this actor once the current call returns; `data`
/// (borrowed) goes to the supervisor as the actor's result. `theater run`
/// exits with N when the data is the decimal text of an integer N from 0 to
/// 255 (e.g. "1"), and with 0 for any other data (src/cli/README.md).
static inline theater_result theater_runtime_shutdown(theater_option_bytes data) {
  theater_result ret;
  theater__import_runtime_shutdown(THEATER_FLAT_OPTION_LIST(data), &ret);
  return ret;
}

#ifdef __cplusplus
}
#endif

#endif  // THEATER_RUNTIME_H
