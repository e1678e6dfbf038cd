#include <cstdlib>

#include "engine_fixture.h"

namespace theater::wasm::testing {

MemoryMode test_memory_mode() {
  const char* mode = std::getenv("THEATER_MEMORY_MODE");
  auto parsed = parse_memory_mode(mode ? mode : "bounds-checks");
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.error().message;
    return MemoryMode::kBoundsChecks;
  }
  return *parsed;
}

EngineConfig test_engine_config() {
  EngineConfig config;
  config.isolates = 2;
  config.memory_mode = test_memory_mode();
  return config;
}

void EngineTest::SetUpTestSuite() {
  if (engine_) return;
  auto engine = create_v8_engine(test_engine_config());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  engine_ = std::move(*engine);
}

void EngineTest::TearDownTestSuite() {}

}  // namespace theater::wasm::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  int rc = RUN_ALL_TESTS();
  theater::wasm::testing::EngineTest::engine_.reset();
  theater::wasm::shutdown_engines();
  return rc;
}
