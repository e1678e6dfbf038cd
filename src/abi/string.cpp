#include <span>

#include "abi/type_string.h"
#include "common/utf8.h"

namespace theater::abi {
namespace {

std::string string_name() {
  return "string";
}

}  // namespace

Status load_string_from_range(LiftContext& cx, GuestRange range, std::string& out) {
  THEATER_RETURN_IF_ERROR(check_range(cx.memory(), range.ptr, range.length, 1, 1, &string_name));
  THEATER_RETURN_IF_ERROR(cx.consume(range.length, &string_name));
  const uint8_t* bytes = cx.memory().base() + range.ptr;
  const size_t bad = find_invalid_utf8({bytes, range.length});
  if (bad != kValidUtf8) {
    return make_error(ErrorCode::kTrap, "invalid UTF-8 in string at byte " + std::to_string(bad) +
                                            " (string at pointer " + std::to_string(range.ptr) +
                                            " with length " + std::to_string(range.length) + ")");
  }
  out.assign(reinterpret_cast<const char*>(bytes), range.length);
  return {};
}

Result<GuestRange> store_string_into_range(LowerContext& cx, std::string_view value) {
  if (value.size() > kMaxStringByteLength) {
    return make_error(ErrorCode::kInvalidArgument,
                      "string of " + std::to_string(value.size()) +
                          " bytes exceeds the canonical ABI limit of " +
                          std::to_string(kMaxStringByteLength));
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(value.data());
  const size_t bad = find_invalid_utf8({bytes, value.size()});
  if (bad != kValidUtf8) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "host string for the guest is not valid UTF-8 at byte " + std::to_string(bad));
  }
  THEATER_ASSIGN_OR_RETURN(uint32_t ptr, cx.allocate(1, value.size(), &string_name));
  THEATER_RETURN_IF_ERROR(cx.memory().write(ptr, {bytes, value.size()}));
  return GuestRange{ptr, static_cast<uint32_t>(value.size())};
}

Result<GuestRange> load_range(const wasm::MemoryView& memory, uint32_t ptr) {
  THEATER_ASSIGN_OR_RETURN(uint32_t begin, memory.load<uint32_t>(ptr));
  THEATER_ASSIGN_OR_RETURN(uint32_t length, memory.load<uint32_t>(uint64_t{ptr} + 4));
  return GuestRange{begin, length};
}

Status store_range(const wasm::MemoryView& memory, uint32_t ptr, GuestRange range) {
  THEATER_RETURN_IF_ERROR(memory.store(ptr, range.ptr));
  return memory.store(uint64_t{ptr} + 4, range.length);
}

}  // namespace theater::abi
