// C++ types for the WIT types that have no natural standard counterpart:
// char, `_` (no payload), result<T, E> and flags. The rest of the mapping uses
// standard types (see README.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <variant>

namespace theater::abi {

// WIT `char`: one Unicode scalar value (never a surrogate, at most 0x10FFFF).
struct Char {
  char32_t value = 0;
  bool operator==(const Char&) const = default;
};

// WIT `_`: the missing payload of result<_, E> / result<T, _>. Any empty class
// works as a payload-less case too (e.g. `struct Raw {};` in a variant).
struct Unit {
  bool operator==(const Unit&) const = default;
};

// WIT result<T, E>: ok(T) is case 0, err(E) is case 1, as in the spec.
template <class T, class E>
class Outcome {
 public:
  Outcome() = default;  // ok(T{})
  static Outcome ok(T value = T{}) { return Outcome(std::in_place_index<0>, std::move(value)); }
  static Outcome err(E error) { return Outcome(std::in_place_index<1>, std::move(error)); }

  bool is_ok() const { return cases_.index() == 0; }
  bool is_err() const { return !is_ok(); }

  T& value() { return checked<0>(); }
  const T& value() const { return const_cast<Outcome*>(this)->checked<0>(); }
  E& error() { return checked<1>(); }
  const E& error() const { return const_cast<Outcome*>(this)->checked<1>(); }

  // Index-based access for the ABI layer (T and E may be the same type).
  std::variant<T, E>& cases() { return cases_; }
  const std::variant<T, E>& cases() const { return cases_; }

  bool operator==(const Outcome&) const = default;

 private:
  template <size_t I, class V>
  Outcome(std::in_place_index_t<I> index, V&& v) : cases_(index, std::forward<V>(v)) {}

  template <size_t I>
  auto& checked() {
    if (cases_.index() != I) {
      std::fprintf(stderr, "theater: broken invariant: Outcome::%s() on an %s\n",
                   I == 0 ? "value" : "error", I == 0 ? "err" : "ok");
      std::abort();
    }
    return *std::get_if<I>(&cases_);
  }

  std::variant<T, E> cases_;
};

// WIT flags with N labels: bit i is label i, in declaration order.
template <size_t N>
class Flags {
  static_assert(N >= 1, "WIT flags have at least one label");

 public:
  static constexpr size_t kBits = N;
  static constexpr size_t kWords = (N + 31) / 32;

  Flags() = default;

  // For up to 64 labels: bit i of `bits` is label i; bits past N are dropped.
  static Flags from_bits(uint64_t bits) {
    static_assert(N <= 64, "use set() for flags with more than 64 labels");
    Flags f;
    for (size_t w = 0; w < kWords; ++w) f.words_[w] = static_cast<uint32_t>(bits >> (32 * w));
    f.clear_unused_bits();
    return f;
  }
  uint64_t to_bits() const {
    static_assert(N <= 64, "use test() for flags with more than 64 labels");
    uint64_t bits = 0;
    for (size_t w = 0; w < kWords; ++w) bits |= uint64_t{words_[w]} << (32 * w);
    return bits;
  }

  bool test(size_t label) const { return label < N && (words_[label / 32] >> (label % 32)) & 1; }
  Flags& set(size_t label, bool on = true) {
    if (label >= N) return *this;
    const uint32_t mask = uint32_t{1} << (label % 32);
    words_[label / 32] = on ? (words_[label / 32] | mask) : (words_[label / 32] & ~mask);
    return *this;
  }

  // The spec's i32 words, lowest labels first.
  uint32_t word(size_t w) const { return words_[w]; }
  void set_word(size_t w, uint32_t bits) {
    words_[w] = bits;
    clear_unused_bits();
  }

  bool operator==(const Flags&) const = default;

 private:
  // Bits past the last label carry nothing (the spec ignores them on lifting).
  void clear_unused_bits() {
    if constexpr (N % 32 != 0) words_[kWords - 1] &= (uint32_t{1} << (N % 32)) - 1;
  }

  std::array<uint32_t, kWords> words_{};
};

}  // namespace theater::abi
