// Fuzzes the event file's segment reader: what EventLogReader does with one
// index row (read `length` bytes at `offset`, decode `count` events) over an
// event file with arbitrary contents. Either events or a clean error; never a
// crash, an over-read or an allocation the file's size does not justify.
//
// Input: count u64le | offset u64le | length u64le | the event file's bytes.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "chain/segment.h"
#include "common/little_endian.h"

namespace {

using theater::get_le;
using theater::chain::Event;
using theater::chain::EventView;
namespace segment = theater::chain::segment;

constexpr size_t kRowBytes = 3 * sizeof(uint64_t);

// The event file: one in-memory file reused by every input.
int event_file() {
  static const int fd = [] {
    const int created = ::memfd_create("theater-fuzz-events", MFD_CLOEXEC);
    if (created < 0) std::abort();
    return created;
  }();
  return fd;
}

void replace_contents(int fd, std::span<const uint8_t> bytes) {
  if (::ftruncate(fd, 0) != 0) std::abort();
  if (!bytes.empty() &&
      ::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    std::abort();
  }
}

// A decoded segment accounts for every byte: its events' encodings add up to
// it. (Not a byte comparison: the decoder ignores unknown flag bits.)
void check_sizes_add_up(std::span<const uint8_t> bytes, const std::vector<Event>& events) {
  size_t expected = 0;
  for (const Event& event : events) expected += segment::encoded_size(event);
  if (expected != bytes.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kRowBytes) return 0;
  const auto count = get_le<uint64_t>(data);
  const auto offset = get_le<uint64_t>(data + 8);
  const auto length = get_le<uint64_t>(data + 16);
  const std::span<const uint8_t> file(data + kRowBytes, size - kRowBytes);
  const std::string where = "(fuzz segment)";

  // The file's bytes as one segment, so decoding is fuzzed even when the
  // index row is out of range.
  std::vector<Event> events;
  auto keep = [&events](const EventView& view, size_t) {
    assign(events.emplace_back(), view);
    return theater::ok_status();
  };
  if (segment::decode(file, count, where, keep).ok()) check_sizes_add_up(file, events);

  const int fd = event_file();
  replace_contents(fd, file);
  std::vector<uint8_t> bytes;
  if (!segment::read_exact(fd, file.size(), offset, length, "fuzz-events", bytes).ok()) return 0;
  events.clear();
  auto keep_in_bounds = [&](const EventView& view, size_t data_position) {
    if (data_position + view.data.size() > bytes.size()) std::abort();
    assign(events.emplace_back(), view);
    return theater::ok_status();
  };
  if (segment::decode(bytes, count, where, keep_in_bounds).ok()) check_sizes_add_up(bytes, events);
  return 0;
}
