// Theater's side of the process benchmarks: a real runtime (V8, the SQLite
// event log in a temporary THEATER_HOME, every callback recorded in the
// chain), the SDK-built sink actor, real processes.
//
//   bench_process raw <file> [runs]    cat <file> into the actor in raw mode   -> MB/s
//   bench_process lines <file> [runs]  cat <file> line by line                 -> lines/s
//   bench_process spawn <n> [runs]     n sequential /bin/true, spawn to exit   -> spawns/s
//
// Prints one line per run and a last line "median <rate>"; the time runs from
// spawning the actor to its shutdown, and the actor's count is checked.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/manifest.h"
#include "runtime/theater_runtime.h"

namespace {

namespace fs = std::filesystem;
using namespace theater;

class ExitWaiter final : public runtime::RuntimeObserver {
 public:
  void on_actor_error(const std::string&, const std::string& export_name,
                      const Error& error) override {
    std::lock_guard lock(mutex_);
    error_ = export_name + ": " + error.message;
    done_.notify_all();
  }
  void on_actor_exit(const std::string&, const runtime::ActorExit& exit) override {
    std::lock_guard lock(mutex_);
    data_ = exit.data ? std::string(exit.data->begin(), exit.data->end()) : "";
    done_.notify_all();
  }
  // The actor's shutdown data, or the error that ended the wait.
  Result<std::string> wait(std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    if (!done_.wait_for(lock, timeout, [&] { return data_ || error_; })) {
      return make_error(ErrorCode::kDeadlineExceeded, "the actor did not finish in time");
    }
    if (error_) return make_error(ErrorCode::kInternal, *error_);
    return *data_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::optional<std::string> data_, error_;
};

std::uint64_t count_lines(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  std::uint64_t lines = 0;
  while (file.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
         file.gcount() > 0) {
    lines += static_cast<std::uint64_t>(
        std::count(buffer.begin(), buffer.begin() + file.gcount(), '\n'));
  }
  return lines;
}

// One run in a fresh runtime and home; seconds, or the error.
Result<double> run_once(const std::string& task, std::uint64_t expected) {
  const fs::path home =
      fs::temp_directory_path() / ("theater-bench-process-" + std::to_string(::getpid()));
  fs::remove_all(home);
  fs::create_directories(home);
  const fs::path manifest_path = home / "sink.toml";
  std::ofstream(manifest_path) << "name = \"sink\"\ncomponent = \"" << THEATER_WASM_DIR
                               << "/bench_process_sink.wasm\"\n[limits]\ncall_timeout_ms = 600000\n"
                               << "[[handler]]\ntype = \"process\"\nallowed_programs = [\"*\"]\n";
  auto manifest = config::parse_manifest_file(manifest_path);
  if (!manifest.ok()) return manifest.error();
  double seconds = 0;
  Status outcome;
  {
    ExitWaiter waiter;
    runtime::RuntimeOptions options;
    options.home = home;
    auto theater = runtime::TheaterRuntime::create(options, &waiter);
    if (!theater.ok()) return theater.error();
    runtime::TheaterRuntime::SpawnOptions spawn;
    spawn.init_state_json = "\"" + task + "\"";
    const auto start = std::chrono::steady_clock::now();
    auto id = (*theater)->spawn(*manifest, spawn);
    if (!id.ok()) return id.error();
    auto counted = waiter.wait(std::chrono::seconds(600));
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!counted.ok()) {
      outcome = counted.error();
    } else if (std::stoull(*counted) != expected) {
      outcome = make_error(ErrorCode::kInternal, "the actor counted " + *counted + ", expected " +
                                                     std::to_string(expected));
    }
  }
  fs::remove_all(home);
  if (!outcome.ok()) return outcome.error();
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s raw|lines <file> [runs] | spawn <n> [runs]\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  const std::string arg = argv[2];
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  std::uint64_t amount = 0;  // bytes, lines or processes
  const char* unit = "";
  double scale = 1;
  if (mode == "raw") {
    amount = fs::file_size(arg);
    unit = "MB/s";
    scale = 1e-6;
  } else if (mode == "lines") {
    amount = count_lines(arg);
    unit = "lines/s";
  } else if (mode == "spawn") {
    amount = std::stoull(arg);
    unit = "spawns/s";
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  std::vector<double> rates;
  for (int i = 0; i < runs; ++i) {
    auto seconds = run_once(mode + " " + arg, amount);
    if (!seconds.ok()) {
      std::fprintf(stderr, "run %d failed: %s\n", i + 1, seconds.error().message.c_str());
      return 1;
    }
    rates.push_back(static_cast<double>(amount) * scale / *seconds);
    std::printf("run %d: %.3f s, %.1f %s\n", i + 1, *seconds, rates.back(), unit);
    std::fflush(stdout);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("median %.1f %s\n", rates[rates.size() / 2], unit);
  return 0;
}
