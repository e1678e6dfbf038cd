// Session: one HTTP/1.1 connection (Unix or TCP), keep-alive, one request at
// a time. Every wait is bounded: the idle wait for a request, the header
// (a client that sends one byte a second is cut off when the header timeout
// passes, whatever it sent), the body, and the write of the answer. A
// broken request is answered (400, 413, 431) and its connection closed; no
// other connection notices.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/exchange.h"
#include "server/router.h"
#include "server/worker_pool.h"

namespace theater::server {

struct Limits {
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  size_t max_body = size_t{16} << 20;
  size_t max_header = size_t{16} << 10;
  size_t max_connections = 1024;
};

// What every session shares.
struct SessionContext {
  Limits limits;
  const Router* router = nullptr;
  WorkerPool* pool = nullptr;
  std::atomic<bool> shutting_down{false};
  std::atomic<size_t> connections{0};
  std::string token;  // required of TCP sessions
  std::function<void(const std::string&)> log;
};

class Session final : public ExchangeSink, public std::enable_shared_from_this<Session> {
 public:
  // Counts itself in context.connections until it ends.
  Session(Stream stream, SessionContext& context, bool needs_token);
  ~Session() override;

  void start();
  // Answers 429 (too many connections) and closes.
  void refuse(Response response);

  void deliver(Response response) override;
  bool run_blocking(std::function<void()> work) override;
  void hand_over(std::function<void(Stream stream, Request request)> takeover,
                 Request request) override;

 private:
  void wait_for_request();
  void read_header();
  // A read that ran out of time (closed) or past max_body (413): true when
  // `ec` was one of them and the connection is dealt with.
  bool ended_by_limit(error_code ec, const char* part);
  void on_header(error_code ec);
  void on_body(error_code ec);
  void handle(Request request);
  // Answers and closes the connection: the request could not be read whole.
  void fail_request(http::status status, const std::string& message);
  void write(Response response, bool close_after);
  void close();

  Stream stream_;
  SessionContext& context_;
  const bool needs_token_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
};

}  // namespace theater::server
