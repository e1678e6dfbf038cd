// Listener: accepts connections on one acceptor (the Unix socket, or the
// optional TCP port) and starts a Session for each. Past max_connections a
// connection is answered 429 with the error body and closed; the others go on.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "server/session.h"

namespace theater::server {

template <class Protocol>
class Listener final : public std::enable_shared_from_this<Listener<Protocol>> {
 public:
  using Acceptor = asio::basic_socket_acceptor<Protocol>;

  Listener(asio::io_context& io, Acceptor acceptor, SessionContext& context, bool needs_token)
      : io_(io),
        acceptor_(std::move(acceptor)),
        retry_(io),
        context_(context),
        needs_token_(needs_token) {}

  void start() { accept(); }
  // Stops accepting (any thread); connections already open go on.
  void close() {
    asio::post(acceptor_.get_executor(), [self = this->shared_from_this()] {
      error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
    });
  }

 private:
  void accept() {
    auto socket = std::make_shared<asio::generic::stream_protocol::socket>(asio::make_strand(io_));
    acceptor_.async_accept(*socket, [self = this->shared_from_this(), socket](error_code ec) {
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (ec) return self->retry_later(ec);  // e.g. out of file descriptors: try again soon
      self->on_accept(std::move(*socket));
      self->accept();
    });
  }

  void retry_later(error_code ec) {
    context_.log("accept failed: " + ec.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = this->shared_from_this()](error_code wait) {
      if (!wait) self->accept();
    });
  }

  void on_accept(asio::generic::stream_protocol::socket socket) {
    if constexpr (std::is_same_v<Protocol, asio::ip::tcp>) {
      error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    }
    const bool over_limit = context_.connections.load() >= context_.limits.max_connections;
    auto session = std::make_shared<Session>(Stream(std::move(socket)), context_, needs_token_);
    if (over_limit) {
      session->refuse(error_response(http::status::too_many_requests,
                                     "too many connections (max_connections " +
                                         std::to_string(context_.limits.max_connections) +
                                         "): try again later"));
      return;
    }
    session->start();
  }

  asio::io_context& io_;
  Acceptor acceptor_;
  asio::steady_timer retry_;
  SessionContext& context_;
  const bool needs_token_;
};

}  // namespace theater::server
