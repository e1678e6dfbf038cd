// Nested types, spilled parameters and both return-area directions, on the
// echo guest: its echo-* exports copy the values back (export side: the
// guest returns a pointer to its return area), its relay-* exports pass them
// to host functions written with abi::host_function (import side: the guest
// passes a return pointer last and the host writes the answer there,
// placing strings and lists with the guest's cabi_realloc from inside the
// host call).
#include <limits>

#include "abi_fixture.h"

namespace theater::abi::testing {
namespace {

using ResultShape = sig::ResultShape;

std::vector<Item> sample_items() {
  Bytes large(70000);
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<uint8_t>(i % 251);
  return {Item{std::nullopt, {}}, Item{"first \xE2\x9C\x93", {1, 2, 3}}, Item{std::string(), {0}},
          Item{std::string(1000, 'q'), large}};
}

Spilled sample_spilled() {
  return Spilled{0xFE,
                 0xFFFE,
                 0xFFFFFFFEu,
                 std::numeric_limits<uint64_t>::max() - 1,
                 -128,
                 -32768,
                 -2147483647 - 1,
                 std::numeric_limits<int64_t>::min(),
                 2.5f,
                 -1e-300,
                 Char{0x1F5FF},
                 false,
                 "spilled \xE2\x9C\x93",
                 Bytes{9, 8, 7},
                 std::optional<uint32_t>(41)};
}

std::vector<ResultShape> sample_result_shapes() {
  return {ResultShape::ok(Shape(Nothing{})),
          ResultShape::ok(Shape(uint8_t{7})),
          ResultShape::ok(Shape(1.0 / 3)),
          ResultShape::ok(Shape(std::string("ok text"))),
          ResultShape::ok(Shape(-2.5f)),
          ResultShape::err("failed \xE2\x9C\x97"),
          ResultShape::err("")};
}

template <class Sig, class Tuple>
auto call_with(wasm::Instance& instance, std::string_view name, const Tuple& values) {
  return std::apply([&](const auto&... v) { return call<Sig>(instance, name, v...); }, values);
}

class NestedTest : public GuestTest {
 protected:
  NestedTest() : GuestTest("abi_echo") {}
  void TearDown() override {
    Result<uint32_t> live = call<sig::LiveBlocks>(instance(), "live-blocks");
    ASSERT_TRUE(live.ok()) << live.error().message;
    EXPECT_EQ(*live, 0u) << "guest blocks still alive after the test's calls";
  }
};

TEST_F(NestedTest, ListOfRecordsOfOptionsAndLists) {
  for (const std::vector<Item>& items : {std::vector<Item>{}, sample_items()}) {
    Result<std::vector<Item>> back = echo(instance(), "echo-items", items);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, items);
  }
}

// result<variant, string>: err's string length travels in the joined i64 slot.
TEST_F(NestedTest, ResultOfVariantOrString) {
  for (const ResultShape& value : sample_result_shapes()) {
    Result<ResultShape> back = echo(instance(), "echo-result-shape", value);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, value);
  }
}

TEST_F(NestedTest, MoreThanSixteenFlatParametersTravelInMemory) {
  using EchoSpilled = Function<sig::EchoSpilled>;
  ASSERT_EQ(EchoSpilled::kFlatParams.size(), 18u);
  const wasm::FuncType spilled_core{{wasm::ValType::kI32}, {wasm::ValType::kI32}};
  ASSERT_EQ(EchoSpilled::export_type(), spilled_core);
  const wasm::ExportInfo* exported = instance().module_info().find_export("echo-spilled");
  ASSERT_NE(exported, nullptr);
  ASSERT_EQ(exported->func_type, spilled_core) << "the guest takes one pointer";

  Result<Spilled> back = call_with<sig::EchoSpilled>(instance(), "echo-spilled", sample_spilled());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, sample_spilled());
}

// ---- the import direction ----------------------------------------------------

TEST_F(NestedTest, HostFunctionResultThroughTheGuestsReturnPointer) {
  const std::vector<Item> items = sample_items();
  Result<std::vector<Item>> back = echo(instance(), "relay-items", items);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(host_.items_seen, items) << "the host function lifted what the guest passed";
  std::vector<Item> expected(items.rbegin(), items.rend());
  for (Item& item : expected) std::reverse(item.b.begin(), item.b.end());
  EXPECT_EQ(*back, expected);
}

TEST_F(NestedTest, SpilledParametersIntoAHostFunction) {
  Result<Spilled> back = call_with<sig::EchoSpilled>(instance(), "relay-spilled", sample_spilled());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, TestHost::transform(sample_spilled()));
  EXPECT_EQ(host_.calls, 1);
}

TEST_F(NestedTest, ResultOfVariantThroughAHostFunction) {
  for (const ResultShape& value : sample_result_shapes()) {
    Result<ResultShape> back = echo(instance(), "relay-result-shape", value);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, TestHost::check(value));
  }
}

TEST_F(NestedTest, FlatHostFunction) {
  Result<uint64_t> sum =
      call<sig::AddU64>(instance(), "relay-add", std::numeric_limits<uint64_t>::max(), uint64_t{2});
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  EXPECT_EQ(*sum, 1u);  // u64 arithmetic wraps on the host as in the guest
}

}  // namespace
}  // namespace theater::abi::testing
