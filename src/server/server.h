// Server: `theater server`'s HTTP API over one TheaterRuntime. Listens on
// $THEATER_HOME/theater.sock (the folder 0700, the socket 0600) and, when
// asked, on a TCP address where every request needs the bearer token of
// $THEATER_HOME/token. A few I/O threads run every connection; work that
// blocks runs on a bounded worker pool; event streams have their own threads
// (README.md: the thread model and the limits).
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/theater_runtime.h"
#include "server/api.h"
#include "server/event_streams.h"
#include "server/router.h"
#include "server/session.h"
#include "server/worker_pool.h"

namespace theater::server {

struct ServerOptions {
  std::filesystem::path home;         // holds theater.sock and token
  std::optional<std::string> listen;  // "127.0.0.1:PORT" (port 0: any free one)
  Limits limits;
  StreamLimits streams;
  size_t io_threads = 2;
  size_t workers = 4;
  size_t max_queued_work = 1024;
  std::function<void(const std::string&)> log;  // default: stderr
};

class Server {
 public:
  // Binds the listeners and starts serving. Fails (a clear message) when
  // another server holds the socket, or an address cannot be bound.
  static Result<std::unique_ptr<Server>> start(ServerOptions options,
                                               runtime::TheaterRuntime& runtime);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const std::filesystem::path& socket_path() const { return socket_path_; }
  std::optional<uint16_t> tcp_port() const { return tcp_port_; }

  // Stops accepting, removes the socket file and answers 503 to every new
  // request on open connections (any thread).
  void begin_shutdown();
  // Ends the event streams, then the I/O threads and the workers. Call after
  // the actors were stopped (their streams end with them).
  void stop();

 private:
  Server(ServerOptions options, runtime::TheaterRuntime& runtime);
  Status listen_unix();
  Status listen_tcp(const std::string& address);
  void log(const std::string& line) const;

  ServerOptions options_;
  ApiContext api_;
  EventStreams streams_;
  Router router_;
  SessionContext sessions_;  // outlives io_: a session's destructor counts itself out
  WorkerPool pool_;
  asio::io_context io_;
  std::function<void()> close_unix_;
  std::function<void()> close_tcp_;
  std::filesystem::path socket_path_;
  std::optional<uint16_t> tcp_port_;
  std::vector<std::thread> threads_;
  bool owns_socket_file_ = false;  // this server bound the socket file
  bool stopped_ = false;
};

}  // namespace theater::server
