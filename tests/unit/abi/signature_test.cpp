// Core signatures of functions from /work/shared/wit, worked out by hand from
// flatten_functype (MAX_FLAT_PARAMS 16, MAX_FLAT_RESULTS 1).
#include <gtest/gtest.h>

#include "test_types.h"

namespace theater::abi::testing {
namespace {

constexpr ValType i32 = ValType::kI32, i64 = ValType::kI64, f64 = ValType::kF64;
using Bytes = std::vector<uint8_t>;

// process.os-spawn: func(config: process-config) -> result<u64, string>
using OsSpawn = Function<Outcome<uint64_t, std::string>(ProcessConfig)>;
// runtime.log: func(msg: string)
using Log = Function<void(std::string)>;
// runtime.get-chain: func() -> list<chain-event>
using GetChain = Function<std::vector<ChainEvent>()>;
// runtime.shutdown: func(data: option<list<u8>>) -> result<_, string>
using Shutdown = Function<Outcome<Unit, std::string>(std::optional<Bytes>)>;
// process.os-write-stdin: func(pid: u64, data: list<u8>) -> result<u32, string>
using OsWriteStdin = Function<Outcome<uint32_t, std::string>(uint64_t, Bytes)>;
// process.os-status: func(pid: u64) -> result<process-status, string>
using OsStatus = Function<Outcome<ProcessStatus, std::string>(uint64_t)>;
// process.os-signal: func(pid: u64, signal: u32) -> result<_, string>
using OsSignal = Function<Outcome<Unit, std::string>(uint64_t, uint32_t)>;
// actor.init: func(state: option<list<u8>>, params: tuple<string>) ->
// result<tuple<option<list<u8>>>, string>
using Init = Function<CallbackResult(State, std::tuple<std::string>)>;
// process-handlers.handle-stdout: func(state: option<list<u8>>, params: tuple<u64, list<u8>>) ->
// ...
using HandleStdout = Function<CallbackResult(State, std::tuple<uint64_t, Bytes>)>;
// process-handlers.handle-exit: func(state: option<list<u8>>, params: tuple<u64, s32>) -> ...
using HandleExit = Function<CallbackResult(State, std::tuple<uint64_t, int32_t>)>;

wasm::FuncType sig(std::vector<ValType> params, std::vector<ValType> results) {
  return {std::move(params), std::move(results)};
}

TEST(AbiSignature, OsSpawnHasExactlySixteenFlatParamsPlusRetptr) {
  // program 2, args 2, cwd 3, env 2, buffer-size 1, stdout-mode 1, stderr-mode 1,
  // chunk-size 2, execution-timeout (i32, i64) 2 = 16: not spilled.
  // result<u64, string> flattens to (i32, i64, i32): 3 > 1, so a return pointer.
  std::vector<ValType> config(15, i32);
  config.push_back(i64);
  std::vector<ValType> with_retptr = config;
  with_retptr.push_back(i32);
  EXPECT_FALSE(OsSpawn::kParamsInMemory);
  EXPECT_TRUE(OsSpawn::kResultsInMemory);
  EXPECT_EQ(OsSpawn::import_type(), sig(with_retptr, {}));
  EXPECT_EQ(OsSpawn::export_type(), sig(config, {i32}));
  EXPECT_EQ(OsSpawn::post_return_type(), sig({i32}, {}));
}

TEST(AbiSignature, RuntimeFunctions) {
  EXPECT_EQ(Log::import_type(), sig({i32, i32}, {}));
  EXPECT_EQ(Log::export_type(), sig({i32, i32}, {}));
  EXPECT_EQ(Log::post_return_type(), sig({}, {}));
  // list<chain-event> is (i32, i32): 2 results -> retptr on import, pointer on export.
  EXPECT_EQ(GetChain::import_type(), sig({i32}, {}));
  EXPECT_EQ(GetChain::export_type(), sig({}, {i32}));
  EXPECT_EQ(Shutdown::import_type(), sig({i32, i32, i32, i32}, {}));
}

TEST(AbiSignature, ProcessFunctions) {
  EXPECT_EQ(OsWriteStdin::import_type(), sig({i64, i32, i32, i32}, {}));
  // result<process-status, string>: (i32; join(i64,i32)=i64, i32, i32, i32, i64).
  EXPECT_EQ(OsStatus::import_type(), sig({i64, i32}, {}));
  EXPECT_EQ(OsStatus::export_type(), sig({i64}, {i32}));
  EXPECT_EQ(OsSignal::import_type(), sig({i64, i32, i32}, {}));
}

TEST(AbiSignature, ActorAndHandlerExports) {
  // init: option<list<u8>> (i32, i32, i32) + tuple<string> (i32, i32);
  // result<tuple<option<list<u8>>>, string> is 4 flat values -> returned pointer.
  EXPECT_EQ(Init::export_type(), sig({i32, i32, i32, i32, i32}, {i32}));
  EXPECT_EQ(Init::post_return_type(), sig({i32}, {}));
  EXPECT_EQ(HandleStdout::export_type(), sig({i32, i32, i32, i64, i32, i32}, {i32}));
  EXPECT_EQ(HandleExit::export_type(), sig({i32, i32, i32, i64, i32}, {i32}));
}

TEST(AbiSignature, ScalarResultsStayFlat) {
  EXPECT_EQ((Function<uint64_t(uint32_t, double)>::import_type()), sig({i32, f64}, {i64}));
  EXPECT_EQ((Function<bool()>::export_type()), sig({}, {i32}));
  EXPECT_EQ((Function<std::optional<Unit>()>::export_type()), sig({}, {i32}));
}

TEST(AbiSignature, MoreThanSixteenFlatParamsSpillToOnePointer) {
  using Exactly16 = Function<void(Sixteen)>;
  using Seventeen = Function<uint32_t(Sixteen, uint8_t)>;
  EXPECT_EQ(Exactly16::import_type(), sig(std::vector<ValType>(16, i32), {}));
  EXPECT_TRUE(Seventeen::kParamsInMemory);
  EXPECT_EQ(Seventeen::import_type(), sig({i32}, {i32}));
  EXPECT_EQ(Seventeen::export_type(), sig({i32}, {i32}));
  // Spilled params and a return pointer together.
  using Both = Function<std::string(Sixteen, uint8_t)>;
  EXPECT_EQ(Both::import_type(), sig({i32, i32}, {}));
  EXPECT_EQ(Both::export_type(), sig({i32}, {i32}));
}

TEST(AbiSignature, PostReturnName) {
  EXPECT_EQ(post_return_name("theater:simple/actor#init"), "cabi_post_theater:simple/actor#init");
}

}  // namespace
}  // namespace theater::abi::testing
