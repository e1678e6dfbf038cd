// A bounds-checked window on one instance's linear memory, valid for the
// duration of one host call or task turn (memory.grow or cabi_realloc may move
// the memory: take a fresh view after calling into the guest).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

#include "common/result.h"

namespace theater::wasm {

class MemoryView {
 public:
  MemoryView() = default;
  MemoryView(uint8_t* base, uint64_t size) : base_(base), size_(size) {}

  uint64_t size() const { return size_; }
  uint8_t* base() const { return base_; }

  bool in_bounds(uint64_t ptr, uint64_t len) const { return ptr <= size_ && len <= size_ - ptr; }

  // The bytes [ptr, ptr+len), or an error naming both and the memory size.
  Result<std::span<uint8_t>> bytes(uint64_t ptr, uint64_t len) const {
    if (!in_bounds(ptr, len)) return out_of_bounds(ptr, len);
    return std::span<uint8_t>(base_ + ptr, len);
  }

  // Little-endian load/store of a trivially copyable value (wasm is LE, so is x86-64).
  template <class T>
  Result<T> load(uint64_t ptr) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!in_bounds(ptr, sizeof(T))) return out_of_bounds(ptr, sizeof(T));
    T value;
    std::memcpy(&value, base_ + ptr, sizeof(T));
    return value;
  }

  template <class T>
  Status store(uint64_t ptr, const T& value) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!in_bounds(ptr, sizeof(T))) return out_of_bounds(ptr, sizeof(T));
    std::memcpy(base_ + ptr, &value, sizeof(T));
    return {};
  }

  Status write(uint64_t ptr, std::span<const uint8_t> data) const {
    if (!in_bounds(ptr, data.size())) return out_of_bounds(ptr, data.size());
    if (!data.empty()) std::memcpy(base_ + ptr, data.data(), data.size());
    return {};
  }

 private:
  Error out_of_bounds(uint64_t ptr, uint64_t len) const {
    return make_error(ErrorCode::kInvalidArgument,
                      "guest memory access out of bounds: pointer " + std::to_string(ptr) +
                          " length " + std::to_string(len) + " exceeds memory size " +
                          std::to_string(size_));
  }

  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace theater::wasm
