#include "handlers/random/random_source.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace theater::handlers {
namespace {

// getrandom only fails on a broken kernel or seccomp policy: handing out
// anything else would be worse than stopping loudly.
void os_random(std::span<std::uint8_t> out) {
  std::size_t filled = 0;
  while (filled < out.size()) {
    const ssize_t n = ::getrandom(out.data() + filled, out.size() - filled, 0);
    if (n > 0) {
      filled += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      std::fprintf(stderr, "theater: getrandom failed: %s\n", std::strerror(errno));
      std::abort();
    }
  }
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t RandomSource::below(std::uint64_t bound) {
  // 2^64 mod bound values at the bottom would make the low results more
  // likely; draws below that threshold are rejected (fewer than half, always).
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t x = next_u64();
    if (x >= threshold) return x % bound;
  }
}

double RandomSource::unit_double() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

void SystemRandom::refill() {
  os_random(buffer_);
  used_ = 0;
}

void SystemRandom::fill(std::span<std::uint8_t> out) {
  if (out.size() >= buffer_.size()) {
    os_random(out);
    return;
  }
  std::size_t filled = 0;
  while (filled < out.size()) {
    if (used_ == buffer_.size()) refill();
    const std::size_t n = std::min(out.size() - filled, buffer_.size() - used_);
    std::memcpy(out.data() + filled, buffer_.data() + used_, n);
    // Bytes handed out are wiped: nothing drawn stays behind in the buffer.
    std::memset(buffer_.data() + used_, 0, n);
    used_ += n;
    filled += n;
  }
}

std::uint64_t SystemRandom::next_u64() {
  std::uint8_t bytes[8];
  fill(bytes);
  std::uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

SeededRandom::SeededRandom(std::uint64_t seed) {
  for (std::uint64_t& word : state_) word = splitmix64(seed);
}

std::uint64_t SeededRandom::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  // Little-endian words, so the byte sequence is the same on every host.
  std::size_t filled = 0;
  while (filled < out.size()) {
    std::uint64_t word = next_u64();
    const std::size_t n = std::min<std::size_t>(8, out.size() - filled);
    for (std::size_t i = 0; i < n; ++i, word >>= 8)
      out[filled + i] = static_cast<std::uint8_t>(word);
    filled += n;
  }
}

std::unique_ptr<RandomSource> make_random_source(std::optional<std::uint64_t> seed) {
  if (seed) return std::make_unique<SeededRandom>(*seed);
  return std::make_unique<SystemRandom>();
}

}  // namespace theater::handlers
