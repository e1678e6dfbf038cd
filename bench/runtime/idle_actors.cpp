// How many idle actors fit in one process (bounds-check mode), and their
// memory each: bench_idle_actors [count]
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "runtime/theater_runtime.h"

namespace {
double rss_mib() {
  long total = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> total >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace theater;
  const long count = argc > 1 ? std::stol(argv[1]) : 100000;
  const auto home =
      std::filesystem::temp_directory_path() / ("theater-idle-" + std::to_string(getpid()));
  std::filesystem::create_directories(home);
  std::ofstream(home / "actor.toml") << "name = \"idle\"\ncomponent = \"" << THEATER_WASM_DIR
                                     << "/bench_tiny_actor.wasm\"\n[limits]\nmemory_limit_mb = 1\n";
  auto manifest = config::parse_manifest_file(home / "actor.toml");
  runtime::RuntimeOptions options;
  options.home = home;
  options.engine.isolates = 2;
  long spawned = 0;
  std::string stopped_by;
  double seconds = 0, start_rss = 0, end_rss = 0;
  {
    auto theater = runtime::TheaterRuntime::create(options);
    if (!theater.ok() || !manifest.ok()) {
      std::fprintf(stderr, "setup failed\n");
      return 1;
    }
    // One actor first, so one-time costs (module, caches) are not counted.
    (void)(*theater)->spawn(*manifest);
    start_rss = rss_mib();
    auto t0 = std::chrono::steady_clock::now();
    for (; spawned < count; ++spawned) {
      auto id = (*theater)->spawn(*manifest);
      if (!id.ok()) {
        stopped_by = id.error().message;
        break;
      }
      if ((spawned + 1) % 25000 == 0) {
        std::printf("%8ld idle actors: RSS %.0f MiB\n", spawned + 1, rss_mib());
        std::fflush(stdout);
      }
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    end_rss = rss_mib();
    std::printf("%ld idle actors in %.1f s (%.0f us each); %.1f KiB each; live: %zu\n", spawned,
                seconds, seconds * 1e6 / std::max(1L, spawned),
                (end_rss - start_rss) * 1024 / std::max(1L, spawned), (*theater)->list().size());
    if (!stopped_by.empty()) std::printf("stopped by: %s\n", stopped_by.c_str());
    std::fflush(stdout);
  }
  std::filesystem::remove_all(home);
  theater::wasm::shutdown_engines();
  return 0;
}
