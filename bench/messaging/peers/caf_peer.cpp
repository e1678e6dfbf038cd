// The CAF (C++ Actor Framework 0.17, Debian libcaf-dev) peer of the messaging
// benchmarks (bench/messaging/README.md). run.sh builds it:
//   g++ -O2 -std=c++17 -I src caf_peer.cpp src/common/sha256.cpp -lcaf_core -lcrypto
//
//   caf_peer plain|chain <figure> <amount>
//
// Prints one number: send1, send4, channel -> messages/s; request -> median
// over batches of 100 round trips of their mean, us; fanout -> ms; spawn,
// restart -> us each. "chain" is the same-work peer: every actor that
// receives a message appends it to its own SHA-256 hash chain (Theater's
// hashing, src/common/sha256.h), and the parent appends a record per spawn or
// restart, since Theater records all of these and plain CAF does not.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "common/sha256.h"

namespace {

using namespace caf;
using Clock = std::chrono::steady_clock;

using done_atom = atom_constant<atom("done")>;
using open_atom = atom_constant<atom("open")>;
using accept_atom = atom_constant<atom("accept")>;
using channel_atom = atom_constant<atom("channel")>;
using ask_atom = atom_constant<atom("ask")>;
using ready_atom = atom_constant<atom("ready")>;
using crash_atom = atom_constant<atom("crash")>;

constexpr int kTripsPerBatch = 100;
const std::string kMessage(64, 'm');  // 64 bytes, as Theater's sender
bool g_chained = false;               // set once from argv, before any actor

// head = sha256(head || record) when chaining; nothing otherwise.
class HashChain {
 public:
  void append(const void* record, size_t size) {
    if (!g_chained) return;
    buffer_.assign(head_.begin(), head_.end());
    const auto* bytes = static_cast<const uint8_t*>(record);
    buffer_.insert(buffer_.end(), bytes, bytes + size);
    head_ = theater::sha256(buffer_);
  }
  void append(const std::string& record) { append(record.data(), record.size()); }

 private:
  theater::Sha256Digest head_{};
  std::vector<uint8_t> buffer_;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- one way: senders -> one receiver, messages/s ---------------------------

struct CounterState {
  HashChain chain;
  uint64_t seen = 0;
};

// Counts `expected` messages (plain, or on the channel it accepted), then
// tells `parent` and quits.
behavior counter(stateful_actor<CounterState>* self, actor parent, uint64_t expected) {
  auto count = [=](const std::string& msg) {
    self->state.chain.append(msg);
    if (++self->state.seen != expected) return;
    self->send(parent, done_atom::value, self->state.seen);
    self->quit();
  };
  return {
      count,
      [=](open_atom, uint64_t) { return accept_atom::value; },
      [=](channel_atom, uint64_t, const std::string& msg) { count(msg); },
  };
}

// channel 0: plain messages; otherwise messages on that channel.
void sender(event_based_actor* self, actor target, uint64_t count, uint64_t channel) {
  for (uint64_t i = 0; i < count; ++i) {
    if (channel == 0) {
      self->send(target, kMessage);
    } else {
      self->send(target, channel_atom::value, channel, kMessage);
    }
  }
}

double one_way(actor_system& system, int senders, uint64_t messages, bool on_channel) {
  scoped_actor self{system};
  const uint64_t each = messages / senders;
  auto receiver = system.spawn(counter, actor{self}, each * senders);
  uint64_t channel = 0;
  if (on_channel) {
    self->request(receiver, infinite, open_atom::value, uint64_t{1})
        .receive([&](accept_atom) { channel = 1; },
                 [&](error& e) { std::fprintf(stderr, "open refused\n"); });
  }
  const auto start = Clock::now();
  for (int i = 0; i < senders; ++i) system.spawn(sender, receiver, each, channel);
  double rate = 0;
  self->receive([&](done_atom, uint64_t seen) { rate = seen / seconds_since(start); });
  return rate;
}

// ---- request/reply and fan-out ---------------------------------------------

struct EchoState {
  HashChain chain;
};

// Echoes requests; answers an ask with a done message to the asker.
behavior echo(stateful_actor<EchoState>* self) {
  return {
      [=](const std::string& msg) {
        self->state.chain.append(msg);
        return msg;
      },
      [=](ask_atom) {
        self->state.chain.append("ask", 3);
        self->send(actor_cast<actor>(self->current_sender()), done_atom::value);
      },
  };
}

struct PingerState {
  HashChain chain;
  std::vector<double> means;
  Clock::time_point batch_start;
  int trips_in_batch = 0;
};

// Requests one round trip after another (an event-based actor, as CAF
// programs are written: a blocking scoped_actor's wake-ups would cost ~100 us
// each), then tells `parent` the median batch mean.
void next_trip(stateful_actor<PingerState>* self, actor server, actor parent, size_t batches) {
  auto& state = self->state;
  if (state.trips_in_batch == kTripsPerBatch) {
    state.means.push_back(seconds_since(state.batch_start) * 1e6 / kTripsPerBatch);
    state.trips_in_batch = 0;
    state.batch_start = Clock::now();
    if (state.means.size() == batches) {
      std::sort(state.means.begin(), state.means.end());
      self->send(parent, done_atom::value, state.means[batches / 2]);
      return self->quit();
    }
  }
  self->request(server, infinite, kMessage).then([=](const std::string& reply) {
    self->state.chain.append(reply);
    ++self->state.trips_in_batch;
    next_trip(self, server, parent, batches);
  });
}

void pinger(stateful_actor<PingerState>* self, actor server, actor parent, size_t batches) {
  self->state.batch_start = Clock::now();
  next_trip(self, server, parent, batches);
}

double request_reply(actor_system& system, int trips) {
  scoped_actor self{system};
  auto server = system.spawn(echo);
  system.spawn(pinger, server, actor{self},
               static_cast<size_t>(std::max(1, trips / kTripsPerBatch)));
  double median = 0;
  self->receive([&](done_atom, double value) { median = value; });
  self->send_exit(server, exit_reason::user_shutdown);
  return median;
}

double fan_out(actor_system& system, int actors) {
  scoped_actor self{system};
  std::vector<actor> targets;
  for (int i = 0; i < actors; ++i) targets.push_back(system.spawn(echo));
  HashChain chain;
  const auto start = Clock::now();
  for (const actor& target : targets) self->send(target, ask_atom::value);
  for (int i = 0; i < actors; ++i) self->receive([&](done_atom) { chain.append("done", 4); });
  const double ms = seconds_since(start) * 1e3;
  for (const actor& target : targets) self->send_exit(target, exit_reason::user_shutdown);
  return ms;
}

// ---- spawn, and respawn of a crashed child ---------------------------------

// Says it is ready (Theater's spawn returns after init), then waits; a crash
// order makes it fail.
behavior child(event_based_actor* self, actor parent) {
  self->send(parent, ready_atom::value);
  return {[=](crash_atom) { self->quit(sec::runtime_error); }};
}

struct ParentState {
  HashChain chain;
  std::vector<actor> children;
  Clock::time_point start;
  int left = 0;
};
using Parent = stateful_actor<ParentState>;

void spawn_child(Parent* self) {
  self->spawn(child, actor_cast<actor>(self));
}

// Tells `reporter` the mean time per spawn or restart, stops what it started.
void report(Parent* self, const actor& reporter, int count) {
  self->send(reporter, done_atom::value, seconds_since(self->state.start) * 1e6 / count);
  for (const actor& spawned : self->state.children)
    self->send_exit(spawned, exit_reason::user_shutdown);
  self->quit();
}

// Spawns `count` children one after another, each once the previous is ready.
behavior spawner(Parent* self, actor reporter, int count) {
  self->state.start = Clock::now();
  self->state.left = count;
  spawn_child(self);
  return {[=](ready_atom) {
    auto spawned = actor_cast<actor>(self->current_sender());
    self->state.chain.append(to_string(spawned.address()));
    self->state.children.push_back(spawned);
    if (--self->state.left == 0) return report(self, reporter, count);
    spawn_child(self);
  }};
}

// Spawn + monitor + respawn, the supervision CAF offers: crashes its child
// `count` times, respawning it on each down message; timed from the first
// crash order to the last new child's ready.
behavior restarter(Parent* self, actor reporter, int count) {
  self->state.left = count + 1;  // the first child, then the restarts
  self->set_down_handler([=](down_msg&) { spawn_child(self); });
  spawn_child(self);
  return {[=](ready_atom) {
    auto spawned = actor_cast<actor>(self->current_sender());
    self->state.chain.append(to_string(spawned.address()));
    if (--self->state.left == 0) {
      self->state.children.push_back(spawned);
      return report(self, reporter, count);
    }
    if (self->state.left == count) self->state.start = Clock::now();
    self->monitor(spawned);
    self->send(spawned, crash_atom::value);
  }};
}

double supervise(actor_system& system, behavior (*parent)(Parent*, actor, int), int count) {
  scoped_actor self{system};
  // Held until the end: an actor nothing refers to ends as unreachable, and
  // the children's handles to it go with them when they crash.
  auto supervisor = system.spawn(parent, actor{self}, count);
  double each = 0;
  self->receive([&](done_atom, double value) { each = value; });
  return each;
}

using Figure = std::function<double(actor_system&, int)>;

const std::map<std::string, Figure>& figures() {
  static const std::map<std::string, Figure> all = {
      {"send1", [](actor_system& s, int n) { return one_way(s, 1, n, false); }},
      {"send4", [](actor_system& s, int n) { return one_way(s, 4, n, false); }},
      {"channel", [](actor_system& s, int n) { return one_way(s, 1, n, true); }},
      {"request", request_reply},
      {"fanout", fan_out},
      {"spawn", [](actor_system& s, int n) { return supervise(s, spawner, n); }},
      {"restart", [](actor_system& s, int n) { return supervise(s, restarter, n); }},
  };
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const auto figure = argc == 4 ? figures().find(argv[2]) : figures().end();
  const std::string mode = argc == 4 ? argv[1] : "";
  if (figure == figures().end() || (mode != "plain" && mode != "chain")) {
    std::fprintf(
        stderr, "usage: %s plain|chain send1|send4|channel|request|fanout|spawn|restart <amount>\n",
        argv[0]);
    return 2;
  }
  g_chained = mode == "chain";
  actor_system_config config;
  double value = 0;
  {
    actor_system system{config};
    value = figure->second(system, std::max(1, std::atoi(argv[3])));
  }  // waits for every actor to end
  std::printf("%.2f\n", value);
  return 0;
}
