#include "server/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/unique_fd.h"
#include "server/listener.h"
#include "server/routes.h"
#include "server/token.h"

namespace theater::server {
namespace {

// Whether a server answers on the Unix socket at `path`.
bool someone_listens(const std::filesystem::path& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
}

// Takes the socket path over from a server that is gone; refuses when one
// still answers there.
Status claim_socket_path(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return {};  // nothing there
  if (!S_ISSOCK(info.st_mode)) {
    return make_error(ErrorCode::kFailedPrecondition,
                      path.string() + " exists and is not a socket: remove it first");
  }
  if (someone_listens(path)) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "another theater server is already listening on " + path.string() +
                          " (stop it first, or use another THEATER_HOME)");
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return make_error(ErrorCode::kInternal, "cannot remove the stale socket " + path.string() +
                                                ": " + std::strerror(errno));
  }
  return {};
}

Status private_folder(const std::filesystem::path& home) {
  std::error_code ec;
  std::filesystem::create_directories(home, ec);
  if (ec)
    return make_error(ErrorCode::kInternal, "cannot create " + home.string() + ": " + ec.message());
  if (::chmod(home.c_str(), 0700) != 0) {
    return make_error(ErrorCode::kInternal,
                      "cannot chmod " + home.string() + ": " + std::strerror(errno));
  }
  return {};
}

Result<asio::ip::tcp::endpoint> parse_address(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, "--listen takes HOST:PORT, not " + text);
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "--listen: bad address " + host);
  const std::string port_text = text.substr(colon + 1);
  char* end = nullptr;
  const unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port > 65535) {
    return make_error(ErrorCode::kInvalidArgument, "--listen: bad port " + port_text);
  }
  return asio::ip::tcp::endpoint(address, static_cast<uint16_t>(port));
}

template <class Protocol>
std::function<void()> serve(asio::io_context& io, asio::basic_socket_acceptor<Protocol> acceptor,
                            SessionContext& context, bool needs_token) {
  auto listener =
      std::make_shared<Listener<Protocol>>(io, std::move(acceptor), context, needs_token);
  listener->start();
  return [listener] { listener->close(); };
}

}  // namespace

Server::Server(ServerOptions options, runtime::TheaterRuntime& runtime)
    : options_(std::move(options)),
      api_(runtime),
      streams_(api_, options_.streams),
      pool_(options_.workers, options_.max_queued_work) {
  api_.streams = &streams_;
  api_.shutting_down = &sessions_.shutting_down;
  add_routes(router_, api_);
  sessions_.limits = options_.limits;
  sessions_.router = &router_;
  sessions_.pool = &pool_;
  sessions_.log = [this](const std::string& line) { log(line); };
}

Result<std::unique_ptr<Server>> Server::start(ServerOptions options,
                                              runtime::TheaterRuntime& runtime) {
  std::unique_ptr<Server> server(new Server(std::move(options), runtime));
  THEATER_RETURN_IF_ERROR(private_folder(server->options_.home));
  THEATER_RETURN_IF_ERROR(server->listen_unix());
  if (server->options_.listen)
    THEATER_RETURN_IF_ERROR(server->listen_tcp(*server->options_.listen));
  const size_t threads = std::max<size_t>(1, server->options_.io_threads);
  for (size_t i = 0; i < threads; ++i)
    server->threads_.emplace_back([s = server.get()] { s->io_.run(); });
  return server;
}

Status Server::listen_unix() {
  socket_path_ = options_.home / "theater.sock";
  if (socket_path_.native().size() >= sizeof(sockaddr_un::sun_path)) {
    return make_error(ErrorCode::kInvalidArgument, "the socket path " + socket_path_.string() +
                                                       " is too long for a Unix socket");
  }
  THEATER_RETURN_IF_ERROR(claim_socket_path(socket_path_));
  using asio::local::stream_protocol;
  stream_protocol::acceptor acceptor(io_);
  error_code ec;
  acceptor.open(stream_protocol(), ec);
  // The socket is created 0600: nobody else may ever connect, not even briefly.
  const mode_t previous = ::umask(0177);
  if (!ec) acceptor.bind(stream_protocol::endpoint(socket_path_.string()), ec);
  ::umask(previous);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error(ErrorCode::kInternal,
                      "cannot listen on " + socket_path_.string() + ": " + ec.message());
  ::chmod(socket_path_.c_str(), 0600);
  owns_socket_file_ = true;
  close_unix_ = serve(io_, std::move(acceptor), sessions_, /*needs_token=*/false);
  return {};
}

Status Server::listen_tcp(const std::string& address) {
  THEATER_ASSIGN_OR_RETURN(asio::ip::tcp::endpoint endpoint, parse_address(address));
  THEATER_ASSIGN_OR_RETURN(sessions_.token, load_or_create_token(options_.home));
  asio::ip::tcp::acceptor acceptor(io_);
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error(ErrorCode::kInternal, "cannot listen on " + address + ": " + ec.message());
  tcp_port_ = acceptor.local_endpoint().port();
  close_tcp_ = serve(io_, std::move(acceptor), sessions_, /*needs_token=*/true);
  return {};
}

void Server::begin_shutdown() {
  if (sessions_.shutting_down.exchange(true)) return;
  if (close_unix_) close_unix_();
  if (close_tcp_) close_tcp_();
  if (owns_socket_file_) ::unlink(socket_path_.c_str());  // never another server's
}

void Server::stop() {
  if (stopped_) return;
  stopped_ = true;
  begin_shutdown();
  streams_.stop();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
}

Server::~Server() {
  stop();
}

void Server::log(const std::string& line) const {
  if (options_.log) return options_.log(line);
  std::fprintf(stderr, "theater server: %s\n", line.c_str());
}

}  // namespace theater::server
