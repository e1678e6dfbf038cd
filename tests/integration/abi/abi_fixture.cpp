#include "abi_fixture.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "wasm/v8/v8_engine.h"

namespace theater::abi::testing {
namespace {

std::unique_ptr<wasm::Engine> g_engine;

std::vector<uint8_t> read_guest(const std::string& name) {
  std::ifstream in(std::string(THEATER_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing guest " << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

wasm::EngineConfig engine_config() {
  wasm::EngineConfig config;
  config.isolates = 2;
  const char* mode = std::getenv("THEATER_MEMORY_MODE");
  auto parsed = wasm::parse_memory_mode(mode ? mode : "bounds-checks");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  if (parsed.ok()) config.memory_mode = *parsed;
  return config;
}

}  // namespace

wasm::Engine& engine() {
  if (!g_engine) {
    auto created = wasm::create_v8_engine(engine_config());
    if (!created.ok()) {
      std::fprintf(stderr, "no engine: %s\n", created.error().message.c_str());
      std::abort();
    }
    g_engine = std::move(*created);
  }
  return *g_engine;
}

void release_engine() {
  g_engine.reset();
}

void expect_error(const Error& error, ErrorCode code, std::initializer_list<std::string> pieces) {
  EXPECT_EQ(to_string(error.code), std::string(to_string(code))) << error.message;
  for (const std::string& piece : pieces) {
    EXPECT_NE(error.message.find(piece), std::string::npos)
        << "'" << piece << "' missing from: " << error.message;
  }
}

std::shared_ptr<wasm::Instance> GuestTest::start(const std::string& guest, TestHost& host,
                                                 std::shared_ptr<const wasm::HostImports> imports) {
  auto module = engine().compile(read_guest(guest));
  EXPECT_TRUE(module.ok()) << module.error().message;
  if (!module.ok()) return nullptr;
  wasm::InstanceOptions options;
  options.user_data = &host;
  auto instance = engine().instantiate(*module, std::move(imports), options);
  EXPECT_TRUE(instance.ok()) << instance.error().message;
  return instance.ok() ? *instance : nullptr;
}

}  // namespace theater::abi::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  theater::abi::testing::release_engine();
  theater::wasm::shutdown_engines();
  return rc;
}
