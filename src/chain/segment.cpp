#include "chain/segment.h"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "common/little_endian.h"

namespace theater::chain::segment {
namespace {

constexpr uint8_t kHasParent = 1;
constexpr uint8_t kHasDescription = 2;
// Data up to this size is copied next to its header: a separate iovec per
// small event would cost more than the copy.
constexpr size_t kInlineData = 512;

size_t fixed_bytes(const Event& event) {
  return sizeof(EventHash) + 1 + (event.parent_hash ? sizeof(EventHash) : 0) + 8 + 4 +
         event.event_type.size() + (event.description ? 4 + event.description->size() : 0) + 4;
}

// Bounds-checked little-endian reads over one segment.
class Cursor {
 public:
  Cursor(std::span<const uint8_t> bytes, const std::string& where) : bytes_(bytes), where_(where) {}

  Status take(size_t size, std::span<const uint8_t>& out) {
    if (bytes_.size() - at_ < size) {
      return make_error(ErrorCode::kInvalidArgument,
                        "event log segment " + where_ + " is truncated at byte " +
                            std::to_string(at_) + " of " + std::to_string(bytes_.size()));
    }
    out = bytes_.subspan(at_, size);
    at_ += size;
    return ok_status();
  }
  template <class T>
  Status take_le(T& value) {
    std::span<const uint8_t> raw;
    THEATER_RETURN_IF_ERROR(take(sizeof(T), raw));
    value = get_le<T>(raw.data());
    return ok_status();
  }
  // A u32 length, then that many bytes.
  Status take_sized(std::span<const uint8_t>& out) {
    uint32_t size = 0;
    THEATER_RETURN_IF_ERROR(take_le(size));
    return take(size, out);
  }
  Status take_string(std::string_view& out) {
    std::span<const uint8_t> raw;
    THEATER_RETURN_IF_ERROR(take_sized(raw));
    out = std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size());
    return ok_status();
  }
  Status take_hash(EventHash& out) {
    std::span<const uint8_t> raw;
    THEATER_RETURN_IF_ERROR(take(out.size(), raw));
    std::copy(raw.begin(), raw.end(), out.begin());
    return ok_status();
  }
  bool done() const { return at_ == bytes_.size(); }
  size_t position() const { return at_; }

 private:
  std::span<const uint8_t> bytes_;
  const std::string& where_;
  size_t at_ = 0;
};

// Decodes the next event as a view of the cursor's bytes.
Status decode_one(Cursor& in, EventView& event, size_t& data_position) {
  THEATER_RETURN_IF_ERROR(in.take_hash(event.hash));
  uint8_t flags = 0;
  THEATER_RETURN_IF_ERROR(in.take_le(flags));
  if (flags & kHasParent) {
    THEATER_RETURN_IF_ERROR(in.take_hash(event.parent_hash.emplace()));
  } else {
    event.parent_hash.reset();
  }
  THEATER_RETURN_IF_ERROR(in.take_le(event.timestamp_ms));
  THEATER_RETURN_IF_ERROR(in.take_string(event.event_type));
  if (flags & kHasDescription) {
    THEATER_RETURN_IF_ERROR(in.take_string(event.description.emplace()));
  } else {
    event.description.reset();
  }
  uint32_t size = 0;
  THEATER_RETURN_IF_ERROR(in.take_le(size));
  data_position = in.position();
  return in.take(size, event.data);
}

}  // namespace

size_t encoded_size(const Event& event) {
  return fixed_bytes(event) + event.data.size();
}

size_t Gather::header_bytes_for(const Event& event) {
  return fixed_bytes(event) + (event.data.size() <= kInlineData ? event.data.size() : 0);
}

void Gather::add(const Event& event) {
  const uint8_t flags =
      (event.parent_hash ? kHasParent : 0) | (event.description ? kHasDescription : 0);
  append(event.hash.data(), event.hash.size());
  append(&flags, 1);
  if (event.parent_hash) append(event.parent_hash->data(), event.parent_hash->size());
  append_le(event.timestamp_ms);
  append_le(static_cast<uint32_t>(event.event_type.size()));
  append(event.event_type.data(), event.event_type.size());
  if (event.description) {
    append_le(static_cast<uint32_t>(event.description->size()));
    append(event.description->data(), event.description->size());
  }
  append_le(static_cast<uint32_t>(event.data.size()));
  if (event.data.size() <= kInlineData) {
    append(event.data.data(), event.data.size());
  } else {
    reference(event.data);
  }
}

void Gather::append(const void* bytes, size_t size) {
  // Header bytes were reserved up front, so this never moves the buffer.
  if (buffer_.size() + size > buffer_.capacity()) std::abort();  // broken invariant
  uint8_t* at = buffer_.data() + buffer_.size();
  buffer_.insert(buffer_.end(), static_cast<const uint8_t*>(bytes),
                 static_cast<const uint8_t*>(bytes) + size);
  total_ += size;
  // Consecutive buffer bytes extend the last piece.
  if (!pieces_.empty() &&
      static_cast<uint8_t*>(pieces_.back().iov_base) + pieces_.back().iov_len == at) {
    pieces_.back().iov_len += size;
  } else {
    pieces_.push_back({at, size});
  }
}

void Gather::reference(std::span<const uint8_t> bytes) {
  pieces_.push_back({const_cast<uint8_t*>(bytes.data()), bytes.size()});
  total_ += bytes.size();
}

Status decode(std::span<const uint8_t> bytes, uint64_t count, const std::string& where,
              const DecodedVisitor& visit) {
  Cursor in(bytes, where);
  EventView event;
  for (uint64_t i = 0; i < count; ++i) {
    size_t data_position = 0;
    THEATER_RETURN_IF_ERROR(decode_one(in, event, data_position));
    THEATER_RETURN_IF_ERROR(visit(event, data_position));
  }
  if (!in.done()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "event log segment " + where + " has " +
                          std::to_string(bytes.size() - in.position()) + " bytes after its " +
                          std::to_string(count) + " events");
  }
  return ok_status();
}

Status write_all(int fd, std::vector<iovec> pieces, uint64_t offset, const std::string& path) {
  size_t first = 0;
  while (first < pieces.size()) {
    const int count = static_cast<int>(std::min<size_t>(pieces.size() - first, IOV_MAX));
    const ssize_t written = ::pwritev(fd, &pieces[first], count, static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kInternal,
                        "cannot write event file " + path + ": " + std::strerror(errno));
    }
    offset += static_cast<uint64_t>(written);
    // Skip what was written; a short write resumes inside a piece.
    auto left = static_cast<size_t>(written);
    while (first < pieces.size() && left >= pieces[first].iov_len) left -= pieces[first++].iov_len;
    if (first < pieces.size()) {
      pieces[first].iov_base = static_cast<uint8_t*>(pieces[first].iov_base) + left;
      pieces[first].iov_len -= left;
    }
  }
  return ok_status();
}

namespace {

// The index row is untrusted (a damaged or hostile index): a length past the
// file's end must be refused before it sizes an allocation.
Status check_within_file(uint64_t size, uint64_t offset, uint64_t length, const std::string& path) {
  if (offset > size || length > size - offset) {
    return make_error(ErrorCode::kInvalidArgument,
                      "event file " + path + " ends at byte " + std::to_string(size) +
                          ", but the index expects " + std::to_string(length) +
                          " bytes from byte " + std::to_string(offset));
  }
  return ok_status();
}

}  // namespace

Status read_exact(int fd, uint64_t file_size, uint64_t offset, uint64_t length,
                  const std::string& path, std::vector<uint8_t>& buffer) {
  THEATER_RETURN_IF_ERROR(check_within_file(file_size, offset, length, path));
  buffer.resize(length);
  uint64_t done = 0;
  while (done < length) {
    const ssize_t got =
        ::pread(fd, buffer.data() + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return make_error(ErrorCode::kInternal,
                        "cannot read event file " + path + ": " + std::strerror(errno));
    }
    if (got == 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        "event file " + path + " ends at byte " + std::to_string(offset + done) +
                            ", but the index expects " + std::to_string(length) +
                            " bytes from byte " + std::to_string(offset));
    }
    done += static_cast<uint64_t>(got);
  }
  return ok_status();
}

}  // namespace theater::chain::segment
