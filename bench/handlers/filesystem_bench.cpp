// read-file of a 1 MiB file through a guest against `cat` of the same file,
// in the same run:
//
//   bench_filesystem [reads] [runs]     (defaults 100, 5)
//
// Theater's figure: a real runtime (V8, the SQLite event log in a temporary
// THEATER_HOME), the SDK-built filesystem_probe_actor asked to read the file
// `reads` times in one request ("read-loop"): each read is one host call
// (openat2, fstat, read, the copy into guest memory) and its chain event
// holding the 1 MiB read. The reference: `cat <file> > /dev/null`, `reads`
// times, each a fork/exec, the way a shell reads a file. Per run, the time
// per read of both; the last lines are the medians and the ratio (ours / cat).
// `cat`'s figure is mostly starting a process; a plain open+read in this
// process is printed too, for scale.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/manifest.h"
#include "runtime/theater_runtime.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace theater;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kFileSize = 1 << 20;
constexpr const char* kHandleRequest = "theater:simple/message-server-client#handle-request";

double micros_since(Clock::time_point start, int count) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / count;
}

// Microseconds per `cat file > /dev/null`.
Result<double> time_cat(const fs::path& file, int reads) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::string path = file.string();
  char* argv[] = {const_cast<char*>("cat"), path.data(), nullptr};
  const auto start = Clock::now();
  for (int i = 0; i < reads; ++i) {
    pid_t pid = 0;
    if (posix_spawnp(&pid, "cat", &actions, nullptr, argv, environ) != 0) {
      return make_error(ErrorCode::kInternal, "cannot run cat");
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return make_error(ErrorCode::kInternal, "cat failed");
    }
  }
  const double per_read = micros_since(start, reads);
  posix_spawn_file_actions_destroy(&actions);
  return per_read;
}

// Microseconds per open + read of the whole file into a fresh buffer in this
// process: the floor under both figures above (no process start, no guest,
// no chain), printed for scale.
Result<double> time_plain_read(const fs::path& file, int reads) {
  const auto start = Clock::now();
  for (int i = 0; i < reads; ++i) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return make_error(ErrorCode::kInternal, "cannot open the file");
    std::vector<char> buffer(kFileSize);
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(kFileSize)) return make_error(ErrorCode::kInternal, "short read");
  }
  return micros_since(start, reads);
}

// Microseconds per read-file in a fresh runtime.
Result<double> time_theater(const fs::path& work, int reads) {
  const fs::path home = work / "home";
  fs::remove_all(home);
  runtime::RuntimeOptions options;
  options.home = home;
  THEATER_ASSIGN_OR_RETURN(std::unique_ptr<runtime::TheaterRuntime> runtime,
                           runtime::TheaterRuntime::create(options));
  const fs::path manifest = work / "probe.toml";
  std::ofstream(manifest) << "name = \"fs-bench\"\ncomponent = \"" << THEATER_WASM_DIR
                          << "/filesystem_probe_actor.wasm\"\n[limits]\ncall_timeout_ms = 600000\n"
                          << "[[handler]]\ntype = \"message-server\"\n"
                          << "[[handler]]\ntype = \"filesystem\"\npaths = [\"data\"]\n";
  THEATER_ASSIGN_OR_RETURN(config::Manifest parsed, config::parse_manifest_file(manifest));
  THEATER_ASSIGN_OR_RETURN(std::string id, runtime->spawn(parsed));
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, runtime->handle(id));
  const std::string message =
      "read-loop\x1f"
      "data/file\x1f" +
      std::to_string(reads);
  using Params = std::tuple<std::string, handler::Bytes>;
  const auto start = Clock::now();
  auto answer = actor.call_and_wait<Params, std::tuple<std::optional<handler::Bytes>>>(
      kHandleRequest, Params("bench", handler::Bytes(message.begin(), message.end())),
      {{"bench", "read-loop"}}, std::chrono::minutes(10));
  const double per_read = micros_since(start, reads);
  if (!answer.ok()) return answer.error();
  const auto& bytes = std::get<0>(std::get<0>(*answer));
  const std::string text = bytes ? std::string(bytes->begin(), bytes->end()) : "";
  if (text != "ok " + std::to_string(kFileSize)) {
    return make_error(ErrorCode::kInternal, "unexpected answer: " + text.substr(0, 200));
  }
  return per_read;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int reads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const fs::path work =
      fs::temp_directory_path() / ("theater-bench-filesystem-" + std::to_string(::getpid()));
  fs::create_directories(work / "data");
  {
    std::vector<char> content(kFileSize);
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31);
    std::ofstream(work / "data" / "file", std::ios::binary).write(content.data(), content.size());
  }
  std::vector<double> ours, cat, plain;
  int status = 0;
  for (int run = 0; run < runs; ++run) {
    auto theater = time_theater(work, reads);
    auto reference = time_cat(work / "data" / "file", reads);
    auto floor = time_plain_read(work / "data" / "file", reads);
    if (!theater.ok() || !reference.ok() || !floor.ok()) {
      const Error& error =
          !theater.ok() ? theater.error() : (!reference.ok() ? reference.error() : floor.error());
      std::fprintf(stderr, "run %d failed: %s\n", run, error.message.c_str());
      status = 1;
      break;
    }
    ours.push_back(*theater);
    cat.push_back(*reference);
    plain.push_back(*floor);
    std::printf("run %d: read-file %.1f us, cat %.1f us, plain read %.1f us\n", run, *theater,
                *reference, *floor);
  }
  fs::remove_all(work);
  if (ours.empty()) return 1;
  const double a = median(ours), b = median(cat);
  std::printf("read-file of 1 MiB through a guest (median): %.1f us per read\n", a);
  std::printf("cat of the same file (median):               %.1f us per read\n", b);
  std::printf("ratio read-file / cat: %.2f (below 1: faster than cat)\n", a / b);
  std::printf("for scale, open+read in this process (median): %.1f us (read-file / that: %.1f)\n",
              median(plain), a / median(plain));
  return status;
}
