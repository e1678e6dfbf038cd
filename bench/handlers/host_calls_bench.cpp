// Host-call overhead of timing.now and random.random-bytes(32), each with its
// chain record (CBOR, SHA-256 link, the SQLite event log), next to the floor
// of the same run: an empty host call (no handler work, no record) and a
// plain SHA-256 of the record by the chain's rule. Every iteration is one
// call into the actor making kCallsPerRequest host calls; host_calls.sh
// divides. Run: bench/handlers/host_calls.sh
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "abi/engine_binding.h"
#include "chain/cbor_writer.h"
#include "chain/event.h"
#include "runtime/theater_runtime.h"

namespace theater::runtime {
namespace {

constexpr int kCallsPerRequest = 1000;
constexpr const char* kHandleRequest = "theater:simple/message-server-client#handle-request";
constexpr const char* kEmptyInterface = "theater:simple/bench-empty";

// theater:simple/bench-empty.nothing: a host call that does nothing at all.
class EmptyInstance final : public handler::HandlerInstance {
 public:
  Status start(handler::ActorHandle, std::stop_token) override { return {}; }
  void stop(std::chrono::milliseconds) override {}
};

class EmptyHandler final : public handler::Handler {
 public:
  const config::HandlerSchema& schema() const override {
    static const config::HandlerSchema schema =
        config::HandlerSchema::without_keys("bench-empty", /*always_granted=*/true);
    return schema;
  }
  std::vector<std::string> imports() const override { return {kEmptyInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override {
    return imports.add(abi::host_function<void()>(kEmptyInterface, "nothing",
                                                  [](wasm::HostCall&) -> Status { return {}; }));
  }
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup&) const override {
    return std::unique_ptr<handler::HandlerInstance>(std::make_unique<EmptyInstance>());
  }
};

struct Fixture {
  std::filesystem::path home;
  std::unique_ptr<TheaterRuntime> runtime;
  handler::ActorHandle actor;

  Fixture() {
    home = std::filesystem::temp_directory_path() /
           ("theater-bench-host-calls-" + std::to_string(getpid()));
    std::filesystem::create_directories(home);
    std::ofstream(home / "actor.toml")
        << "name = \"bench\"\ncomponent = \"" << THEATER_WASM_DIR
        << "/bench_host_call_actor.wasm\"\n[[handler]]\ntype = \"timing\"\n"
           "[[handler]]\ntype = \"random\"\n";
    RuntimeOptions options;
    options.home = home;
    options.engine.isolates = 1;
    options.register_handlers = [](handler::HandlerRegistry& registry) {
      return registry.add(std::make_unique<EmptyHandler>());
    };
    runtime = std::move(*TheaterRuntime::create(options));
    auto manifest = config::parse_manifest_file(home / "actor.toml", runtime->handler_schemas());
    auto id = runtime->spawn(*manifest);
    if (!id.ok()) {
      std::fprintf(stderr, "spawn: %s\n", id.error().message.c_str());
      std::abort();
    }
    actor = *runtime->handle(*id);
  }
  ~Fixture() {
    runtime.reset();
    std::filesystem::remove_all(home);
  }

  bool request(const std::string& command) {
    using Params = std::tuple<std::string, handler::Bytes>;
    auto answer = actor.call_and_wait<Params, std::tuple<std::optional<handler::Bytes>>>(
        kHandleRequest, Params("bench", handler::Bytes(command.begin(), command.end())),
        {{"bench", command}}, std::chrono::seconds(60));
    return answer.ok();
  }
};

// One actor for every benchmark; made and torn down by main().
std::unique_ptr<Fixture> shared_fixture;
Fixture& fixture() {
  return *shared_fixture;
}

void host_calls(benchmark::State& state, const char* command) {
  const std::string request = std::string(command) + " " + std::to_string(kCallsPerRequest);
  for (auto _ : state) {
    if (!fixture().request(request)) {
      state.SkipWithError("the request failed");
      break;
    }
  }
  state.counters["calls_per_iteration"] = kCallsPerRequest;
}

void BM_EmptyHostCall(benchmark::State& state) {
  host_calls(state, "empty");
}
void BM_TimingNow(benchmark::State& state) {
  host_calls(state, "now");
}
void BM_RandomBytes32(benchmark::State& state) {
  host_calls(state, "bytes");
}

// The SHA-256 a now record costs by the chain's rule (parent hash, timestamp,
// type, data), kCallsPerRequest times per iteration like the others.
void BM_Sha256OfNowRecord(benchmark::State& state) {
  chain::CborWriter writer(16);
  writer.map(1).text("ms").uint(1'765'000'000'000);
  const std::vector<std::uint8_t> data = writer.take();
  chain::EventHash parent{};
  for (auto _ : state) {
    for (int i = 0; i < kCallsPerRequest; ++i) {
      parent = chain::compute_event_hash(parent, 1'765'000'000'000, "theater:simple/timing/now",
                                         std::nullopt, data);
    }
    benchmark::DoNotOptimize(parent);
  }
  state.counters["calls_per_iteration"] = kCallsPerRequest;
}

BENCHMARK(BM_EmptyHostCall)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TimingNow)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RandomBytes32)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Sha256OfNowRecord)->Unit(benchmark::kMicrosecond);

}  // namespace

int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  shared_fixture = std::make_unique<Fixture>();
  benchmark::RunSpecifiedBenchmarks();
  shared_fixture.reset();  // before static destruction: the runtime owns V8 threads
  benchmark::Shutdown();
  return 0;
}

}  // namespace theater::runtime

int main(int argc, char** argv) {
  return theater::runtime::run_benchmarks(argc, argv);
}
