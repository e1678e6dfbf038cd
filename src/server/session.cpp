#include "server/session.h"

#include <boost/asio/post.hpp>

#include "server/token.h"

namespace theater::server {
namespace {

bool has_body(const Request& request, const http::request_parser<http::string_body>& parser) {
  if (!request.body().empty() || parser.chunked()) return true;
  auto length = parser.content_length();
  return length && *length > 0;
}

bool allows_body(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::delete_;
}

}  // namespace

Session::Session(Stream stream, SessionContext& context, bool needs_token)
    : stream_(std::move(stream)), context_(context), needs_token_(needs_token) {
  ++context_.connections;
}

Session::~Session() {
  --context_.connections;
}

void Session::start() {
  wait_for_request();
}

void Session::refuse(Response response) {
  write(std::move(response), /*close_after=*/true);
}

// Waits for the first bytes of the next request under the idle timeout (a
// keep-alive connection nobody uses is closed), then reads its header under
// the header timeout.
void Session::wait_for_request() {
  if (buffer_.size() > 0) return read_header();  // a pipelined request is here already
  stream_.expires_after(context_.limits.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](error_code ec, size_t n) {
                            if (ec) return self->close();
                            self->buffer_.commit(n);
                            self->read_header();
                          });
}

void Session::read_header() {
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(context_.limits.max_header));
  parser_->body_limit(context_.limits.max_body);
  stream_.expires_after(context_.limits.header_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](error_code ec, size_t) { self->on_header(ec); });
}

bool Session::ended_by_limit(error_code ec, const char* part) {
  if (ec == beast::error::timeout) {
    context_.log(std::string("closed a connection whose request ") + part +
                 " did not arrive in time");
    close();
    return true;
  }
  if (ec == http::error::body_limit) {
    fail_request(http::status::payload_too_large, "the body is larger than max_body (" +
                                                      std::to_string(context_.limits.max_body) +
                                                      " bytes)");
    return true;
  }
  return false;
}

void Session::on_header(error_code ec) {
  if (ended_by_limit(ec, "header")) return;
  if (ec == http::error::header_limit) {
    return fail_request(http::status::request_header_fields_too_large,
                        "the request header is larger than " +
                            std::to_string(context_.limits.max_header) + " bytes");
  }
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset) {
    return close();
  }
  if (ec) return fail_request(http::status::bad_request, "malformed HTTP request: " + ec.message());
  stream_.expires_after(context_.limits.body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](error_code ec, size_t) { self->on_body(ec); });
}

void Session::on_body(error_code ec) {
  if (ended_by_limit(ec, "body")) return;
  if (ec) return fail_request(http::status::bad_request, "malformed HTTP request: " + ec.message());
  const bool body = has_body(parser_->get(), *parser_);
  Request request = parser_->release();
  keep_alive_ = request.keep_alive();
  if (body && !allows_body(request.method())) {
    return write(error_response(http::status::bad_request,
                                std::string(request.method_string()) + " requests take no body"),
                 /*close_after=*/false);
  }
  handle(std::move(request));
}

void Session::handle(Request request) {
  if (context_.shutting_down) {
    return write(error_response(http::status::service_unavailable, "the server is shutting down"),
                 /*close_after=*/true);
  }
  if (needs_token_ &&
      !bearer_matches(to_std(request[http::field::authorization]), context_.token)) {
    context_.log("refused a TCP request without the right token: " +
                 std::string(request.method_string()) + " " + std::string(request.target()));
    Response response = error_response(
        http::status::unauthorized,
        "this listener needs Authorization: Bearer <the token in $THEATER_HOME/token>");
    response.set(http::field::www_authenticate, "Bearer");
    return write(std::move(response), /*close_after=*/false);
  }
  context_.router->dispatch(std::make_shared<Exchange>(std::move(request), shared_from_this()));
}

void Session::fail_request(http::status status, const std::string& message) {
  keep_alive_ = false;
  write(error_response(status, message), /*close_after=*/true);
}

void Session::deliver(Response response) {
  asio::post(stream_.get_executor(),
             [self = shared_from_this(), response = std::move(response)]() mutable {
               self->write(std::move(response), /*close_after=*/false);
             });
}

bool Session::run_blocking(std::function<void()> work) {
  return context_.pool->try_post(std::move(work));
}

void Session::hand_over(std::function<void(Stream stream, Request request)> takeover,
                        Request request) {
  asio::post(stream_.get_executor(), [self = shared_from_this(), takeover = std::move(takeover),
                                      request = std::move(request)]() mutable {
    self->stream_.expires_never();
    takeover(std::move(self->stream_), std::move(request));
  });
}

void Session::write(Response response, bool close_after) {
  const bool keep = keep_alive_ && !close_after && !context_.shutting_down;
  response.version(11);
  response.keep_alive(keep);
  auto message = std::make_shared<Response>(std::move(response));
  // A client that never reads its answer is cut off too.
  stream_.expires_after(context_.limits.body_timeout);
  http::async_write(stream_, *message,
                    [self = shared_from_this(), message, keep](error_code ec, size_t) {
                      if (ec || !keep) return self->close();
                      self->wait_for_request();
                    });
}

void Session::close() {
  error_code ignored;
  stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  stream_.close();
}

}  // namespace theater::server
