// Canonical ABI benchmarks on the real engine and a real guest
// (bench_guest.c): a 64 KiB list<u8> (and string) lowered into the guest and
// lifted back, a 16-field record each way, and the plain export call they
// all contain, so the ABI's own cost reads as the difference. Every loop runs
// inside one task (Instance::run), so it measures calls with the isolate
// already locked, not thread hand-offs. The "by hand" variants do the same
// guest work with raw core calls (cabi_realloc, memcpy, call; call, memcpy):
// the floor that any ABI layer pays. Figures and the command: README.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "abi/abi.h"
#include "abi/engine_binding.h"
#include "wasm/engine.h"
#include "wasm/v8/v8_engine.h"

namespace theater::abi::bench {
namespace {

using Bytes = std::vector<uint8_t>;

struct Record16 {
  uint8_t a = 1;
  uint16_t b = 2;
  uint32_t c = 3;
  uint64_t d = 4;
  int8_t e = -5;
  int16_t f = -6;
  int32_t g = -7;
  int64_t h = -8;
  float i = 9.5f;
  double j = 10.5;
  Char k{0x1F600};
  bool l = true;
  uint32_t m = 13;
  uint64_t n = 14;
  float o = 15.5f;
  double p = 16.5;
};
THEATER_ABI_RECORD(Record16, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)

constexpr uint32_t k64KiB = 64 * 1024;

std::unique_ptr<wasm::Engine> g_engine;
std::shared_ptr<wasm::Instance> g_guest;

Result<std::shared_ptr<wasm::Instance>> start_guest() {
  std::ifstream in(std::string(THEATER_WASM_DIR) + "/bench_abi_guest.wasm", std::ios::binary);
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>()};
  THEATER_ASSIGN_OR_RETURN(auto module, g_engine->compile(bytes));
  return g_engine->instantiate(module, std::make_shared<wasm::HostImports>(), {});
}

// Runs the benchmark loop inside one task; `step` returns false on failure.
template <class Step>
void in_task(benchmark::State& state, Step step) {
  std::string failure;
  Status ran = g_guest->run(
      [&](wasm::InstanceContext& context) {
        for (auto _ : state) {
          if (!step(context, failure)) break;
        }
      },
      std::chrono::minutes(10));
  if (!ran.ok()) failure = ran.error().message;
  if (!failure.empty()) state.SkipWithError(failure.c_str());
}

template <class T>
bool check(const Result<T>& result, std::string& failure) {
  if (result.ok()) return true;
  failure = result.error().message;
  return false;
}

void set_bytes_processed(benchmark::State& state, uint64_t bytes_per_call) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes_per_call));
}

// ---- baselines -------------------------------------------------------------------

void BM_ExportCall_Raw(benchmark::State& state) {
  in_task(state, [](wasm::InstanceContext& context, std::string& failure) {
    return check(context.call("noop", {}), failure);
  });
}
BENCHMARK(BM_ExportCall_Raw)->UseRealTime();

// call_export adds a post-return lookup and the (empty) lowering and lifting.
void BM_ExportCall_Typed(benchmark::State& state) {
  in_task(state, [](wasm::InstanceContext& context, std::string& failure) {
    return check(call_export<void()>(context, "noop"), failure);
  });
}
BENCHMARK(BM_ExportCall_Typed)->UseRealTime();

// ---- 64 KiB list<u8> and string --------------------------------------------------

template <class T>
T payload(uint32_t size) {
  T value(size, 0);
  for (uint32_t i = 0; i < size; ++i) value[i] = static_cast<typename T::value_type>('a' + i % 26);
  return value;
}

// Host -> guest: cabi_realloc, copy in, call; the guest frees it.
template <class T>
void lower(benchmark::State& state, const char* export_name) {
  const T value = payload<T>(static_cast<uint32_t>(state.range(0)));
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    Result<uint32_t> taken = call_export<uint32_t(T)>(context, export_name, value);
    benchmark::DoNotOptimize(taken);
    return check(taken, failure);
  });
  set_bytes_processed(state, value.size());
}
void BM_LowerBytes(benchmark::State& state) {
  lower<Bytes>(state, "take-bytes");
}
void BM_LowerString(benchmark::State& state) {
  lower<std::string>(state, "take-string");
}
BENCHMARK(BM_LowerBytes)->Arg(k64KiB)->UseRealTime();
BENCHMARK(BM_LowerString)->Arg(k64KiB)->UseRealTime();

// Guest -> host: call, check the range (and UTF-8), copy out.
template <class T>
void lift(benchmark::State& state, const char* export_name) {
  const auto size = static_cast<uint32_t>(state.range(0));
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    Result<T> given = call_export<T(uint32_t)>(context, export_name, size);
    benchmark::DoNotOptimize(given);
    return check(given, failure);
  });
  set_bytes_processed(state, size);
}
void BM_LiftBytes(benchmark::State& state) {
  lift<Bytes>(state, "give-bytes");
}
void BM_LiftString(benchmark::State& state) {
  lift<std::string>(state, "give-string");
}
BENCHMARK(BM_LiftBytes)->Arg(k64KiB)->UseRealTime();
BENCHMARK(BM_LiftString)->Arg(k64KiB)->UseRealTime();

wasm::Value i32(uint32_t v) {
  return wasm::Value::i32(static_cast<int32_t>(v));
}

void BM_LowerBytes_ByHand(benchmark::State& state) {
  const Bytes value = payload<Bytes>(static_cast<uint32_t>(state.range(0)));
  const uint32_t size = static_cast<uint32_t>(value.size());
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    auto ptr = context.call("cabi_realloc", {i32(0), i32(0), i32(1), i32(size)});
    if (!check(ptr, failure)) return false;
    auto memory = context.memory();
    if (!check(memory, failure)) return false;
    std::memcpy(memory->base() + (*ptr)[0].as_u32(), value.data(), size);
    return check(context.call("take-bytes", {(*ptr)[0], i32(size)}), failure);
  });
  set_bytes_processed(state, value.size());
}
BENCHMARK(BM_LowerBytes_ByHand)->Arg(k64KiB)->UseRealTime();

void BM_LiftBytes_ByHand(benchmark::State& state) {
  const auto size = static_cast<uint32_t>(state.range(0));
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    auto area = context.call("give-bytes", {i32(size)});
    if (!check(area, failure)) return false;
    auto memory = context.memory();
    if (!check(memory, failure)) return false;
    uint32_t range[2];
    std::memcpy(range, memory->base() + (*area)[0].as_u32(), sizeof range);
    const uint8_t* first = memory->base() + range[0];
    Bytes out(first, first + range[1]);
    benchmark::DoNotOptimize(out);
    return true;
  });
  set_bytes_processed(state, size);
}
BENCHMARK(BM_LiftBytes_ByHand)->Arg(k64KiB)->UseRealTime();

// ---- a 16-field record -------------------------------------------------------------

// Sixteen flat parameters (MAX_FLAT_PARAMS): no guest memory involved.
void BM_LowerRecord16(benchmark::State& state) {
  const Record16 record;
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    Result<uint32_t> sum = call_export<uint32_t(Record16)>(context, "take-record16", record);
    benchmark::DoNotOptimize(sum);
    return check(sum, failure);
  });
}
BENCHMARK(BM_LowerRecord16)->UseRealTime();

// The same call with the 16 core values built by hand: what the engine's
// export call costs for them (i64 and f64 values each become a V8 heap object).
void BM_LowerRecord16_ByHand(benchmark::State& state) {
  using wasm::Value;
  const std::vector<Value> args{
      Value::i32(1),    Value::i32(2),    Value::i32(3),       Value::i64(4),
      Value::i32(-5),   Value::i32(-6),   Value::i32(-7),      Value::i64(-8),
      Value::f32(9.5f), Value::f64(10.5), Value::i32(0x1F600), Value::i32(1),
      Value::i32(13),   Value::i64(14),   Value::f32(15.5f),   Value::f64(16.5)};
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    return check(context.call("take-record16", args), failure);
  });
}
BENCHMARK(BM_LowerRecord16_ByHand)->UseRealTime();

// Returned through a return area: 88 bytes loaded field by field.
void BM_LiftRecord16(benchmark::State& state) {
  in_task(state, [&](wasm::InstanceContext& context, std::string& failure) {
    Result<Record16> record = call_export<Record16()>(context, "give-record16");
    benchmark::DoNotOptimize(record);
    return check(record, failure);
  });
}
BENCHMARK(BM_LiftRecord16)->UseRealTime();

}  // namespace

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  wasm::EngineConfig config;
  config.isolates = 1;
  const char* mode = std::getenv("THEATER_MEMORY_MODE");
  if (mode) {
    auto parsed = wasm::parse_memory_mode(mode);
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s\n", parsed.error().message.c_str());
      return 1;
    }
    config.memory_mode = *parsed;
  }
  auto engine = wasm::create_v8_engine(config);
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  g_engine = std::move(*engine);
  {
    auto guest = start_guest();
    if (!guest.ok()) {
      std::fprintf(stderr, "bench_abi_guest: %s\n", guest.error().message.c_str());
      return 1;
    }
    g_guest = std::move(*guest);
  }
  benchmark::AddCustomContext("memory_mode", wasm::to_string(config.memory_mode));
  benchmark::RunSpecifiedBenchmarks();
  g_guest.reset();
  g_engine.reset();
  wasm::shutdown_engines();
  return 0;
}

}  // namespace theater::abi::bench

int main(int argc, char** argv) {
  return theater::abi::bench::run(argc, argv);
}
