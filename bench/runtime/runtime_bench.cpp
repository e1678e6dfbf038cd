// Runtime benchmarks: spawn (to init done) and stop of a small actor with a
// warm module. Run: build/bin/bench_runtime --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "runtime/theater_runtime.h"

namespace theater::runtime {
namespace {

struct Fixture {
  std::filesystem::path home;
  std::unique_ptr<TheaterRuntime> runtime;
  config::Manifest manifest;

  explicit Fixture(const std::string& guest) {
    home = std::filesystem::temp_directory_path() / ("theater-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(home);
    std::ofstream(home / "actor.toml")
        << "name = \"bench\"\ncomponent = \"" << THEATER_WASM_DIR << "/" << guest << ".wasm\"\n";
    manifest = *config::parse_manifest_file(home / "actor.toml");
    RuntimeOptions options;
    options.home = home;
    options.engine.isolates = 2;
    runtime = std::move(*TheaterRuntime::create(options));
  }
  ~Fixture() {
    runtime.reset();
    std::filesystem::remove_all(home);
  }
};

void spawn_and_stop(benchmark::State& state, const char* guest) {
  Fixture fixture(guest);
  for (auto _ : state) {
    auto id = fixture.runtime->spawn(fixture.manifest);
    if (!id.ok()) {
      state.SkipWithError(id.error().message.c_str());
      break;
    }
    (void)fixture.runtime->stop(*id);
  }
}

void BM_SpawnStopTinyActor(benchmark::State& state) {
  spawn_and_stop(state, "bench_tiny_actor");
}
BENCHMARK(BM_SpawnStopTinyActor)->Unit(benchmark::kMicrosecond);

// A wasi-libc actor built with the SDK (runs _initialize and an init that logs).
void BM_SpawnStopSdkActor(benchmark::State& state) {
  spawn_and_stop(state, "runtime_counter_actor");
}
BENCHMARK(BM_SpawnStopSdkActor)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace theater::runtime

BENCHMARK_MAIN();
