#include "server/chunked_writer.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>

namespace theater::server {
namespace {

std::string chunk_of(const std::string& text) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", text.size());
  return size + text + "\r\n";
}

}  // namespace

ChunkedWriter::ChunkedWriter(Stream stream, size_t max_buffered,
                             std::chrono::milliseconds write_timeout)
    : stream_(std::move(stream)), max_buffered_(max_buffered), write_timeout_(write_timeout) {}

void ChunkedWriter::begin(std::string_view content_type) {
  {
    std::lock_guard lock(mutex_);
    pending_ = "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(content_type) +
               "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  }
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->watch_client();
    self->write_more();
  });
}

bool ChunkedWriter::push(std::string text) {
  if (text.empty()) return !closed();
  std::unique_lock lock(mutex_);
  if (pending_.size() + in_flight_ >= max_buffered_ && !closed_) {
    waited_ = true;
    room_.wait(lock, [this] { return closed_ || pending_.size() + in_flight_ < max_buffered_; });
  }
  if (closed_) return false;
  pending_ += chunk_of(text);
  if (!writing_) {
    writing_ = true;
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->write_more(); });
  }
  return true;
}

void ChunkedWriter::finish() {
  std::lock_guard lock(mutex_);
  if (closed_ || finishing_) return;
  finishing_ = true;
  pending_ += "0\r\n\r\n";
  if (!writing_) {
    writing_ = true;
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->write_more(); });
  }
}

void ChunkedWriter::close() {
  mark_closed();
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    error_code ignored;
    self->stream_.socket().shutdown(asio::socket_base::shutdown_both, ignored);
    self->stream_.close();
  });
}

bool ChunkedWriter::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool ChunkedWriter::waited() const {
  std::lock_guard lock(mutex_);
  return waited_;
}

void ChunkedWriter::mark_closed() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  room_.notify_all();
}

void ChunkedWriter::write_more() {
  bool done = false;
  bool have_out = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    in_flight_ = 0;
    if (pending_.empty()) {
      writing_ = false;
      done = finishing_;
    } else {
      writing_ = true;
      out_.swap(pending_);
      pending_.clear();
      in_flight_ = out_.size();
      have_out = true;
    }
  }
  room_.notify_all();
  if (done) {
    error_code ignored;
    stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
    mark_closed();
    stream_.close();
    return;
  }
  if (!have_out) return;
  // A reader that takes nothing for this long is gone, whatever its socket says.
  stream_.expires_after(write_timeout_);
  asio::async_write(stream_, asio::buffer(out_),
                    [self = shared_from_this()](error_code ec, size_t) {
                      self->out_.clear();
                      if (ec) {
                        self->mark_closed();
                        self->stream_.close();
                        return;
                      }
                      self->write_more();
                    });
}

// A follower sends nothing after its request (bytes it does send are
// ignored); EOF or an error means it left.
void ChunkedWriter::watch_client() {
  stream_.socket().async_read_some(asio::buffer(read_byte_),
                                   [self = shared_from_this()](error_code ec, size_t) {
                                     if (!ec) return self->watch_client();
                                     if (ec == asio::error::operation_aborted) return;
                                     self->mark_closed();
                                     self->stream_.close();
                                   });
}

}  // namespace theater::server
