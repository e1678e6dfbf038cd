// CborWriter: builds event data (CBOR, RFC 8949) directly, for the hot paths
// that record an event per callback. Its output is byte-for-byte what
// to_cbor_data makes of the equivalent JSON value (shortest lengths, definite
// sizes, binary values as byte strings), without building that value first.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace theater::chain {

class CborWriter {
 public:
  CborWriter() = default;
  // Reserves room for `bytes` bytes of output.
  explicit CborWriter(size_t bytes) { out_.reserve(bytes); }

  CborWriter& map(uint64_t entries) { return head(5, entries); }
  CborWriter& array(uint64_t items) { return head(4, items); }
  CborWriter& text(std::string_view value);
  CborWriter& bytes(std::span<const uint8_t> value);
  CborWriter& uint(uint64_t value) { return head(0, value); }
  CborWriter& sint(int64_t value);
  CborWriter& null();
  // One complete CBOR item encoded elsewhere (e.g. a handler's record).
  CborWriter& raw(std::span<const uint8_t> item);

  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  CborWriter& head(uint8_t major, uint64_t argument);
  std::vector<uint8_t> out_;
};

}  // namespace theater::chain
