// Where an actor's random values come from: the OS's CSPRNG, or, when its
// manifest sets a seed, a deterministic generator, so that a seeded actor
// draws the same sequence on every run (through the WIT and WASI alike).
//
// The seeded generator is xoshiro256** (Blackman and Vigna, 2018) with its
// state expanded from the seed by splitmix64, the seeding its authors
// recommend: it passes BigCrush and PractRand, is a few instructions per
// value, has no dependency, and its sequence is fixed by its published
// definition, so a recorded seed reproduces a run on any machine. It is not
// cryptographic: a seeded actor's values are predictable by design, which is
// what replay and tests want; without a seed the values are the kernel's
// (getrandom), unpredictable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace theater::handlers {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
  virtual std::uint64_t next_u64() = 0;

  // A value in [0, bound), bound > 0, without modulo bias (rejection sampling).
  std::uint64_t below(std::uint64_t bound);
  // A value in [0, 1) with 53 random bits (every double of the form k * 2^-53).
  double unit_double();
};

// The OS's CSPRNG (getrandom), read ahead in small blocks so that a short
// draw costs no system call.
class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
  std::uint64_t next_u64() override;

 private:
  void refill();
  std::array<std::uint8_t, 256> buffer_{};
  std::size_t used_ = buffer_.size();  // nothing read ahead yet
};

// xoshiro256**, seeded through splitmix64 (see above).
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed);
  void fill(std::span<std::uint8_t> out) override;
  std::uint64_t next_u64() override;

 private:
  std::array<std::uint64_t, 4> state_{};
};

std::unique_ptr<RandomSource> make_random_source(std::optional<std::uint64_t> seed);

}  // namespace theater::handlers
