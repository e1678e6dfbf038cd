#include "chain/cbor_writer.h"

namespace theater::chain {

CborWriter& CborWriter::head(uint8_t major, uint64_t argument) {
  const auto initial = static_cast<uint8_t>(major << 5);
  if (argument < 24) {
    out_.push_back(initial | static_cast<uint8_t>(argument));
    return *this;
  }
  int size = 8;
  uint8_t info = 27;
  if (argument <= 0xff) {
    size = 1, info = 24;
  } else if (argument <= 0xffff) {
    size = 2, info = 25;
  } else if (argument <= 0xffffffff) {
    size = 4, info = 26;
  }
  out_.push_back(initial | info);
  for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) {
    out_.push_back(static_cast<uint8_t>(argument >> shift));  // big-endian
  }
  return *this;
}

CborWriter& CborWriter::text(std::string_view value) {
  head(3, value.size());
  out_.insert(out_.end(), value.begin(), value.end());
  return *this;
}

CborWriter& CborWriter::bytes(std::span<const uint8_t> value) {
  head(2, value.size());
  out_.insert(out_.end(), value.begin(), value.end());
  return *this;
}

CborWriter& CborWriter::sint(int64_t value) {
  if (value >= 0) return head(0, static_cast<uint64_t>(value));
  return head(1, static_cast<uint64_t>(-(value + 1)));
}

CborWriter& CborWriter::null() {
  out_.push_back(0xf6);
  return *this;
}

CborWriter& CborWriter::raw(std::span<const uint8_t> item) {
  out_.insert(out_.end(), item.begin(), item.end());
  return *this;
}

}  // namespace theater::chain
