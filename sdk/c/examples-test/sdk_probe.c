// Behaviour test of the SDK's export side, run by wabt's interpreter: run_sdk_tests
// plays the host. It places parameters with cabi_realloc, calls the core exports the
// THEATER_EXPORT_* macros define, reads their answers at the byte offsets the
// canonical ABI prescribes (without the SDK's structs), calls cabi_post_*, and counts
// live heap blocks to prove every path frees what it should, exactly once.
// Returns 0, or the line of the first failed CHECK.
#include "theater/theater.h"

#define CHECK(cond)               \
  do {                            \
    if (!(cond)) return __LINE__; \
  } while (0)
#define RUN(test)                        \
  do {                                   \
    int failed_line = test();            \
    if (failed_line) return failed_line; \
  } while (0)

void* cabi_realloc(void* ptr, size_t old_size, size_t align, size_t new_size);

// ---- counting heap blocks: linked with -Wl,--wrap=malloc,--wrap=realloc,--wrap=free --

static long live_blocks;
void* __real_malloc(size_t size);
void* __real_realloc(void* ptr, size_t size);
void __real_free(void* ptr);

void* __wrap_malloc(size_t size) {
  void* block = __real_malloc(size);
  if (block) ++live_blocks;
  return block;
}

void* __wrap_realloc(void* ptr, size_t size) {
  void* block = __real_realloc(ptr, size);
  if (block && !ptr) ++live_blocks;
  return block;
}

void __wrap_free(void* ptr) {
  if (ptr) --live_blocks;
  __real_free(ptr);
}

// ---- the host's view: bytes in linear memory ------------------------------------

static uint8_t load_u8(const void* area, size_t offset) {
  return ((const uint8_t*)area)[offset];
}

static uint32_t load_u32(const void* area, size_t offset) {
  uint32_t value;
  memcpy(&value, (const uint8_t*)area + offset, sizeof value);
  return value;
}

// True when the (ptr, len) pair stored at `offset` holds exactly `text`.
static bool holds_text(const void* area, size_t offset, const char* text) {
  const char* ptr = (const char*)(uintptr_t)load_u32(area, offset);
  uint32_t len = load_u32(area, offset + 4);
  return len == strlen(text) && memcmp(ptr, text, len) == 0;
}

// A string or list placed in the guest the way the host does it.
typedef struct placed {
  void* ptr;
  size_t len;
} placed;

static placed place(const char* text) {
  placed p = {cabi_realloc(NULL, 0, 1, strlen(text)), strlen(text)};
  memcpy(p.ptr, text, p.len);
  return p;
}

// ---- the actor under test ---------------------------------------------------------

enum init_behaviour { KEEP_STATE, STORE_ACTOR_ID, FAIL_WITH_ID, CLEAR_STATE };
static enum init_behaviour init_behaviour;

static theater_result on_init(theater_state* state, theater_string actor_id) {
  switch (init_behaviour) {
    case KEEP_STATE:
      return theater_ok();
    case STORE_ACTOR_ID:
      theater_state_set_copy(state, actor_id.ptr, actor_id.len);
      return theater_ok();
    case FAIL_WITH_ID:
      theater_state_set_copy(state, "discarded", 9);  // an error discards state changes
      return theater_error("bad id %.*s", (int)actor_id.len, actor_id.ptr);
    case CLEAR_STATE:
      theater_state_clear(state);
      return theater_ok();
  }
  return theater_ok();
}

// Replaces the state with a fresh copy of the message, twice (the first copy must
// not leak).
static theater_result on_send(theater_state* state, theater_bytes msg) {
  theater_state_set_copy(state, msg.ptr, msg.len);
  theater_state_set_copy(state, msg.ptr, msg.len);
  return theater_ok();
}

// Echoes the message as the response (a borrowed parameter handed back).
static theater_result on_request(theater_state* state, theater_string request_id, theater_bytes msg,
                                 theater_option_bytes* response) {
  *response = theater_some_bytes(msg);
  return theater_ok();
}

static theater_result on_channel_open(theater_state* state, theater_channel_id channel_id,
                                      theater_bytes initial_msg, theater_channel_accept* accept) {
  accept->accepted = true;
  accept->message = theater_some_bytes(theater_bytes_copy("welcome", 7));
  return theater_ok();
}

// Keeps "<kind>: <message>" as the state.
static theater_result on_child_error(theater_state* state, theater_actor_id child_id,
                                     const theater_actor_error* error) {
  theater_result text = theater_error("%s: %.*s", theater_actor_error_kind_name(error->kind),
                                      (int)error->message.len, error->message.ptr);
  theater_state_set(state, theater_bytes_view(text.err.ptr, text.err.len));
  return theater_ok();
}

THEATER_EXPORT_INIT(on_init)
THEATER_EXPORT_HANDLE_SEND(on_send)
THEATER_EXPORT_HANDLE_REQUEST(on_request)
THEATER_EXPORT_HANDLE_CHANNEL_OPEN(on_channel_open)
THEATER_EXPORT_HANDLE_CHILD_ERROR(on_child_error)

// ---- tests ---------------------------------------------------------------------------

static int cabi_realloc_gives_freeable_blocks_even_for_nothing(void) {
  void* empty = cabi_realloc(NULL, 0, 1, 0);
  CHECK(empty != NULL);
  void* grown = cabi_realloc(empty, 0, 8, 64);
  CHECK(grown != NULL && (uintptr_t)grown % 8 == 0);
  free(grown);
  return 0;
}

// result<tuple<option<list<u8>>>, string>: disc u8 @0; ok: option disc @4, ptr @8, len @12.
static int init_answers_new_state_in_the_return_area(void) {
  init_behaviour = STORE_ACTOR_ID;
  placed id = place("actor-1");
  void* area = theater__export_actor_init(0, NULL, 0, id.ptr, id.len);
  CHECK(load_u8(area, 0) == 0);  // ok
  CHECK(load_u8(area, 4) == 1);  // some
  CHECK(holds_text(area, 8, "actor-1"));
  theater__post_actor_init(area);
  return 0;
}

static int init_hands_back_the_state_it_was_given(void) {
  init_behaviour = KEEP_STATE;
  placed state = place("saved");
  placed id = place("a");
  void* area = theater__export_actor_init(1, state.ptr, state.len, id.ptr, id.len);
  CHECK(load_u8(area, 0) == 0 && load_u8(area, 4) == 1);
  CHECK(load_u32(area, 8) == (uint32_t)(uintptr_t)state.ptr);  // same buffer, not freed
  CHECK(holds_text(area, 8, "saved"));
  theater__post_actor_init(area);
  return 0;
}

static int init_clears_state_to_none(void) {
  init_behaviour = CLEAR_STATE;
  placed state = place("old");
  placed id = place("a");
  void* area = theater__export_actor_init(1, state.ptr, state.len, id.ptr, id.len);
  CHECK(load_u8(area, 0) == 0 && load_u8(area, 4) == 0);  // ok(none)
  theater__post_actor_init(area);
  return 0;
}

// err case: disc 1 @0, message ptr @4, len @8.
static int init_error_reaches_the_host_as_err(void) {
  init_behaviour = FAIL_WITH_ID;
  placed id = place("x9");
  void* area = theater__export_actor_init(0, NULL, 0, id.ptr, id.len);
  CHECK(load_u8(area, 0) == 1);
  CHECK(holds_text(area, 4, "bad id x9"));
  theater__post_actor_init(area);
  return 0;
}

// result<tuple<option<list<u8>>, tuple<option<list<u8>>>>, string>:
// ok: state option @4..16, response option disc @16, ptr @20, len @24.
static int request_echo_keeps_the_message_alive_until_post_return(void) {
  placed id = place("req-1");
  placed msg = place("ping");
  void* area = theater__export_message_handle_request(0, NULL, 0, id.ptr, id.len, msg.ptr, msg.len);
  CHECK(load_u8(area, 0) == 0);
  CHECK(load_u8(area, 4) == 0);   // state stays none
  CHECK(load_u8(area, 16) == 1);  // response: some
  CHECK(holds_text(area, 20, "ping"));
  theater__post_message_handle_request(area);
  return 0;
}

// result<tuple<option<list<u8>>, tuple<channel-accept>>, string>: ok: state @4..16,
// accept.accepted @16, accept.message disc @20, ptr @24, len @28.
static int channel_open_answers_accept_record(void) {
  placed id = place("chan-1");
  placed msg = place("hello");
  void* area =
      theater__export_message_handle_channel_open(0, NULL, 0, id.ptr, id.len, msg.ptr, msg.len);
  CHECK(load_u8(area, 0) == 0);
  CHECK(load_u8(area, 16) == 1);  // accepted
  CHECK(load_u8(area, 20) == 1);  // message: some
  CHECK(holds_text(area, 24, "welcome"));
  theater__post_message_handle_channel_open(area);
  return 0;
}

static int child_error_lifts_the_actor_error_record(void) {
  placed child = place("child-7");
  placed message = place("unreachable executed");
  placed data = place("d");
  void* area = theater__export_supervisor_handle_child_error(0, NULL, 0, child.ptr, child.len,
                                                             THEATER_ACTOR_ERROR_TRAP, message.ptr,
                                                             message.len, 1, data.ptr, data.len);
  CHECK(load_u8(area, 0) == 0 && load_u8(area, 4) == 1);
  CHECK(holds_text(area, 8, "trap: unreachable executed"));
  theater__post_supervisor_handle_child_error(area);
  return 0;
}

// One call of each kind, through each of init's behaviours, with and without the
// host calling post-return (a skipped post-return is made up for by the next call).
static void one_round_of_every_path(int round) {
  placed state = place("state");
  placed msg = place("message");
  void* area = theater__export_message_handle_send(1, state.ptr, state.len, msg.ptr, msg.len);
  if (round % 2) theater__post_message_handle_send(area);
  const enum init_behaviour behaviours[] = {KEEP_STATE, STORE_ACTOR_ID, FAIL_WITH_ID, CLEAR_STATE};
  init_behaviour = behaviours[round % 4];
  placed state2 = place("state");
  placed id = place("some-actor");
  area = theater__export_actor_init(1, state2.ptr, state2.len, id.ptr, id.len);
  theater__post_actor_init(area);
  placed rid = place("r");
  placed req = place("request");
  area = theater__export_message_handle_request(0, NULL, 0, rid.ptr, rid.len, req.ptr, req.len);
  theater__post_message_handle_request(area);
  placed cid = place("c");
  placed open = place("open");
  area =
      theater__export_message_handle_channel_open(0, NULL, 0, cid.ptr, cid.len, open.ptr, open.len);
  theater__post_message_handle_channel_open(area);
}

static int every_path_frees_all_it_allocates_once(void) {
  long before = live_blocks;
  placed counted = place("x");
  CHECK(live_blocks == before + 1);  // the counting works (else this test proves nothing)
  free(counted.ptr);
  for (int round = 0; round < 8; ++round) one_round_of_every_path(round);
  CHECK(live_blocks == before);
  return 0;
}

THEATER_EXPORT_AS("run_sdk_tests") int run_sdk_tests(void) {
  RUN(cabi_realloc_gives_freeable_blocks_even_for_nothing);
  RUN(init_answers_new_state_in_the_return_area);
  RUN(init_hands_back_the_state_it_was_given);
  RUN(init_clears_state_to_none);
  RUN(init_error_reaches_the_host_as_err);
  RUN(request_echo_keeps_the_message_alive_until_post_return);
  RUN(channel_open_answers_accept_record);
  RUN(child_error_lifts_the_actor_error_record);
  RUN(every_path_frees_all_it_allocates_once);
  return 0;
}
