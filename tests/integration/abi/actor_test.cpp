// theater:simple/actor#init on two real actors: one built with the C guest
// SDK (add_wasm_actor), one written straight to the canonical ABI in WAT. The
// test plays the runtime: it defines theater:simple/runtime.log with
// abi::host_function and calls init with abi::call_export, typed by the WIT:
//   init: func(state: option<list<u8>>, params: tuple<string>)
//         -> result<tuple<option<list<u8>>>, string>
#include "abi_fixture.h"

namespace theater::abi::testing {
namespace {

using State = std::optional<Bytes>;
using InitResult = Outcome<std::tuple<State>, std::string>;
using Init = InitResult(State, std::tuple<std::string>);
constexpr const char* kInit = "theater:simple/actor#init";

State state_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

// runtime.log records into the instance's TestHost; WASI serves the SDK's libc.
std::shared_ptr<const wasm::HostImports> runtime_imports() {
  static const std::shared_ptr<const wasm::HostImports> imports = [] {
    auto set = std::make_shared<wasm::HostImports>();
    Status log = set->add(host_function<sig::Log>(
        "theater:simple/runtime", "log", [](wasm::HostCall& call, std::string message) {
          static_cast<TestHost*>(call.user_data())->logs.push_back(std::move(message));
        }));
    Status wasi = wasi::add_wasi_imports(
        *set, [](wasm::HostCall& call) { return &static_cast<TestHost*>(call.user_data())->wasi; });
    EXPECT_TRUE(log.ok() && wasi.ok());
    return set;
  }();
  return imports;
}

class ActorTest : public GuestTest {
 protected:
  explicit ActorTest(std::string guest) : GuestTest(std::move(guest)) {}
  void SetUp() override {
    instance_ = start(guest_, host_, runtime_imports());
    ASSERT_NE(instance_, nullptr);
  }
  Result<InitResult> init(const State& state, const std::string& actor_id) {
    return call<Init>(instance(), kInit, state, std::tuple<std::string>(actor_id));
  }
  static void expect_state(const Result<InitResult>& result, std::string_view expected) {
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_TRUE(result->is_ok()) << "init failed: " << result->error();
    EXPECT_EQ(std::get<0>(result->value()), state_of(expected));
  }
};

// Both actors implement the same init (tests/guests/abi/README.md).
class EitherActorTest : public ActorTest, public ::testing::WithParamInterface<const char*> {
 protected:
  EitherActorTest() : ActorTest(GetParam()) {}
};

TEST_P(EitherActorTest, InitAppendsTheActorIdToItsState) {
  expect_state(init(std::nullopt, "actor-1"), "|actor-1");
  expect_state(init(state_of("|a"), "b \xE2\x9C\x93"), "|a|b \xE2\x9C\x93");
}

TEST_P(EitherActorTest, InitErrorsReachTheHostAsErr) {
  Result<InitResult> result = init(state_of("kept"), "");
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_TRUE(result->is_err());
  EXPECT_NE(result->error().find("id"), std::string::npos) << result->error();
  expect_state(init(std::nullopt, "after"), "|after");  // and the actor carries on
}

// A state larger than the guest's first memory page makes both allocators
// grow memory while the host lowers it.
TEST_P(EitherActorTest, LargeStatesRoundTrip) {
  std::string big(512 * 1024, '.');
  for (size_t i = 0; i < big.size(); i += 1000) big[i] = static_cast<char>('A' + i % 26);
  expect_state(init(state_of(big), "big"), big + "|big");
}

INSTANTIATE_TEST_SUITE_P(Actors, EitherActorTest,
                         ::testing::Values("abi_sdk_actor", "abi_raw_actor"),
                         [](const auto& info) { return std::string(info.param); });

class SdkActorTest : public ActorTest {
 protected:
  SdkActorTest() : ActorTest("abi_sdk_actor") {}
};

TEST_F(SdkActorTest, InitLogsThroughTheRuntimeInterface) {
  expect_state(init(std::nullopt, "actor-1"), "|actor-1");
  expect_state(init(state_of("|actor-1"), "b"), "|actor-1|b");
  EXPECT_EQ(host_.logs, (std::vector<std::string>{"init actor-1 (state of 0 bytes)",
                                                  "init b (state of 8 bytes)"}));
}

class RawActorTest : public ActorTest {
 protected:
  RawActorTest() : ActorTest("abi_raw_actor") {}
};

// The WAT actor frees a call's whole heap in cabi_post_: the host called it.
TEST_F(RawActorTest, PostReturnResetsItsHeap) {
  expect_state(init(state_of(std::string(5000, 's')), "id"), std::string(5000, 's') + "|id");
  Result<int32_t> heap_top = call<int32_t()>(instance(), "heap-top");
  ASSERT_TRUE(heap_top.ok()) << heap_top.error().message;
  EXPECT_EQ(*heap_top, 1024);
}

}  // namespace
}  // namespace theater::abi::testing
