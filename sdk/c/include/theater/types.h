// WIT interface theater:simple/types: types shared by several interfaces.
#ifndef THEATER_TYPES_H
#define THEATER_TYPES_H

#include "theater/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/// An actor's id: a lowercase, hyphenated UUID v4 string.
typedef theater_string theater_actor_id;
/// A message channel's id, as issued by the message server.
typedef theater_string theater_channel_id;

/// record chain-event: one record of an actor's event chain.
typedef struct theater_chain_event {
  theater_bytes hash;
  theater_option_bytes parent_hash;  // none only for the first event
  theater_string event_type;
  theater_bytes data;
  uint64_t timestamp;  // milliseconds since the Unix epoch
  theater_option_string description;
} theater_chain_event;
THEATER_ASSERT_LAYOUT(theater_chain_event, 64, 8);
THEATER_ASSERT_OFFSET(theater_chain_event, parent_hash, 8);
THEATER_ASSERT_OFFSET(theater_chain_event, event_type, 20);
THEATER_ASSERT_OFFSET(theater_chain_event, data, 28);
THEATER_ASSERT_OFFSET(theater_chain_event, timestamp, 40);
THEATER_ASSERT_OFFSET(theater_chain_event, description, 48);

static inline void theater_chain_event_free(theater_chain_event* e) {
  theater_bytes_free(&e->hash);
  theater_option_bytes_free(&e->parent_hash);
  theater_string_free(&e->event_type);
  theater_bytes_free(&e->data);
  theater_option_string_free(&e->description);
}

/// list<chain-event>
THEATER_DEFINE_LIST(theater_chain_event_list, theater_chain_event, theater_chain_event_free)
/// result<list<chain-event>, string>
THEATER_DEFINE_RESULT(theater_result_chain_events, theater_chain_event_list,
                      theater_chain_event_list_free)
THEATER_ASSERT_LAYOUT(theater_result_chain_events, 12, 4);

/// record channel-accept: the answer of an actor asked to accept a channel.
typedef struct theater_channel_accept {
  bool accepted;
  theater_option_bytes message;
} theater_channel_accept;
THEATER_ASSERT_LAYOUT(theater_channel_accept, 16, 4);
THEATER_ASSERT_OFFSET(theater_channel_accept, message, 4);

/// enum actor-error-kind, in WIT order (the order is the wire value).
/// X(C_NAME, "wit-name") for each case.
#define THEATER_ACTOR_ERROR_KINDS(X)                  \
  X(OPERATION_TIMEOUT, "operation-timeout")           \
  X(CHANNEL_CLOSED, "channel-closed")                 \
  X(SHUTTING_DOWN, "shutting-down")                   \
  X(FUNCTION_NOT_FOUND, "function-not-found")         \
  X(TYPE_MISMATCH, "type-mismatch")                   \
  X(INTERNAL, "internal")                             \
  X(SERIALIZATION_ERROR, "serialization-error")       \
  X(UPDATE_COMPONENT_ERROR, "update-component-error") \
  X(PAUSED, "paused")                                 \
  X(TRAP, "trap")                                     \
  X(OUT_OF_FUEL, "out-of-fuel")

#define THEATER__ERROR_KIND_ENUMERATOR(c_name, wit_name) THEATER_ACTOR_ERROR_##c_name,
enum { THEATER_ACTOR_ERROR_KINDS(THEATER__ERROR_KIND_ENUMERATOR) THEATER_ACTOR_ERROR_KIND_COUNT };
#undef THEATER__ERROR_KIND_ENUMERATOR

/// An enum of fewer than 256 cases is stored in one byte.
typedef uint8_t theater_actor_error_kind;

/// The WIT name of a kind ("trap", ...), or "unknown" for an out-of-range value.
static inline const char* theater_actor_error_kind_name(theater_actor_error_kind kind) {
#define THEATER__ERROR_KIND_NAME(c_name, wit_name) wit_name,
  static const char* const names[] = {THEATER_ACTOR_ERROR_KINDS(THEATER__ERROR_KIND_NAME)};
#undef THEATER__ERROR_KIND_NAME
  return kind < THEATER_ACTOR_ERROR_KIND_COUNT ? names[kind] : "unknown";
}

/// record actor-error: why a call into an actor failed, as seen by its supervisor.
typedef struct theater_actor_error {
  theater_actor_error_kind kind;
  theater_string message;  // never empty
  theater_option_bytes data;
} theater_actor_error;
THEATER_ASSERT_LAYOUT(theater_actor_error, 24, 4);
THEATER_ASSERT_OFFSET(theater_actor_error, message, 4);
THEATER_ASSERT_OFFSET(theater_actor_error, data, 12);

#ifdef __cplusplus
}
#endif

#endif  // THEATER_TYPES_H
