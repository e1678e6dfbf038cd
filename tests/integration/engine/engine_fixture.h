// Shared setup for the engine tests: one engine per test binary, in the
// memory mode CTest chose (THEATER_MEMORY_MODE), and helpers to load guests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wasm/engine.h"
#include "wasm/v8/v8_engine.h"

namespace theater::wasm {
// Readable values in test failure messages.
inline void PrintTo(const Value& value, std::ostream* out) {
  *out << value.to_string();
}
}  // namespace theater::wasm

namespace theater::wasm::testing {

inline std::vector<uint8_t> read_guest(const std::string& name) {
  std::ifstream in(std::string(THEATER_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing guest " << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The memory mode of this test process (V8 allows one per process).
MemoryMode test_memory_mode();
EngineConfig test_engine_config();

class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  std::shared_ptr<Module> compile(const std::string& guest) {
    auto module = engine().compile(read_guest(guest));
    EXPECT_TRUE(module.ok()) << module.error().message;
    return module.ok() ? *module : nullptr;
  }
  std::shared_ptr<Instance> instantiate(const std::string& guest,
                                        std::shared_ptr<const HostImports> imports,
                                        InstanceOptions options = {}) {
    auto instance = engine().instantiate(compile(guest), std::move(imports), options);
    EXPECT_TRUE(instance.ok()) << instance.error().message;
    return instance.ok() ? *instance : nullptr;
  }
  static Engine& engine() { return *engine_; }

 public:
  static inline std::unique_ptr<Engine> engine_;
};

}  // namespace theater::wasm::testing
