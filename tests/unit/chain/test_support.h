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

#include "chain/chain.h"

namespace theater::chain::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "theater-chain-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

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
