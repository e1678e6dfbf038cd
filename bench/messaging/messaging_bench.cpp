// Theater's side of the messaging benchmarks: a real runtime (V8, the SQLite
// event log in a temporary THEATER_HOME, every message recorded in both
// chains), the SDK-built sender and receiver actors with the message-server
// handler. The figures are those of bench/messaging/README.md:
//
//   bench_messaging send1   [runs] [messages]  1 sender -> 1 receiver          -> messages/s
//   bench_messaging send4   [runs] [messages]  4 senders -> 1 receiver         -> messages/s
//   bench_messaging request [runs] [trips]     request/reply, batches of 100   -> median us
//   bench_messaging channel [runs] [messages]  one channel, one way            -> messages/s
//   bench_messaging fanout  [runs] [actors]    one ask to each, all replies    -> ms
//
// Prints one line per run, then "figure <name> <median> <unit>" (what run.sh
// reads). Every run has a fresh runtime and home. Exits 3, saying why, when
// the runtime cannot run the actors at all (no message-server handler).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/manifest.h"
#include "runtime/theater_runtime.h"

namespace {

namespace fs = std::filesystem;
using namespace theater;
using Clock = std::chrono::steady_clock;

constexpr int kExitUnavailable = 3;
constexpr unsigned long kTripsPerBatch = 100;
constexpr auto kRunTimeout = std::chrono::seconds(600);

// The shutdown data of the actors that ended; the first failure of any actor
// ends every wait, since one lost actor leaves a figure meaningless.
class ExitWaiter final : public runtime::RuntimeObserver {
 public:
  void on_actor_error(const std::string& id, const std::string& export_name,
                      const Error& error) override {
    fail(id + " " + export_name + ": " + error.message);
  }
  void on_actor_exit(const std::string& id, const runtime::ActorExit& exit) override {
    if (exit.error) return fail(id + ": " + exit.error->message);
    std::lock_guard lock(mutex_);
    data_[id] = exit.data ? std::string(exit.data->begin(), exit.data->end()) : "";
    done_.notify_all();
  }
  Result<std::string> wait(const std::string& id) {
    std::unique_lock lock(mutex_);
    if (!done_.wait_for(lock, kRunTimeout, [&] { return data_.count(id) || error_; })) {
      return make_error(ErrorCode::kDeadlineExceeded, "actor " + id + " did not finish in time");
    }
    if (error_) return make_error(ErrorCode::kInternal, *error_);
    return data_[id];
  }

 private:
  void fail(std::string message) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(message);
    done_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable done_;
  std::map<std::string, std::string> data_;
  std::optional<std::string> error_;
};

// One runtime in a fresh home, and the two actors' manifests.
class Bench {
 public:
  static Result<std::unique_ptr<Bench>> create() {
    std::unique_ptr<Bench> bench(new Bench());
    fs::remove_all(bench->home_);
    fs::create_directories(bench->home_);
    runtime::RuntimeOptions options;
    options.home = bench->home_;
    // The fan-out coordinator hears from every target at once.
    options.engine.max_pending_tasks_per_instance = kCoordinatorMailbox;
    auto theater = runtime::TheaterRuntime::create(options, &bench->waiter_);
    if (!theater.ok()) return theater.error();
    bench->theater_ = std::move(*theater);
    THEATER_RETURN_IF_ERROR(bench->load("sender", "", bench->sender_));
    THEATER_RETURN_IF_ERROR(bench->load("receiver", "", bench->receiver_));
    THEATER_RETURN_IF_ERROR(
        bench->load("sender", "mailbox_size = " + std::to_string(kCoordinatorMailbox) + "\n",
                    bench->coordinator_));
    return bench;
  }
  ~Bench() {
    theater_.reset();  // stops every actor before their files go
    fs::remove_all(home_);
  }

  Result<std::string> spawn_sender(const std::string& task) { return spawn(sender_, task); }
  Result<std::string> spawn_coordinator(const std::string& task) {
    return spawn(coordinator_, task);
  }
  Result<std::string> spawn_receiver(const std::string& task) { return spawn(receiver_, task); }
  Result<std::string> wait(const std::string& id) { return waiter_.wait(id); }

 private:
  static constexpr unsigned kCoordinatorMailbox = 16384;
  Bench()
      : home_(fs::temp_directory_path() / ("theater-bench-messaging-" + std::to_string(getpid()))) {
  }

  Status load(const std::string& actor, const std::string& handler_keys,
              std::optional<config::Manifest>& into) {
    const std::string toml = "name = \"bench-" + actor +
                             "\"\ncomponent = \"" THEATER_WASM_DIR "/bench_messaging_" + actor +
                             ".wasm\"\n[limits]\ncall_timeout_ms = 600000\nmemory_limit_mb = 4\n"
                             "[[handler]]\ntype = \"message-server\"\n" +
                             handler_keys;
    auto manifest = config::parse_manifest_string(toml, home_, theater_->handler_schemas());
    if (!manifest.ok()) return manifest.error();
    into = std::move(*manifest);
    return {};
  }
  Result<std::string> spawn(const std::optional<config::Manifest>& manifest,
                            const std::string& task) {
    runtime::TheaterRuntime::SpawnOptions options;
    options.init_state_json = "\"" + task + "\"";
    return theater_->spawn(*manifest, options);
  }

  fs::path home_;
  ExitWaiter waiter_;  // outlives the runtime, which reports to it
  std::unique_ptr<runtime::TheaterRuntime> theater_;
  std::optional<config::Manifest> sender_, receiver_, coordinator_;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Status check_count(const std::string& counted, unsigned long expected) {
  if (counted == std::to_string(expected)) return {};
  return make_error(ErrorCode::kInternal,
                    "the receiver counted " + counted + ", expected " + std::to_string(expected));
}

// `senders` actors each send their share of `messages` to one receiver, one
// way (on a channel when `task` is "channel"); messages/s from the first
// spawn to the receiver's last message.
Result<double> one_way(Bench& bench, const std::string& task, int senders, unsigned long messages) {
  const unsigned long each = messages / senders;
  const unsigned long total = each * senders;
  THEATER_ASSIGN_OR_RETURN(std::string receiver,
                           bench.spawn_receiver("count " + std::to_string(total)));
  const auto start = Clock::now();
  std::vector<Status> spawned(senders);
  std::vector<std::thread> threads;
  for (int i = 0; i < senders; ++i) {
    threads.emplace_back([&, i] {
      auto id = bench.spawn_sender(task + " " + receiver + " " + std::to_string(each));
      if (!id.ok()) spawned[i] = id.error();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const Status& status : spawned) THEATER_RETURN_IF_ERROR(status);
  THEATER_ASSIGN_OR_RETURN(std::string counted, bench.wait(receiver));
  const double seconds = seconds_since(start);
  THEATER_RETURN_IF_ERROR(check_count(counted, total));
  return total / seconds;
}

// Median over batches of kTripsPerBatch round trips of their mean, in us
// (the sender measures it).
Result<double> request_reply(Bench& bench, unsigned long trips) {
  THEATER_ASSIGN_OR_RETURN(std::string receiver, bench.spawn_receiver("serve"));
  const unsigned long batches = std::max(1ul, trips / kTripsPerBatch);
  THEATER_ASSIGN_OR_RETURN(
      std::string sender, bench.spawn_sender("request " + receiver + " " + std::to_string(batches) +
                                             " " + std::to_string(kTripsPerBatch)));
  THEATER_ASSIGN_OR_RETURN(std::string median_ns, bench.wait(sender));
  return std::stod(median_ns) / 1e3;
}

// One ask to each of `actors` actors and every reply back, in ms (the
// coordinator measures from its first send to the last reply).
Result<double> fan_out(Bench& bench, unsigned long actors) {
  std::string task = "fanout";
  for (unsigned long i = 0; i < actors; ++i) {
    THEATER_ASSIGN_OR_RETURN(std::string target, bench.spawn_receiver("serve"));
    task += " " + target;
  }
  THEATER_ASSIGN_OR_RETURN(std::string coordinator, bench.spawn_coordinator(task));
  THEATER_ASSIGN_OR_RETURN(std::string elapsed_ns, bench.wait(coordinator));
  return std::stod(elapsed_ns) / 1e6;
}

struct Figure {
  const char* unit;
  unsigned long default_amount;
  std::function<Result<double>(Bench&, unsigned long)> run;
};

const std::map<std::string, Figure>& figures() {
  static const std::map<std::string, Figure> all = {
      {"send1",
       {"msgs/s", 1000000, [](Bench& b, unsigned long n) { return one_way(b, "send", 1, n); }}},
      {"send4",
       {"msgs/s", 1000000, [](Bench& b, unsigned long n) { return one_way(b, "send", 4, n); }}},
      {"channel",
       {"msgs/s", 1000000, [](Bench& b, unsigned long n) { return one_way(b, "channel", 1, n); }}},
      {"request", {"us", 20000, request_reply}},
      {"fanout", {"ms", 10000, fan_out}},
  };
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const auto figure = argc > 1 ? figures().find(argv[1]) : figures().end();
  if (figure == figures().end()) {
    std::fprintf(stderr, "usage: %s send1|send4|request|channel|fanout [runs] [amount]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  const unsigned long amount =
      argc > 3 ? std::max(1ul, std::stoul(argv[3])) : figure->second.default_amount;
  std::vector<double> values;
  for (int i = 0; i < runs; ++i) {
    auto bench = Bench::create();
    if (!bench.ok()) {
      std::fprintf(stderr, "theater cannot run the messaging actors: %s\n",
                   bench.error().message.c_str());
      return kExitUnavailable;
    }
    auto value = figure->second.run(**bench, amount);
    if (!value.ok()) {
      std::fprintf(stderr, "run %d failed: %s\n", i + 1, value.error().message.c_str());
      return 1;
    }
    values.push_back(*value);
    std::printf("run %d: %.2f %s\n", i + 1, values.back(), figure->second.unit);
    std::fflush(stdout);
  }
  std::sort(values.begin(), values.end());
  std::printf("figure %s %.2f %s\n", argv[1], values[values.size() / 2], figure->second.unit);
  theater::wasm::shutdown_engines();
  return 0;
}
