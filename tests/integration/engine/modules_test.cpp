// Loading modules: the cache, memory limits, and every way a module or its
// imports can be wrong.
#include "engine_fixture.h"
#include "test_imports.h"

namespace theater::wasm::testing {
namespace {

using std::chrono::seconds;

class ModulesTest : public EngineTest {
 protected:
  Error compile_error(std::vector<uint8_t> bytes) {
    auto module = engine().compile(bytes);
    EXPECT_FALSE(module.ok());
    return module.ok() ? Error{} : module.error();
  }
  Error instantiate_error(const std::string& guest, std::shared_ptr<const HostImports> imports,
                          InstanceOptions options = {}) {
    auto instance = engine().instantiate(compile(guest), std::move(imports), options);
    EXPECT_FALSE(instance.ok());
    return instance.ok() ? Error{} : instance.error();
  }
  int32_t call_i32(Instance& instance, const std::string& name, std::vector<Value> args) {
    auto r = instance.call(name, std::move(args), seconds(10));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? (*r)[0].as_i32() : INT32_MIN;
  }
};

TEST_F(ModulesTest, TheSameBytesCompileOnce) {
  // A custom section makes these bytes new to the cache.
  std::vector<uint8_t> bytes = read_guest("engine_multivalue");
  const std::string tag =
      "cache-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed());
  bytes.insert(bytes.end(),
               {0x00, static_cast<uint8_t>(tag.size() + 1), static_cast<uint8_t>(tag.size())});
  bytes.insert(bytes.end(), tag.begin(), tag.end());
  const auto before = engine().stats();
  auto first = engine().compile(bytes);
  auto second = engine().compile(bytes);
  ASSERT_TRUE(first.ok() && second.ok()) << (first.ok() ? second.error() : first.error()).message;
  EXPECT_EQ(first->get(), second->get());
  const auto after = engine().stats();
  EXPECT_EQ(after.module_cache_misses - before.module_cache_misses, 1u);
  EXPECT_EQ(after.module_cache_hits - before.module_cache_hits, 1u);
  EXPECT_EQ((*first)->sha256_hex().size(), 64u);
  // Instances on both isolates share the compiled module.
  auto a = engine().instantiate(*first, nullptr, {});
  auto b = engine().instantiate(*second, nullptr, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->isolate_index(), (*b)->isolate_index());
}

TEST_F(ModulesTest, MemoryGrowthStopsAtTheInstanceLimitInsideTheGuest) {
  InstanceOptions options;
  options.max_memory_bytes = 4 * kWasmPageSize;
  auto instance = instantiate("engine_basics", test_imports(), options);
  const int32_t pages = call_i32(*instance, "pages", {});
  ASSERT_LE(pages, 4);
  EXPECT_EQ(call_i32(*instance, "grow", {Value::i32(4 - pages)}), pages);
  EXPECT_EQ(call_i32(*instance, "grow", {Value::i32(1)}), -1);  // refused in the guest
  EXPECT_EQ(call_i32(*instance, "pages", {}), 4);
}

TEST_F(ModulesTest, ADeclaredMaximumBelowTheLimitIsKept) {
  auto instance = instantiate("engine_memory_max2", nullptr);
  EXPECT_EQ(call_i32(*instance, "pages", {}), 1);
  EXPECT_EQ(call_i32(*instance, "grow", {Value::i32(1)}), 1);
  EXPECT_EQ(call_i32(*instance, "grow", {Value::i32(1)}), -1);
}

TEST_F(ModulesTest, AnImportedMemoryWithoutMaximumIsCapped) {
  InstanceOptions options;
  options.max_memory_bytes = 3 * kWasmPageSize;
  auto instance = instantiate("engine_imported_memory", nullptr, options);
  EXPECT_EQ(call_i32(*instance, "grow", {Value::i32(2)}), 1);
  EXPECT_EQ(call_i32(*instance, "grow", {Value::i32(1)}), -1);
  ASSERT_TRUE(
      instance->call("store", {Value::i32(3 * 65536 - 1), Value::i32(9)}, seconds(10)).ok());
  EXPECT_EQ(call_i32(*instance, "load", {Value::i32(3 * 65536 - 1)}), 9);
}

TEST_F(ModulesTest, InitialMemoryAboveTheLimitIsRefused) {
  Error error = instantiate_error("engine_huge_memory", nullptr);
  EXPECT_EQ(error.code, ErrorCode::kResourceExhausted);
  EXPECT_NE(error.message.find("60000 pages"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("limit"), std::string::npos) << error.message;
}

TEST_F(ModulesTest, NotWasmAtAll) {
  Error error = compile_error({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message.find("magic"), std::string::npos) << error.message;
  EXPECT_NE(compile_error({}).message.find("magic"), std::string::npos);
}

TEST_F(ModulesTest, ATruncatedModuleNamesItsSection) {
  std::vector<uint8_t> bytes = read_guest("engine_basics");
  bytes.resize(bytes.size() / 2);
  Error error = compile_error(bytes);
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message.find("section"), std::string::npos) << error.message;
}

TEST_F(ModulesTest, InvalidCodeIsReportedByOffsetInTheOriginalBytes) {
  // A valid header and a function body with an unknown opcode.
  std::vector<uint8_t> bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,   // type () -> ()
                                0x03, 0x02, 0x01, 0x00,                     // one function
                                0x05, 0x03, 0x01, 0x00, 0x01,               // memory 1
                                0x0a, 0x05, 0x01, 0x03, 0x00, 0xff, 0x0b};  // body: 0xff
  Error error = compile_error(bytes);
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message.find("@+28"), std::string::npos) << error.message;  // the 0xff byte
}

TEST_F(ModulesTest, AbsurdMemoryDeclarations) {
  // initial 70000 pages (over the 4 GiB wasm32 limit)
  std::vector<uint8_t> too_big = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                  0x05, 0x05, 0x01, 0x00, 0xf0, 0xa2, 0x04};
  EXPECT_NE(compile_error(too_big).message.find("65536"), std::string::npos);
  // maximum below initial
  std::vector<uint8_t> inverted = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                   0x00, 0x05, 0x04, 0x01, 0x01, 0x05, 0x02};
  EXPECT_NE(compile_error(inverted).message.find("below its initial size"), std::string::npos);
  // shared memory
  std::vector<uint8_t> shared = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                 0x00, 0x05, 0x04, 0x01, 0x03, 0x01, 0x02};
  EXPECT_NE(compile_error(shared).message.find("shared memories"), std::string::npos);
}

TEST_F(ModulesTest, AMissingImportIsNamed) {
  Error error = instantiate_error("engine_basics", std::make_shared<HostImports>());
  EXPECT_EQ(error.code, ErrorCode::kNotFound);
  EXPECT_NE(error.message.find("test.add_one (i32) -> (i32)"), std::string::npos) << error.message;
}

TEST_F(ModulesTest, AnImportTypeMismatchNamesBothTypes) {
  Error error = instantiate_error("engine_imports_i64", test_imports());
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message.find("test.add_one"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("(i64) -> (i64)"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("(i32) -> (i32)"), std::string::npos) << error.message;
}

TEST_F(ModulesTest, UnsupportedImportKindsAreNamed) {
  Error error = instantiate_error("engine_imports_global", nullptr);
  EXPECT_NE(error.message.find("global env.g"), std::string::npos) << error.message;
}

TEST_F(ModulesTest, DuplicateHostFunctionsAreRefused) {
  HostImports imports;
  HostFunction f{
      "m", "f", {}, [](HostCall&, std::span<const Value>, std::span<Value>) { return Status{}; }};
  ASSERT_TRUE(imports.add(f).ok());
  Status again = imports.add(f);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("m.f is defined twice"), std::string::npos);
}

}  // namespace
}  // namespace theater::wasm::testing
