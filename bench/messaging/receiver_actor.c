// The messaging benchmarks' receiving actor. Its init_state says how many
// one-way messages (handle-send or handle-channel-message) to wait for:
//   "count <n>"  shut down with the count once n messages arrived
//   "serve"      count nothing; only answer (the round-trip and fan-out targets)
// Whatever its task, it echoes every request, accepts every channel, and
// answers a message "reply <actor-id>" with a message "done" to that actor.
#include "bench_task.h"
#include "theater/actor.h"
#include "theater/message_server.h"

static unsigned long long expected;  // 0: serve only
static unsigned long long received;

static theater_result init(theater_state* state, theater_string actor_id) {
  char* task = bench_take_task(state);
  if (!task) return theater_error("init_state must be a JSON string naming the task");
  theater_result result = theater_ok();
  if (strncmp(task, "count ", 6) == 0) {
    expected = strtoull(task + 6, NULL, 10);
  } else if (strcmp(task, "serve") != 0) {
    result = theater_error("unknown task %s", task);
  }
  free(task);
  return result;
}

static theater_result count_one(void) {
  if (expected == 0 || ++received != expected) return theater_ok();
  return bench_finish(received);
}

static theater_result on_send(theater_state* state, theater_bytes msg) {
  static const char kReply[] = "reply ";
  const size_t prefix = sizeof kReply - 1;
  if (msg.len > prefix && memcmp(msg.ptr, kReply, prefix) == 0) {
    theater_actor_id asker = {(char*)msg.ptr + prefix, msg.len - prefix};
    return bench_check(theater_message_send(asker, theater_bytes_view("done", 4)), "reply");
  }
  return count_one();
}

static theater_result on_request(theater_state* state, theater_string request_id, theater_bytes msg,
                                 theater_option_bytes* response) {
  *response = theater_some_bytes(msg);  // the echo; a borrowed parameter may be handed back
  return theater_ok();
}

static theater_result on_channel_open(theater_state* state, theater_channel_id channel_id,
                                      theater_bytes initial_msg, theater_channel_accept* accept) {
  accept->accepted = true;
  return theater_ok();
}

static theater_result on_channel_message(theater_state* state, theater_channel_id channel_id,
                                         theater_bytes msg) {
  return count_one();
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
