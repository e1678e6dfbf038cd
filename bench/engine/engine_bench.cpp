// Engine benchmarks: compile, cached instantiate, export call, host import
// call, blocking-section round trip, watchdog reaction. Targets and figures:
// docs/PERFORMANCE.md. Run: build/bin/bench_engine --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <fstream>
#include <future>
#include <iterator>

#include "wasm/engine.h"
#include "wasm/v8/v8_engine.h"

namespace theater::wasm {
namespace {

using std::chrono::milliseconds;

std::unique_ptr<Engine> g_engine;

std::vector<uint8_t> read_guest(const std::string& name) {
  std::ifstream in(std::string(THEATER_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The "test" imports of tests/guests/engine/basics.c, as cheap as possible.
std::shared_ptr<const HostImports> bench_imports() {
  auto imports = std::make_shared<HostImports>();
  const FuncType i32_to_i32{{ValType::kI32}, {ValType::kI32}};
  auto add_one = [](HostCall&, std::span<const Value> args, std::span<Value> results) {
    results[0] = Value::i32(args[0].as_i32() + 1);
    return Status{};
  };
  auto block = [](HostCall& call, std::span<const Value> args, std::span<Value> results) {
    Status status = call.blocking([](std::stop_token) {});
    results[0] = args[0];
    return status;
  };
  Status s = imports->add({"test", "add_one", i32_to_i32, add_one});
  s = imports->add({"test", "block_ms", i32_to_i32, block});
  s = imports->add({"test", "call_peer", i32_to_i32, add_one});
  s = imports->add({"test", "fail", FuncType{},
                    [](HostCall&, std::span<const Value>, std::span<Value>) { return Status{}; }});
  (void)s;
  return imports;
}

std::shared_ptr<Instance> basics_instance() {
  auto module = g_engine->compile(read_guest("engine_basics"));
  return *g_engine->instantiate(*module, bench_imports(), {});
}

// Runs the benchmark loop inside one task, so it measures calls made with
// the isolate already locked (how handlers and the ABI layer call guests).
void in_task(benchmark::State& state, Instance& instance,
             const std::function<void(InstanceContext&)>& body) {
  Status ran = instance.run(
      [&](InstanceContext& context) {
        for (auto _ : state) body(context);
      },
      std::chrono::minutes(10));
  if (!ran.ok()) state.SkipWithError(ran.error().message.c_str());
}

void BM_Compile(benchmark::State& state, const char* guest) {
  const std::vector<uint8_t> base = read_guest(guest);
  // Global, so repetitions never reuse a tag (V8 caches by module bytes).
  static uint64_t serial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    // A unique custom section makes every iteration a cache miss (ours and V8's).
    std::vector<uint8_t> bytes = base;
    std::string tag = "bench" + std::to_string(serial++);
    bytes.insert(bytes.end(),
                 {0x00, static_cast<uint8_t>(tag.size() + 1), static_cast<uint8_t>(tag.size())});
    bytes.insert(bytes.end(), tag.begin(), tag.end());
    state.ResumeTiming();
    auto module = g_engine->compile(bytes);
    if (!module.ok()) state.SkipWithError(module.error().message.c_str());
    benchmark::DoNotOptimize(module);
  }
  state.counters["module_KiB"] = static_cast<double>(base.size()) / 1024;
}
BENCHMARK_CAPTURE(BM_Compile, 50KB, "bench_module_50k")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Compile, 500KB, "bench_module_500k")->Unit(benchmark::kMillisecond);

// From another thread to a ready instance (compiled module cached).
void BM_InstantiateCached(benchmark::State& state) {
  auto module = *g_engine->compile(read_guest("engine_basics"));
  auto imports = bench_imports();
  for (auto _ : state) {
    auto instance = g_engine->instantiate(module, imports, {});
    if (!instance.ok()) state.SkipWithError(instance.error().message.c_str());
    benchmark::DoNotOptimize(instance);
  }
}
BENCHMARK(BM_InstantiateCached)->Unit(benchmark::kMicrosecond);

void BM_ExportCallNoop(benchmark::State& state) {
  auto instance = basics_instance();
  in_task(state, *instance,
          [](InstanceContext& context) { benchmark::DoNotOptimize(context.call("noop", {})); });
}
BENCHMARK(BM_ExportCallNoop);

void BM_ExportCallAdd(benchmark::State& state) {
  auto instance = basics_instance();
  in_task(state, *instance, [](InstanceContext& context) {
    benchmark::DoNotOptimize(context.call("add", {Value::i32(1), Value::i32(2)}));
  });
}
BENCHMARK(BM_ExportCallAdd);

// A posted task per call, waited for from the benchmark thread.
void BM_TaskRoundTrip(benchmark::State& state) {
  auto instance = basics_instance();
  for (auto _ : state) {
    auto r = instance->call("noop", {}, std::chrono::seconds(10));
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_TaskRoundTrip)->Unit(benchmark::kMicrosecond);

constexpr int kLoop = 10000;

void BM_HostImportCall(benchmark::State& state) {
  auto instance = basics_instance();
  in_task(state, *instance, [](InstanceContext& context) {
    benchmark::DoNotOptimize(context.call("call_add_one_n", {Value::i32(kLoop)}));
  });
  state.counters["per_host_call"] =
      benchmark::Counter(double(kLoop) * state.iterations(),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_HostImportCall)->Unit(benchmark::kMicrosecond);

// Leave the isolate (Unlocker), do nothing, re-enter: uncontended.
void BM_BlockingSection(benchmark::State& state) {
  auto instance = basics_instance();
  in_task(state, *instance, [](InstanceContext& context) {
    benchmark::DoNotOptimize(context.call("block_n", {Value::i32(kLoop)}));
  });
  state.counters["per_section"] =
      benchmark::Counter(double(kLoop) * state.iterations(),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_BlockingSection)->Unit(benchmark::kMicrosecond);

// From a task's deadline to the runaway call returning.
void BM_WatchdogReaction(benchmark::State& state) {
  auto instance = basics_instance();
  for (auto _ : state) {
    auto returned = std::make_shared<std::promise<std::chrono::duration<double>>>();
    auto future = returned->get_future();
    Task task;
    task.deadline = deadline_in(milliseconds(3));
    const Deadline deadline = task.deadline;
    task.run = [returned, deadline](InstanceContext& context) {
      auto r = context.call("spin", {});
      returned->set_value(Clock::now() - deadline);
    };
    if (!instance->post(std::move(task)).ok()) state.SkipWithError("post failed");
    state.SetIterationTime(future.get().count());
  }
}
BENCHMARK(BM_WatchdogReaction)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(50);

}  // namespace
}  // namespace theater::wasm

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  theater::wasm::EngineConfig config;
  config.isolates = 2;
  auto engine = theater::wasm::create_v8_engine(config);
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  theater::wasm::g_engine = std::move(*engine);
  benchmark::RunSpecifiedBenchmarks();
  theater::wasm::g_engine.reset();
  theater::wasm::shutdown_engines();
  return 0;
}
