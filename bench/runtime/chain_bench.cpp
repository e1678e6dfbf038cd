// Event chain throughput: hashing, in-memory append, and append with batched
// persistence into SQLite. Events are small, like most handler events: a
// ~64-byte CBOR payload and a short event type.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <time.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "chain/chain.h"
#include "chain/event_log.h"

namespace theater::chain {
namespace {

using namespace std::chrono_literals;

// Each iteration appends this many events, so setup and teardown costs are
// measured per batch and the chain in memory stays small.
constexpr int kEventsPerIteration = 10'000;

std::vector<uint8_t> small_payload() {
  // 64 bytes of CBOR: a map that looks like a wasm call record.
  std::vector<uint8_t> data =
      to_cbor_data({{"function", "theater:simple/actor#handle"}, {"params", "0123456789abcdef"}});
  data.resize(64, 0);
  return data;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "theater-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

void BM_EventHash(benchmark::State& state) {
  const std::vector<uint8_t> data = small_payload();
  EventHash parent{};
  uint64_t timestamp = 1700000000000;
  for (auto _ : state) {
    parent = compute_event_hash(parent, ++timestamp, "wasm/call", std::nullopt, data);
    benchmark::DoNotOptimize(parent);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventHash);

void append_batch(benchmark::State& state, EventChain& chain, const std::vector<uint8_t>& data) {
  for (int i = 0; i < kEventsPerIteration; ++i) {
    if (!chain.append("wasm/call", data).ok()) {
      state.SkipWithError("append failed");
      return;
    }
  }
}

void BM_ChainAppend(benchmark::State& state) {
  const std::vector<uint8_t> data = small_payload();
  auto chain = std::make_unique<EventChain>("bench-actor");
  for (auto _ : state) {
    append_batch(state, *chain, data);
    state.PauseTiming();  // freeing the full chain is not part of appending
    chain = std::make_unique<EventChain>("bench-actor");
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kEventsPerIteration);
}
BENCHMARK(BM_ChainAppend)->Unit(benchmark::kMillisecond);

// Appends, then flush(): the figure includes committing every event.
void BM_ChainAppendPersisted(benchmark::State& state) {
  TempDir dir;
  auto log = EventLog::open(dir.file("theater.db"));
  if (!log.ok()) {
    state.SkipWithError(log.error().message.c_str());
    return;
  }
  const std::vector<uint8_t> data = small_payload();
  int actor = 0;
  const double cpu_start = process_cpu_seconds();
  for (auto _ : state) {
    EventChain chain("bench-actor-" + std::to_string(actor++), {.log = log->get()});
    append_batch(state, chain, data);
    if (!(*log)->flush(60s).ok()) state.SkipWithError("flush failed");
  }
  const double events = static_cast<double>(state.iterations()) * kEventsPerIteration;
  state.SetItemsProcessed(static_cast<int64_t>(events));
  // CPU of every thread (appender + writer) per event: unlike the rate, this
  // hardly moves when other processes compete for the cores.
  state.counters["cpu_ns_per_event"] = (process_cpu_seconds() - cpu_start) * 1e9 / events;
}
BENCHMARK(BM_ChainAppendPersisted)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace theater::chain

BENCHMARK_MAIN();
