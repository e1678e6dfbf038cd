// Supervision benchmarks: a child spawned through the supervisor handler
// (a parent's spawn host call, init of the child done), and the restart of a
// failed child (its trap, its stop as failed, the one-for-one restart under
// the same id, its init done). Targets: <= 150 us and <= 200 us.
// Run: build/bin/bench_supervision --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/theater_runtime.h"

namespace theater::runtime {
namespace {

using handler::Bytes;
using std::chrono::seconds;
constexpr const char* kHandleSend = "theater:simple/message-server-client#handle-send";
constexpr int kChildrenPerRound = 100;

struct Fixture {
  std::filesystem::path home;
  std::unique_ptr<TheaterRuntime> runtime;
  std::string supervisor;

  explicit Fixture(const std::string& settings) {
    home = std::filesystem::temp_directory_path() /
           ("theater-bench-supervision-" + std::to_string(getpid()));
    std::filesystem::create_directories(home);
    std::ofstream(home / "worker.toml") << "name = \"worker\"\ncomponent = \"" << THEATER_WASM_DIR
                                        << "/supervisor_worker_actor.wasm\"\n";
    std::ofstream(home / "supervisor.toml")
        << "name = \"supervisor\"\ncomponent = \"" << THEATER_WASM_DIR
        << "/supervisor_parent_actor.wasm\"\n[limits]\ncall_timeout_ms = 600000\n"
        << "[[handler]]\ntype = \"supervisor\"\n"
        << settings;
    RuntimeOptions options;
    options.home = home;
    options.engine.isolates = 2;
    runtime = std::move(*TheaterRuntime::create(options));
    auto manifest =
        config::parse_manifest_file(home / "supervisor.toml", runtime->handler_schemas());
    supervisor = *runtime->spawn(*manifest);
  }
  ~Fixture() {
    runtime.reset();
    std::filesystem::remove_all(home);
  }
  // A command to an actor's handle-send; its state afterwards (the parent's answer).
  Result<std::string> send(const std::string& id, const std::string& command) {
    THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, runtime->handle(id));
    auto done = actor.call_and_wait<std::tuple<Bytes>>(
        kHandleSend, std::tuple<Bytes>(Bytes(command.begin(), command.end())), {}, seconds(600));
    if (!done.ok()) return done.error();
    THEATER_ASSIGN_OR_RETURN(handler::State state, actor.state());
    return state ? std::string(state->begin(), state->end()) : std::string();
  }
};

// Per child: the parent's loop of kChildrenPerRound spawn calls, timed as a whole.
void BM_SpawnChildThroughSupervisor(benchmark::State& state) {
  Fixture fixture("");
  const std::string spawn = "spawn-many:" + std::to_string(kChildrenPerRound) + "|worker.toml";
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto answer = fixture.send(fixture.supervisor, spawn);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (!answer.ok() || answer->rfind("ok:", 0) != 0) {
      state.SkipWithError(answer.ok() ? answer->c_str() : answer.error().message.c_str());
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count() / kChildrenPerRound);
    (void)fixture.send(fixture.supervisor, "stop-all");
  }
}
BENCHMARK(BM_SpawnChildThroughSupervisor)->UseManualTime()->Unit(benchmark::kMicrosecond);

// From the failing call to the child running again under its id.
void BM_RestartFailedChild(benchmark::State& state) {
  Fixture fixture("strategy = \"one-for-one\"\nmax_restarts = 1000000\n");
  auto answer = fixture.send(fixture.supervisor, "spawn:worker.toml");
  if (!answer.ok() || answer->rfind("ok:", 0) != 0) {
    state.SkipWithError("cannot spawn the child");
    return;
  }
  const std::string child = answer->substr(3);
  // The failing call leaves the old incarnation with one failed call; the
  // restarted one has none.
  auto restarted = [&] {
    auto actor = fixture.runtime->handle(child);
    if (!actor.ok()) return false;
    auto status = actor->status();
    auto metrics = actor->metrics();
    return status.ok() && *status == handler::ActorStatus::kRunning && metrics.ok() &&
           metrics->failed_calls == 0;
  };
  for (auto _ : state) {
    (void)fixture.send(child, "trap");
    const auto deadline = std::chrono::steady_clock::now() + seconds(30);
    while (!restarted()) {
      if (std::chrono::steady_clock::now() > deadline) {
        state.SkipWithError("the child was not restarted");
        return;
      }
      std::this_thread::yield();
    }
  }
}
BENCHMARK(BM_RestartFailedChild)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace theater::runtime
BENCHMARK_MAIN();
