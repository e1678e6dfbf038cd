// The messaging benchmarks' driving actor. All its work happens in init; its
// init_state (a JSON string) says which:
//   "send <target> <n>"                  n one-way messages       -> shuts down with n
//   "request <target> <batches> <size>"  batches of round trips   -> the median batch's
//                                        mean round trip, in ns
//   "channel <target> <n>"               open a channel, n messages on it -> n
//   "fanout <target-1> ... <target-k>"   "reply <own id>" to each, then count the "done"
//                                        answers (handle-send)     -> all of it, in ns
// Messages are kMessageSize bytes, the size the peers send.
#include <time.h>

#include "bench_task.h"
#include "theater/actor.h"
#include "theater/message_server.h"

enum { kMessageSize = 64 };
static uint8_t message[kMessageSize];

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static theater_actor_id word(char** cursor) {
  char* start = *cursor + strspn(*cursor, " ");
  const size_t len = strcspn(start, " ");
  *cursor = start + len;
  return (theater_actor_id){start, len};
}

static theater_result send_all(theater_actor_id target, unsigned long n) {
  for (unsigned long i = 0; i < n; ++i) {
    theater_result sent = theater_message_send(target, theater_bytes_view(message, kMessageSize));
    if (sent.is_err) return bench_check(sent, "send");
  }
  return bench_finish(n);
}

static int by_value(const void* a, const void* b) {
  const uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}

// The clock is read once per batch, not per request: every read is a host
// call recorded in the chain, which would weigh on what is measured.
static theater_result round_trips(theater_actor_id target, unsigned long batches,
                                  unsigned long size) {
  if (batches == 0 || size == 0) return theater_error("request needs batches and a batch size");
  uint64_t* means = (uint64_t*)malloc(batches * sizeof *means);
  for (unsigned long b = 0; b < batches; ++b) {
    const uint64_t start = now_ns();
    for (unsigned long i = 0; i < size; ++i) {
      theater_result_bytes reply =
          theater_message_request(target, theater_bytes_view(message, kMessageSize));
      if (reply.is_err) {
        free(means);
        theater_result error =
            theater_error("request: %.*s", (int)reply.val.err.len, reply.val.err.ptr);
        theater_result_bytes_free(&reply);
        return error;
      }
      theater_result_bytes_free(&reply);
    }
    means[b] = (now_ns() - start) / size;
  }
  qsort(means, batches, sizeof *means, by_value);
  const uint64_t median = means[batches / 2];
  free(means);
  return bench_finish(median);
}

static theater_result channel_all(theater_actor_id target, unsigned long n) {
  theater_result_string opened = theater_message_open_channel(target, theater_bytes_view("", 0));
  if (opened.is_err) {
    theater_result error =
        theater_error("open-channel: %.*s", (int)opened.val.err.len, opened.val.err.ptr);
    theater_result_string_free(&opened);
    return error;
  }
  theater_result result = theater_ok();
  for (unsigned long i = 0; i < n && !result.is_err; ++i) {
    result = bench_check(
        theater_message_send_on_channel(opened.val.ok, theater_bytes_view(message, kMessageSize)),
        "send-on-channel");
  }
  theater_result_string_free(&opened);
  return result.is_err ? result : bench_finish(n);
}

static unsigned long fanout_expected, fanout_replies;
static uint64_t fanout_start;

static theater_result fan_out(char* targets, theater_string self) {
  char ask[64];
  const int ask_len = snprintf(ask, sizeof ask, "reply %.*s", (int)self.len, self.ptr);
  fanout_start = now_ns();
  for (theater_actor_id target = word(&targets); target.len > 0; target = word(&targets)) {
    ++fanout_expected;
    theater_result sent = theater_message_send(target, theater_bytes_view(ask, (size_t)ask_len));
    if (sent.is_err) return bench_check(sent, "fan-out send");
  }
  return fanout_expected ? theater_ok() : theater_error("fanout needs targets");
}

static theater_result on_send(theater_state* state, theater_bytes msg) {
  if (fanout_expected == 0 || ++fanout_replies != fanout_expected) return theater_ok();
  return bench_finish(now_ns() - fanout_start);
}

static theater_result run_task(char* task, theater_string self) {
  char* cursor = task;
  const theater_actor_id kind = word(&cursor);
  if (theater_string_equals(kind, "fanout")) return fan_out(cursor, self);
  const theater_actor_id target = word(&cursor);
  const unsigned long n = strtoul(cursor, &cursor, 10);
  if (theater_string_equals(kind, "send")) return send_all(target, n);
  if (theater_string_equals(kind, "channel")) return channel_all(target, n);
  if (theater_string_equals(kind, "request")) {
    return round_trips(target, n, strtoul(cursor, NULL, 10));
  }
  return theater_error("unknown task %.*s", (int)kind.len, kind.ptr);
}

static theater_result init(theater_state* state, theater_string actor_id) {
  char* task = bench_take_task(state);
  if (!task) return theater_error("init_state must be a JSON string naming the task");
  for (int i = 0; i < kMessageSize; ++i) message[i] = (uint8_t)('a' + i % 26);
  theater_result result = run_task(task, actor_id);
  free(task);
  return result;
}

THEATER_EXPORT_INIT(init)
THEATER_EXPORT_HANDLE_SEND(on_send)
