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

// The first event the runtime records: it binds the chain to its actor and module.
inline std::vector<uint8_t> actor_load_data(const std::string& actor_id) {
  return to_cbor_data({{"actor_id", actor_id}, {"module_sha256", std::string(64, 'a')}});
}

// A chain the way the runtime writes one: its binding first event, `events`
// sample events, then the stop event when `stopped`.
inline void append_runtime_chain(EventChain& chain, int events, bool stopped) {
  ASSERT_TRUE(chain.append("theater-runtime/actor-load", actor_load_data(chain.actor_id())).ok());
  for (int i = 0; i < events; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
  if (stopped) {
    ASSERT_TRUE(chain.append("theater-runtime/stopped", to_cbor_data({{"failed", false}})).ok());
  }
}

}  // namespace theater::chain::testing
