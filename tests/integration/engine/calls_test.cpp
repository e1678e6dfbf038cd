// Calling exports and host functions: values, traps, errors.
#include "engine_fixture.h"
#include "test_imports.h"

namespace theater::wasm::testing {
namespace {

using std::chrono::seconds;

class CallsTest : public EngineTest {
 protected:
  void SetUp() override { instance_ = instantiate("engine_basics", test_imports()); }
  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args) {
    return instance_->call(name, std::move(args), seconds(10));
  }
  std::shared_ptr<Instance> instance_;
};

TEST_F(CallsTest, PassesAndReturnsEveryCoreType) {
  auto sum = call("add", {Value::i32(40), Value::i32(2)});
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  EXPECT_EQ((*sum)[0], Value::i32(42));

  auto big = call("add64", {Value::i64(1ll << 40), Value::i64(-5)});
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ((*big)[0], Value::i64((1ll << 40) - 5));

  auto product = call("mulf", {Value::f64(1.5), Value::f32(4.0f)});
  ASSERT_TRUE(product.ok()) << product.error().message;
  EXPECT_EQ((*product)[0], Value::f64(6.0));

  auto nothing = call("noop", {});
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());
}

TEST_F(CallsTest, MultiValueResults) {
  auto instance = instantiate("engine_multivalue", nullptr);
  auto swapped = instance->call("swap", {Value::i32(7), Value::i64(-9)}, seconds(10));
  ASSERT_TRUE(swapped.ok()) << swapped.error().message;
  ASSERT_EQ(swapped->size(), 2u);
  EXPECT_EQ((*swapped)[0], Value::i64(-9));
  EXPECT_EQ((*swapped)[1], Value::i32(7));
}

TEST_F(CallsTest, StateLivesInTheInstance) {
  EXPECT_EQ((*call("bump", {}))[0], Value::i32(1));
  EXPECT_EQ((*call("bump", {}))[0], Value::i32(2));
  auto other = instantiate("engine_basics", test_imports());
  EXPECT_EQ((*other->call("bump", {}, seconds(10)))[0], Value::i32(1));
}

TEST_F(CallsTest, WrongArgumentsAreRejectedBeforeCalling) {
  auto missing = call("add", {Value::i32(1)});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("(i32, i32) -> (i32)"), std::string::npos)
      << missing.error().message;

  auto wrong_type = call("add", {Value::i32(1), Value::i64(2)});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("called with (i32, i64)"), std::string::npos);

  auto unknown = call("no_such_export", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("no_such_export"), std::string::npos);
}

struct TrapCase {
  const char* export_name;
  std::vector<Value> args;
  const char* expected;  // part of V8's message
};

TEST_F(CallsTest, TrapsBecomeErrorsAndTheInstanceKeepsWorking) {
  const TrapCase cases[] = {
      {"trap_unreachable", {}, "unreachable"},
      {"trap_oob", {}, "memory access out of bounds"},
      {"divide", {Value::i32(1), Value::i32(0)}, "divide by zero"},
  };
  for (const TrapCase& c : cases) {
    EXPECT_EQ((*call("set_counter", {Value::i32(5)})).size(), 0u);
    auto result = call(c.export_name, c.args);
    ASSERT_FALSE(result.ok()) << c.export_name << " did not trap";
    EXPECT_EQ(result.error().code, ErrorCode::kTrap) << result.error().message;
    EXPECT_NE(result.error().message.find(c.expected), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find(c.export_name), std::string::npos)
        << result.error().message;
    // Same instance, same isolate: still works, state intact.
    auto after = call("bump", {});
    ASSERT_TRUE(after.ok()) << after.error().message;
    EXPECT_EQ((*after)[0], Value::i32(6)) << "after " << c.export_name;
  }
}

TEST_F(CallsTest, StackOverflowIsATrapAndTheIsolateKeepsWorking) {
  auto instance = instantiate("engine_multivalue", nullptr);
  auto result = instance->call("recurse_forever", {Value::i32(0)}, seconds(10));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kTrap);
  EXPECT_NE(result.error().message.find("Maximum call stack size exceeded"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(instance->call("swap", {Value::i32(1), Value::i64(2)}, seconds(10)).ok());
  EXPECT_TRUE(call("noop", {}).ok());
}

TEST_F(CallsTest, HostFunctionsAreCalledWithTheirArguments) {
  auto result = call("call_add_one", {Value::i32(41)});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ((*result)[0], Value::i32(42));
  auto looped = call("call_add_one_n", {Value::i32(1000)});
  ASSERT_TRUE(looped.ok());
  EXPECT_EQ((*looped)[0], Value::i32(1000));
}

TEST_F(CallsTest, AHostErrorEndsTheCallWithItsCodeAndName) {
  auto result = call("call_fail", {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(result.error().message.find("test.fail"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("the host says no"), std::string::npos);
  EXPECT_TRUE(call("noop", {}).ok());
}

TEST_F(CallsTest, TasksSeeMemoryThroughABoundsCheckedView) {
  Status ran = instance_->run(
      [](InstanceContext& context) {
        auto memory = context.memory();
        ASSERT_TRUE(memory.ok());
        ASSERT_TRUE(memory->store<uint8_t>(1000, 77).ok());
        auto read = context.call("read_byte", {Value::i32(1000)});
        ASSERT_TRUE(read.ok());
        EXPECT_EQ((*read)[0], Value::i32(77));
        auto outside = memory->load<uint32_t>(memory->size() - 2);
        ASSERT_FALSE(outside.ok());
        EXPECT_NE(outside.error().message.find("out of bounds"), std::string::npos);
      },
      seconds(10));
  ASSERT_TRUE(ran.ok()) << ran.error().message;
}

TEST_F(CallsTest, WaitingOnAnInstanceFromInsideATaskIsRefused) {
  std::optional<Error> refused;
  Status ran = instance_->run(
      [&](InstanceContext&) {
        auto nested = instance_->call("noop", {}, seconds(1));
        if (!nested.ok()) refused = nested.error();
      },
      seconds(10));
  ASSERT_TRUE(ran.ok());
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code, ErrorCode::kFailedPrecondition);
}

TEST_F(CallsTest, ClosedInstancesRefuseWork) {
  instance_->close();
  auto result = call("noop", {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace theater::wasm::testing
