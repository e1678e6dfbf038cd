// Shared helpers for the chain tests: a temporary directory that cleans up
// after itself and a clock the test controls.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "../../support/temp_dir.h"
#include "chain/chain.h"

namespace theater::chain::testing {

using TempDir = test_support::TempDir;

// Starts at a fixed instant and advances 1 ms per reading: deterministic hashes.
class StepClock {
 public:
  explicit StepClock(uint64_t start_ms = 1700000000000) : now_(start_ms) {}
  Clock clock() {
    return [this] { return now_.fetch_add(1); };
  }

 private:
  std::atomic<uint64_t> now_;
};

// Event data like a handler's: a small CBOR map.
inline std::vector<uint8_t> sample_data(int i) {
  return to_cbor_data({{"call", "handle-stdout"}, {"index", i}, {"bytes", "some output"}});
}

}  // namespace theater::chain::testing
