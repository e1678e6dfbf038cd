// Exchange: one request in flight and the ways a route answers it. A route
// gets it from the Router and must, exactly once, either respond (from any
// thread), respond_later (work that blocks runs on the worker pool, never on
// an I/O thread), or take_over the connection (streaming, a WebSocket
// upgrade: the connection leaves the HTTP loop and is the route's).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "server/http.h"

namespace theater::server {

// What an Exchange answers through: the connection's session.
class ExchangeSink {
 public:
  virtual ~ExchangeSink() = default;
  virtual void deliver(Response response) = 0;
  // False when the worker pool's queue is full (the caller answers 503).
  virtual bool run_blocking(std::function<void()> work) = 0;
  virtual void hand_over(std::function<void(Stream stream, Request request)> takeover,
                         Request request) = 0;
};

class Exchange {
 public:
  Exchange(Request request, std::shared_ptr<ExchangeSink> sink)
      : request_(std::move(request)), sink_(std::move(sink)) {}

  const Request& request() const { return request_; }
  // A path parameter of the route's pattern ("{id}"), empty when absent.
  const std::string& param(const std::string& name) const;
  std::optional<std::string> query(std::string_view name) const {
    return query_value(to_std(request_.target()), name);
  }
  std::map<std::string, std::string>& params() { return params_; }

  void respond(Response response) { sink_->deliver(std::move(response)); }
  // Runs `work` on the worker pool and answers with what it returns; 503
  // at once when the pool is saturated. For anything that waits: spawning
  // (init runs), stopping, reading the event log.
  void respond_later(std::function<Response()> work);
  // Takes the connection out of the HTTP loop. `takeover` runs on the
  // connection's strand with the stream (its read buffer is empty: the
  // request was read whole) and the request; the route writes its own
  // response head (101 Switching Protocols for a WebSocket, a chunked
  // stream for events) and owns the stream from then on. The connection
  // no longer counts against max_connections.
  void take_over(std::function<void(Stream stream, Request request)> takeover) {
    sink_->hand_over(std::move(takeover), request_);
  }

 private:
  Request request_;
  std::shared_ptr<ExchangeSink> sink_;
  std::map<std::string, std::string> params_;
};

using Handler = std::function<void(const std::shared_ptr<Exchange>& exchange)>;

}  // namespace theater::server
