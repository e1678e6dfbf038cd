// `theater run <manifest> [--init-state JSON]`: an embedded runtime in this
// process. Prints the actor's id, then its log lines as they happen. Ends
// when the actor shuts down (prints the shutdown data, exit 0; a WASI
// proc_exit ends with its code), fails (prints the error, exit 1), or on
// Ctrl-C (graceful stop, exit 130).
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "common/utf8.h"
#include "config/manifest.h"
#include "runtime/builtin_handlers.h"
#include "runtime/theater_runtime.h"

namespace theater::cli {
namespace {

struct RunOptions {
  std::string manifest;
  std::string init_state;
};

// Everything the actor's threads report, for the main thread to act on.
class RunObserver final : public runtime::RuntimeObserver {
 public:
  void on_log(const std::string& actor_id, std::string_view source,
              std::string_view line) override {
    std::lock_guard lock(mutex_);
    std::printf("[%.*s] %.*s\n", static_cast<int>(source.size()), source.data(),
                static_cast<int>(line.size()), line.data());
    std::fflush(stdout);
  }
  void on_actor_error(const std::string& actor_id, const std::string& export_name,
                      const Error& error) override {
    finish(1, "error: " + export_name + " failed: " + error.message);
  }
  void on_actor_exit(const std::string& actor_id, const runtime::ActorExit& exit) override {
    using Kind = runtime::ActorExit::Kind;
    switch (exit.kind) {
      case Kind::kShutdown:
        finish(0, "shutdown: " + describe(exit.data));
        break;
      case Kind::kExited:
        finish(*exit.exit_code, "exited with code " + std::to_string(*exit.exit_code));
        break;
      case Kind::kFailed:
        finish(1, "error: " + (exit.error ? exit.error->message : std::string("failed")));
        break;
      case Kind::kStopped:
      case Kind::kTerminated:
        finish(interrupted_ ? 130 : 1, std::string("actor ") + runtime::to_string(exit.kind));
        break;
    }
  }
  void interrupt() {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    cv_.notify_all();
  }
  // Waits for the actor to end or Ctrl-C; the exit code, or nullopt after Ctrl-C.
  std::optional<int> wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return exit_code_.has_value() || (interrupted_ && !stopping_); });
    if (exit_code_) return exit_code_;
    stopping_ = true;
    return std::nullopt;
  }
  int wait_after_stop() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return exit_code_.has_value(); });
    return *exit_code_;
  }

 private:
  static std::string describe(const std::optional<handler::Bytes>& data) {
    if (!data) return "(no data)";
    std::string text(data->begin(), data->end());
    if (is_valid_utf8(text)) return text;
    return std::to_string(data->size()) + " bytes";
  }
  void finish(int code, const std::string& message) {
    std::lock_guard lock(mutex_);
    if (exit_code_) return;
    std::printf("%s\n", message.c_str());
    std::fflush(stdout);
    exit_code_ = code;
    cv_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<int> exit_code_;
  bool interrupted_ = false;
  bool stopping_ = false;
};

int run(const RunOptions& options) {
  // Ctrl-C and SIGTERM are taken by one thread with sigwait; every thread the
  // runtime starts inherits the mask, so no handler runs on an actor thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Checked against the built-in handlers before a runtime is started; the
  // runtime checks it again against the same handlers when it spawns.
  handler::HandlerRegistry builtins;
  if (Status registered = runtime::register_builtin_handlers(builtins); !registered.ok()) {
    std::fprintf(stderr, "error: %s\n", registered.error().message.c_str());
    return 1;
  }
  auto manifest = config::parse_manifest_file(options.manifest, builtins.schemas());
  if (!manifest.ok()) {
    std::fprintf(stderr, "error: %s\n", manifest.error().message.c_str());
    return 1;
  }
  RunObserver observer;
  std::thread signal_waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    observer.interrupt();
  });
  signal_waiter.detach();  // ends with the process

  int code = 1;
  {
    auto theater = runtime::TheaterRuntime::create(runtime::RuntimeOptions{}, &observer);
    if (!theater.ok()) {
      std::fprintf(stderr, "error: %s\n", theater.error().message.c_str());
      return 1;
    }
    runtime::TheaterRuntime::SpawnOptions spawn;
    if (!options.init_state.empty()) spawn.init_state_json = options.init_state;
    auto id = (*theater)->spawn(*manifest, spawn);
    if (!id.ok()) {
      std::fprintf(stderr, "error: %s\n", id.error().message.c_str());
      return 1;
    }
    std::printf("actor %s\n", id->c_str());
    std::fflush(stdout);
    std::optional<int> ended = observer.wait();
    if (ended) {
      code = *ended;
    } else {
      (void)(*theater)->stop(*id);
      observer.wait_after_stop();
      code = 130;
    }
  }  // the runtime stops whatever is left and flushes the event log
  return code;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run an actor from its manifest in this process");
  cmd->add_option("manifest", options->manifest, "Path of the actor's manifest (TOML)")->required();
  cmd->add_option("--init-state", options->init_state,
                  "Initial state (JSON), merged over the manifest's");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace theater::cli
