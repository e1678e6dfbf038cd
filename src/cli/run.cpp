// `theater run <manifest> [--init-state JSON | --merge-init-state JSON]`: an
// embedded runtime in this process. Prints the actor's id before its init
// runs, then its log lines as they happen, and ends with an exit code that
// says how the actor ended (kRunHelp below; src/cli/README.md).
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/run_observer.h"
#include "config/manifest.h"
#include "runtime/builtin_handlers.h"
#include "runtime/theater_runtime.h"

namespace theater::cli {
namespace {

constexpr const char* kRunHelp =
    "Exit codes:\n"
    "  0    the actor shut down (runtime.shutdown) with no exit code in its data\n"
    "  N    the actor reported N: shutdown data that is the decimal text of an\n"
    "       integer 0-255 (e.g. \"1\"), or WASI proc_exit(N) after init\n"
    "  1    the actor failed (init, a call, a trap) or was terminated, or the\n"
    "       manifest or runtime could not be used\n"
    "  2    usage error (unknown command or option, bad value)\n"
    "  74   events could not be recorded (e.g. the disk is full): the actor was\n"
    "       stopped; its chain holds, and verifies, what was committed before\n"
    "  130  stopped by SIGINT (Ctrl-C), gracefully\n"
    "  143  stopped by SIGTERM, gracefully";

struct RunOptions {
  std::string manifest;
  std::optional<std::string> init_state;
  std::optional<std::string> merge_init_state;
};

// SIGINT and SIGTERM are taken by one thread with sigwait; every thread the
// runtime starts inherits the mask, so no handler runs on an actor thread.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

runtime::TheaterRuntime::SpawnOptions spawn_options(const RunOptions& options,
                                                    std::optional<std::string>& id) {
  runtime::TheaterRuntime::SpawnOptions spawn;
  spawn.init_state_json = options.merge_init_state ? options.merge_init_state : options.init_state;
  spawn.merge_init_state = options.merge_init_state.has_value();
  spawn.before_init = [&id](const std::string& new_id) {
    id = new_id;
    std::printf("actor %s\n", new_id.c_str());
    std::fflush(stdout);
  };
  return spawn;
}

// Runs the actor until it ends or a signal stops it; the exit code.
int run_actor(runtime::TheaterRuntime& theater, const config::Manifest& manifest,
              const RunOptions& options, RunObserver& observer) {
  std::optional<std::string> id;
  auto spawned = theater.spawn(manifest, spawn_options(options, id));
  if (!spawned.ok()) return observer.spawn_failed(id, spawned.error());
  std::optional<int> ended = observer.wait();
  // Still running after a signal or a failed call: stop it gracefully, so
  // its last events are queued before the log is flushed.
  (void)theater.stop(*spawned);
  return ended ? *ended : observer.wait_after_stop();
}

int run(const RunOptions& options) {
  sigset_t signals = block_stop_signals();
  // Checked against the built-in handlers before a runtime is started; the
  // runtime checks it again against the same handlers when it spawns.
  handler::HandlerRegistry builtins;
  if (Status registered = runtime::register_builtin_handlers(builtins); !registered.ok()) {
    std::fprintf(stderr, "error: %s\n", registered.error().message.c_str());
    return exit_codes::kFailure;
  }
  auto manifest = config::parse_manifest_file(options.manifest, builtins.schemas());
  if (!manifest.ok()) {
    std::fprintf(stderr, "error: %s\n", manifest.error().message.c_str());
    return exit_codes::kFailure;
  }
  // Shared with the signal thread, which outlives this function (a signal
  // may still arrive while the process exits).
  auto shared_observer = std::make_shared<RunObserver>();
  RunObserver& observer = *shared_observer;
  std::thread signal_waiter([shared_observer, signals] {
    int signal = 0;
    if (sigwait(&signals, &signal) == 0) shared_observer->signal_received(signal);
  });
  signal_waiter.detach();  // ends with the process

  auto theater = runtime::TheaterRuntime::create(runtime::RuntimeOptions{}, &observer);
  if (!theater.ok()) {
    std::fprintf(stderr, "error: %s\n", theater.error().message.c_str());
    return exit_codes::kFailure;
  }
  const int code = run_actor(**theater, *manifest, options, observer);
  // Whatever is still queued must reach the disk: a failure here lost events too.
  const Status flushed = (*theater)->flush_events();
  theater->reset();  // stops whatever is left
  return observer.after_flush(code, flushed);
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run an actor from its manifest in this process");
  cmd->add_option("manifest", options->manifest, "Path of the actor's manifest (TOML)")->required();
  CLI::Option* replace = cmd->add_option("--init-state", options->init_state,
                                         "Initial state (JSON), instead of the manifest's");
  cmd->add_option("--merge-init-state", options->merge_init_state,
                  "Initial state (JSON) merged over the manifest's, key by key")
      ->excludes(replace);
  cmd->footer(kRunHelp);
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace theater::cli
