// Guests for the ABI tests: linear memory in a std::vector with a bump
// allocator behind cabi_realloc, and variants whose realloc lies or fails.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "abi/guest.h"

namespace theater::abi::testing {

class VectorGuest : public Guest {
 public:
  static constexpr uint32_t kPage = 65536;

  explicit VectorGuest(uint32_t size = kPage) : memory_(size, 0) {}

  Result<wasm::MemoryView> memory() override {
    return wasm::MemoryView(memory_.data(), memory_.size());
  }

  // Bump allocation from `next_`; grows memory like memory.grow, moving it
  // (a fresh buffer, the old one freed), so a stale view would be caught by ASan.
  Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                           uint32_t new_size) override {
    ++realloc_calls;
    uint64_t ptr = (next_ + align - 1) / align * align;
    const uint64_t end = ptr + new_size;
    if (end > kMaxSize) return make_error(ErrorCode::kResourceExhausted, "guest out of memory");
    if (end > memory_.size()) grow(end);
    if (old_ptr != 0) std::memcpy(memory_.data() + ptr, memory_.data() + old_ptr, old_size);
    next_ = end;
    return static_cast<uint32_t>(ptr);
  }

  // Test helpers: raw access as a hand-written guest would have.
  uint8_t* at(uint32_t ptr) { return memory_.data() + ptr; }
  uint32_t size() const { return static_cast<uint32_t>(memory_.size()); }
  template <class T>
  void put(uint32_t ptr, T value) {
    std::memcpy(at(ptr), &value, sizeof value);
  }
  template <class T>
  T get(uint32_t ptr) const {
    T value;
    std::memcpy(&value, memory_.data() + ptr, sizeof value);
    return value;
  }
  void put_bytes(uint32_t ptr, const std::string& bytes) {
    std::memcpy(at(ptr), bytes.data(), bytes.size());
  }
  std::string get_bytes(uint32_t ptr, uint32_t len) const {
    return std::string(reinterpret_cast<const char*>(memory_.data()) + ptr, len);
  }
  // Where the next allocation starts (tests lay out their own data below it).
  void set_next(uint32_t next) { next_ = next; }

  int realloc_calls = 0;
  int grows = 0;

 private:
  static constexpr uint64_t kMaxSize = 64u * kPage;

  void grow(uint64_t needed) {
    uint64_t size = memory_.size();
    while (size < needed) size += kPage;
    std::vector<uint8_t> bigger(size, 0);
    std::memcpy(bigger.data(), memory_.data(), memory_.size());
    memory_.swap(bigger);
    ++grows;
  }

  std::vector<uint8_t> memory_;
  uint64_t next_ = 32768;  // the lower half is the tests' own "static data"
};

// cabi_realloc answers a pointer past the end of memory.
class OutOfRangeReallocGuest : public VectorGuest {
 public:
  Result<uint32_t> realloc(uint32_t, uint32_t, uint32_t, uint32_t) override { return size() - 2; }
};

// cabi_realloc answers a pointer off by one from any alignment above 1.
class MisalignedReallocGuest : public VectorGuest {
 public:
  Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                           uint32_t new_size) override {
    THEATER_ASSIGN_OR_RETURN(uint32_t ptr,
                             VectorGuest::realloc(old_ptr, old_size, align, new_size + 1));
    return ptr + 1;
  }
};

// cabi_realloc traps.
class FailingReallocGuest : public VectorGuest {
 public:
  Result<uint32_t> realloc(uint32_t, uint32_t, uint32_t, uint32_t) override {
    return make_error(ErrorCode::kTrap, "wasm trap: unreachable");
  }
};

// A module without a memory export.
class MemorylessGuest : public Guest {
 public:
  Result<wasm::MemoryView> memory() override {
    return make_error(ErrorCode::kNotFound, "guest exports no memory");
  }
  Result<uint32_t> realloc(uint32_t, uint32_t, uint32_t, uint32_t) override {
    return make_error(ErrorCode::kNotFound, "guest exports no cabi_realloc");
  }
};

}  // namespace theater::abi::testing
