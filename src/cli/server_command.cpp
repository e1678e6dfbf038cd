// `theater server [--listen HOST:PORT] [--max-connections N] [--max-body BYTES] ...`:
// one runtime and the HTTP management API (src/server/) until SIGINT or
// SIGTERM, then a graceful end: stop accepting, 503 to new requests, stop
// every actor, flush the event log, exit 0.
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "runtime/theater_runtime.h"
#include "server/server.h"

namespace theater::cli {
namespace {

constexpr const char* kServerHelp =
    "Listens on $THEATER_HOME/theater.sock (mode 0600), and with --listen also on\n"
    "TCP, where every request needs 'Authorization: Bearer <token>' (the token is\n"
    "in $THEATER_HOME/token, mode 0600, created when missing). The API is in\n"
    "docs/API.md.\n"
    "Exit codes:\n"
    "  0    stopped by SIGINT or SIGTERM, every actor stopped and its events flushed\n"
    "  1    could not start (another server holds the socket, an address is taken,\n"
    "       THEATER_HOME is unusable), or events could not be flushed\n"
    "  2    usage error";

struct ServerFlags {
  std::optional<std::string> listen;
  size_t max_connections = 1024;
  size_t max_body = size_t{16} << 20;
  uint64_t header_timeout_ms = 10'000;
  uint64_t body_timeout_ms = 30'000;
  uint64_t idle_timeout_ms = 60'000;
  size_t follow_buffer = size_t{4} << 20;
  bool verbose = false;
};

// Prints what a server operator wants to see: actors ending, and with
// --verbose their log lines.
class ServerObserver final : public runtime::RuntimeObserver {
 public:
  explicit ServerObserver(bool verbose) : verbose_(verbose) {}
  void on_log(const std::string& actor_id, std::string_view source,
              std::string_view line) override {
    if (!verbose_) return;
    print("[" + actor_id.substr(0, 8) + "] " + std::string(line));
  }
  void on_actor_exit(const std::string& actor_id, const runtime::ActorExit& exit) override {
    print("actor " + actor_id + " ended: " + runtime::to_string(exit.kind) +
          (exit.error ? " (" + exit.error->message + ")" : ""));
  }
  void on_events_lost(const std::string& actor_id, const Error& error) override {
    print("actor " + actor_id + ": events could not be recorded: " + error.message);
  }

 private:
  void print(const std::string& line) {
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  const bool verbose_;
  std::mutex mutex_;
};

server::ServerOptions server_options(const ServerFlags& flags, std::filesystem::path home) {
  server::ServerOptions options;
  options.home = std::move(home);
  options.listen = flags.listen;
  options.limits.max_connections = flags.max_connections;
  options.limits.max_body = flags.max_body;
  options.limits.header_timeout = std::chrono::milliseconds(flags.header_timeout_ms);
  options.limits.body_timeout = std::chrono::milliseconds(flags.body_timeout_ms);
  options.limits.idle_timeout = std::chrono::milliseconds(flags.idle_timeout_ms);
  options.streams.buffer_bytes = flags.follow_buffer;
  return options;
}

void stop_every_actor(runtime::TheaterRuntime& theater) {
  for (const runtime::ActorSummary& actor : theater.list())
    if (!actor.parent) (void)theater.stop(actor.id);  // children go with their parents
}

int serve(const ServerFlags& flags) {
  // Every thread started from here on inherits the mask: only sigwait below
  // sees SIGINT and SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  ServerObserver observer(flags.verbose);
  auto theater = runtime::TheaterRuntime::create(runtime::RuntimeOptions{}, &observer);
  if (!theater.ok()) {
    std::fprintf(stderr, "error: %s\n", theater.error().message.c_str());
    return exit_codes::kFailure;
  }
  auto server = server::Server::start(server_options(flags, (*theater)->home()), **theater);
  if (!server.ok()) {
    std::fprintf(stderr, "error: %s\n", server.error().message.c_str());
    return exit_codes::kFailure;
  }
  std::printf("theater server listening on unix:%s\n", (*server)->socket_path().c_str());
  if (auto port = (*server)->tcp_port()) {
    std::printf(
        "theater server listening on http://%s (bearer token in %s)\n",
        (flags.listen->substr(0, flags.listen->rfind(':')) + ":" + std::to_string(*port)).c_str(),
        ((*theater)->home() / "token").c_str());
  }
  std::fflush(stdout);

  int signal = 0;
  while (sigwait(&signals, &signal) != 0) {
  }
  std::fprintf(stderr, "theater server: %s received, stopping every actor\n",
               signal == SIGINT ? "SIGINT" : "SIGTERM");
  (*server)->begin_shutdown();
  stop_every_actor(**theater);
  (*server)->stop();
  const Status flushed = (*theater)->flush_events();
  server->reset();
  theater->reset();
  if (!flushed.ok()) {
    std::fprintf(stderr, "error: events could not be flushed: %s\n",
                 flushed.error().message.c_str());
    return exit_codes::kFailure;
  }
  return exit_codes::kSuccess;
}

}  // namespace

void add_server_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ServerFlags>();
  CLI::App* cmd =
      app.add_subcommand("server", "Run the management server (HTTP API) and its actors");
  cmd->add_option("--listen", flags->listen,
                  "Also listen on TCP at HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks one), "
                  "token required");
  cmd->add_option("--max-connections", flags->max_connections,
                  "Open connections at most; past it a client gets 429 (default 1024)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-body", flags->max_body,
                  "Largest request body in bytes; past it 413 (default 16 MiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--header-timeout-ms", flags->header_timeout_ms,
                  "A request header must arrive whole within this (default 10000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--body-timeout-ms", flags->body_timeout_ms,
                  "A request body must arrive, and an answer be taken, within this (default 30000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--idle-timeout-ms", flags->idle_timeout_ms,
                  "An idle keep-alive connection is closed after this (default 60000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--follow-buffer", flags->follow_buffer,
                  "Bytes buffered per event stream for a slow reader (default 4 MiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--verbose", flags->verbose, "Print the actors' log lines too");
  cmd->footer(kServerHelp);
  cmd->callback([flags, &exit_code] { exit_code = serve(*flags); });
}

}  // namespace theater::cli
