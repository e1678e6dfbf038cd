// Segments: how the event log stores events. Internal to the chain library.
//
// A segment is a run of consecutive events of one actor, encoded back to back
// and appended to the log's event file (`<db>-events`); SQLite only indexes
// the segments (actor, first seq, count, offset, length) and provides the
// transaction that makes a batch visible. One write and a handful of index
// rows per batch replace one SQLite row per event: small events cost a memcpy,
// and large ones (process output) are written once, straight from the event,
// instead of into the WAL and again into the database at checkpoint
// (measured: SQLite stores 1 GiB of 64 KiB blobs at ~330 MB/s, a file append
// at ~3.4 GB/s).
//
// One event's encoding (little-endian):
//
//   hash[32] | flags u8 (1: has parent, 2: has description) | parent[32]?
//   | timestamp_ms u64 | u32 len | event_type | (u32 len | description)?
//   | u32 len | data
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "chain/event.h"
#include "common/little_endian.h"
#include "common/result.h"

namespace theater::chain::segment {

// Bytes of one event's encoding.
size_t encoded_size(const Event& event);

// Gathers encoded events for one vectored write without copying large data:
// headers and small data are copied into one buffer reserved up front, large
// data is referenced in place (the events must outlive the write).
class Gather {
 public:
  // `header_bytes` must cover every add() that follows (see header_bytes_for).
  explicit Gather(size_t header_bytes) { buffer_.reserve(header_bytes); }
  // Bytes of buffer the event needs: everything but large data.
  static size_t header_bytes_for(const Event& event);

  void add(const Event& event);
  const std::vector<iovec>& pieces() const { return pieces_; }
  uint64_t total_bytes() const { return total_; }

 private:
  void append(const void* bytes, size_t size);
  template <class T>
  void append_le(T value) {
    uint8_t raw[sizeof(T)];
    put_le(raw, value);
    append(raw, sizeof raw);
  }
  void reference(std::span<const uint8_t> bytes);

  std::vector<uint8_t> buffer_;  // never reallocates: pieces_ point into it
  std::vector<iovec> pieces_;
  uint64_t total_ = 0;
};

// The smallest encoding of one event (no parent, no description, empty
// fields): a segment of `length` bytes holds at most length / this events.
inline constexpr uint64_t kMinEncodedSize = sizeof(EventHash) + 1 + 8 + 4 + 4;

// Called once per decoded event with a view into the segment's bytes (a
// visitor that keeps the event copies it: see assign()) and where its data
// starts within the segment.
using DecodedVisitor = std::function<Status(const EventView& event, size_t data_position)>;

// Decodes a segment's bytes into `count` events, one at a time, as views of
// `bytes`: nothing is copied or allocated per event, whatever `count` says.
// Every length is checked against the bytes left. Errors name the segment by `where` ("actor X, seq
// N..M") and the fault; a visitor's error stops decoding and is returned.
Status decode(std::span<const uint8_t> bytes, uint64_t count, const std::string& where,
              const DecodedVisitor& visit);

// Writes every piece at `offset` (pwritev, retrying short writes).
Status write_all(int fd, std::vector<iovec> pieces, uint64_t offset, const std::string& path);

// Reads `length` bytes at `offset` into `buffer` (resized; its capacity is
// reused). The range is checked against `file_size` (the caller's fstat,
// taken once per read of many segments) before anything is allocated, so a
// damaged index cannot make this allocate more than the file holds (an error
// naming the file, its size and the range); a short read is an error naming
// the file.
Status read_exact(int fd, uint64_t file_size, uint64_t offset, uint64_t length,
                  const std::string& path, std::vector<uint8_t>& buffer);

}  // namespace theater::chain::segment
