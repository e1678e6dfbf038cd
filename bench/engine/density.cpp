// How many small instances fit in one process, in a given memory mode.
//   bench_density [bounds-checks|guard-regions] [count]
// Instantiates one-page instances until `count` or the first failure, and
// prints RSS per instance, instances per GiB, address space, and the error
// that stopped it (guard regions reserve ~10 GiB each: expect ~13k).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "wasm/engine.h"
#include "wasm/v8/v8_engine.h"

namespace {

struct Usage {
  double rss_mib;
  double vm_gib;
};

Usage usage() {
  long pages_total = 0, pages_resident = 0;
  std::ifstream statm("/proc/self/statm");
  statm >> pages_total >> pages_resident;
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  return {pages_resident * page / (1 << 20), pages_total * page / (1ull << 30)};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace theater::wasm;
  using theater::ErrorCode;
  using theater::make_error;
  auto mode = parse_memory_mode(argc > 1 ? argv[1] : "bounds-checks");
  const long count = argc > 2 ? std::stol(argv[2]) : 100000;
  if (!mode.ok()) {
    std::fprintf(stderr, "%s\n", mode.error().message.c_str());
    return 2;
  }
  EngineConfig config;
  config.isolates = 2;
  config.memory_mode = *mode;
  auto engine = create_v8_engine(config);
  std::ifstream in(std::string(THEATER_WASM_DIR) + "/bench_small.wasm", std::ios::binary);
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto module = (*engine)->compile(bytes);
  if (!module.ok()) {
    std::fprintf(stderr, "%s\n", module.error().message.c_str());
    return 1;
  }
  InstanceOptions options;
  options.max_memory_bytes = kWasmPageSize;
  const Usage start = usage();
  std::vector<std::shared_ptr<Instance>> instances;
  instances.reserve(count);
  std::string stopped_by;
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    auto instance = (*engine)->instantiate(*module, nullptr, options);
    if (!instance.ok()) {
      stopped_by = instance.error().message;
      break;
    }
    instances.push_back(std::move(*instance));
    if ((i + 1) % 25000 == 0) {
      Usage u = usage();
      std::printf("%8ld instances: RSS %7.0f MiB (%.1f KiB each), address space %.1f GiB\n", i + 1,
                  u.rss_mib, (u.rss_mib - start.rss_mib) * 1024 / (i + 1), u.vm_gib);
      std::fflush(stdout);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // They all still work.
  long working = 0;
  for (size_t i = 0; i < instances.size(); i += std::max<size_t>(1, instances.size() / 100)) {
    working += instances[i]->call("bump", {}, std::chrono::seconds(10)).ok();
  }
  const Usage end = usage();
  const double kib_each =
      (end.rss_mib - start.rss_mib) * 1024 / std::max<size_t>(1, instances.size());
  std::printf(
      "mode %s: %zu instances in %.1f s (%.1f us each); RSS %.1f KiB each = %.0f instances per "
      "GiB; "
      "address space %.1f GiB; sampled calls ok: %ld\n",
      to_string(*mode), instances.size(), seconds,
      seconds * 1e6 / std::max<size_t>(1, instances.size()), kib_each, 1024.0 * 1024.0 / kib_each,
      end.vm_gib, working);
  if (!stopped_by.empty()) std::printf("stopped by: %s\n", stopped_by.c_str());
  instances.clear();
  module = make_error(ErrorCode::kCancelled, "released");  // modules must not outlive V8
  engine->reset();
  shutdown_engines();
  return 0;
}
