// WIT interface theater:simple/actor: every actor exports init.
//
//   static theater_result my_init(theater_state* state, theater_string actor_id) {...}
//   THEATER_EXPORT_INIT(my_init)
//
// `state` holds the initial state (none on a first start); actor_id is borrowed.
#ifndef THEATER_ACTOR_H
#define THEATER_ACTOR_H

#include "theater/exports.h"

/// init: func(state: option<list<u8>>, params: tuple<string>)
///       -> result<tuple<option<list<u8>>>, string>
/// core: (i32 i32 i32 | i32 i32) -> i32 (the return area)
typedef theater_result theater_init_fn(theater_state* state, theater_string actor_id);

#define THEATER_EXPORT_INIT(fn)                                                         \
  THEATER__DEFINE_STATE_EXPORT("actor#init", actor_init, (char* id_ptr, size_t id_len), \
                               fn(&theater__state, theater__borrow_string(id_ptr, id_len)))

#endif  // THEATER_ACTOR_H
