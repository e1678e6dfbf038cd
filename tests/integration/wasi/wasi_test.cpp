// A wasi-libc reactor on the real engine with the WASI subset: output
// becomes lines, clocks and random bytes come from the host hook, the
// environment is what was granted, proc_exit ends the call with its code.
#include "wasi/wasi.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "wasm/engine.h"
#include "wasm/v8/v8_engine.h"

namespace theater::wasi {
namespace {

using std::chrono::seconds;
using wasm::Value;

// Records output; answers clocks and random bytes deterministically.
class RecordingHost : public WasiHost {
 public:
  uint64_t now(ClockId clock) override {
    clocks_read++;
    return clock == ClockId::kRealtime ? 1'700'000'000'123'000'000ull : 42;
  }
  void random(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(0xA0 + i);
  }
  void output(Stream stream, std::string_view line) override {
    lines.emplace_back(stream == Stream::kStdout ? "out: " : "err: ", line);
  }
  std::vector<std::pair<std::string, std::string>> lines;
  int clocks_read = 0;
};

class WasiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    wasm::EngineConfig config;
    config.isolates = 1;
    engine_ = std::move(*wasm::create_v8_engine(config));
  }
  static void TearDownTestSuite() {
    engine_.reset();
    wasm::shutdown_engines();
  }

  void SetUp() override {
    auto imports = std::make_shared<wasm::HostImports>();
    ASSERT_TRUE(add_wasi_imports(*imports, [](wasm::HostCall& call) {
                  return static_cast<WasiContext*>(call.user_data());
                }).ok());
    std::ifstream in(std::string(THEATER_WASM_DIR) + "/wasi_libc_user.wasm", std::ios::binary);
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                               std::istreambuf_iterator<char>()};
    auto module = engine_->compile(bytes);
    ASSERT_TRUE(module.ok()) << module.error().message;
    wasm::InstanceOptions options;
    options.user_data = &context_;
    auto instance = engine_->instantiate(*module, imports, options);
    ASSERT_TRUE(instance.ok()) << instance.error().message;
    instance_ = *instance;
  }

  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args = {}) {
    return instance_->call(name, std::move(args), seconds(10));
  }

  static inline std::unique_ptr<wasm::Engine> engine_;
  RecordingHost host_;
  WasiContext context_{host_, {{"GREETING", "hello there"}}};
  std::shared_ptr<wasm::Instance> instance_;
};

TEST_F(WasiTest, PrintfOutputArrivesLineByLine) {
  auto r = call("say", {Value::i32(2)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<std::pair<std::string, std::string>> expected = {
      {"out: ", "line 1 of 2"}, {"out: ", "line 2 of 2"}, {"err: ", "a warning"}, {"out: ", ""}};
  EXPECT_EQ(host_.lines, expected);
  context_.flush();  // the instance ends: the unterminated rest is a line too
  ASSERT_EQ(host_.lines.size(), 5u);
  EXPECT_EQ(host_.lines.back(), std::make_pair(std::string("out: "), std::string("unterminated")));
}

TEST_F(WasiTest, ClocksComeFromTheHostHook) {
  auto r = call("clock_ms");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0], Value::i64(1'700'000'000'123ll));
  EXPECT_GE(host_.clocks_read, 1);
}

TEST_F(WasiTest, MallocWorks) {
  auto r = call("heap", {Value::i32(100)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  long expected = 0;
  for (int i = 0; i < 100; ++i) expected += i + 999;
  EXPECT_EQ((*r)[0], Value::i32(static_cast<int32_t>(expected)));
}

TEST_F(WasiTest, TheEnvironmentIsOnlyWhatWasGranted) {
  auto r = call("greeting_length");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0], Value::i32(11));
}

TEST_F(WasiTest, RandomBytesComeFromTheHostHook) {
  auto r = call("random_u32");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].as_u32(), 0xA3A2A1A0u);
}

TEST_F(WasiTest, UnsupportedFunctionsAnswerWithErrnoNotATrap) {
  auto r = call("unsupported_errnos");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0], Value::i32(8 * 1000 + 52));  // EBADF, ENOSYS
}

TEST_F(WasiTest, ExitEndsTheCallWithItsCode) {
  auto r = call("quit", {Value::i32(3)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kExited);
  EXPECT_NE(r.error().message.find("proc_exit(3)"), std::string::npos) << r.error().message;
  EXPECT_EQ(context_.exit_code(), 3);
}

}  // namespace
}  // namespace theater::wasi
