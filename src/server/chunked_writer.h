// ChunkedWriter: a response streamed from another thread, for a connection
// taken out of the HTTP loop (Exchange::take_over). The producer thread
// push()es text; the connection's strand writes it as HTTP/1.1 chunks. The
// buffer between them is bounded (bytes): push() waits while it is full, so
// the producer is held back by a slow reader (backpressure), and says
// whether it had to. A read stays pending on the connection so a client that
// leaves is noticed even while nothing is written.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "server/http.h"

namespace theater::server {

class ChunkedWriter final : public std::enable_shared_from_this<ChunkedWriter> {
 public:
  // A write that the reader does not take within `write_timeout` closes the
  // connection (a client that stopped reading but left its socket open).
  ChunkedWriter(Stream stream, size_t max_buffered, std::chrono::milliseconds write_timeout);

  // Writes the response head (status 200, chunked, Connection: close) and
  // starts watching for the client to leave. Call once, first.
  void begin(std::string_view content_type);
  // Queues `text` as part of the body. Waits while the buffer is full; false
  // when the connection is closed (the client left, or close() was called).
  bool push(std::string text);
  // Ends the body (the last chunk) and closes once everything is written.
  void finish();
  // Closes now, dropping what is queued (shutdown).
  void close();
  bool closed() const;
  // Whether push() ever had to wait for room (the reader was too slow).
  bool waited() const;

 private:
  void write_more();  // on the strand
  void watch_client();
  void mark_closed();

  Stream stream_;
  const size_t max_buffered_;
  const std::chrono::milliseconds write_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::string pending_;   // queued, not yet handed to the socket
  size_t in_flight_ = 0;  // bytes being written now
  bool writing_ = false;
  bool finishing_ = false;
  bool closed_ = false;
  bool waited_ = false;
  std::string out_;  // the bytes of the write in progress
  char read_byte_[64];
};

}  // namespace theater::server
