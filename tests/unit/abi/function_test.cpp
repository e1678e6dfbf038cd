// Calls in both directions, with the guest's side laid out by hand: host
// functions the guest imports (invoke) and guest exports the host calls
// (lower_args, lift_results), including spilled parameters and return areas.
#include <gtest/gtest.h>

#include "test_guest.h"
#include "test_types.h"

namespace theater::abi::testing {
namespace {

using wasm::Value;
using Bytes = std::vector<uint8_t>;

using Log = Function<void(std::string)>;
using OsSpawn = Function<Outcome<uint64_t, std::string>(ProcessConfig)>;
using Init = Function<CallbackResult(State, std::tuple<std::string>)>;
using HandleStdout = Function<CallbackResult(State, std::tuple<uint64_t, Bytes>)>;
// 1 + 2 + 1 + 2 + 2 + 1 + 2*4 = 17 flat params: spilled. Tuple layout:
// u8@0 string@4 u64@16 list@24 option<f64>@32 char@48 strings@52,60,68,76; size 88, align 8.
using Spilled =
    Function<uint64_t(uint8_t, std::string, uint64_t, std::vector<uint32_t>, std::optional<double>,
                      Char, std::string, std::string, std::string, std::string)>;

Value ptr(uint32_t p) {
  return Value::i32(static_cast<int32_t>(p));
}

TEST(AbiImport, LogLiftsTheGuestsString) {
  VectorGuest guest;
  guest.put_bytes(1000, "hello");
  std::string seen;
  std::vector<Value> args{ptr(1000), Value::i32(5)};
  Status status = Log::invoke(guest, args, {}, [&](std::string msg) { seen = std::move(msg); });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(seen, "hello");
}

// process-config laid out as a C guest would, with the flat arguments for it.
std::vector<Value> hand_written_spawn_args(VectorGuest& guest, uint32_t retptr) {
  guest.put_bytes(1000, "/bin/echo");
  guest.put_bytes(1200, "abc");
  guest.put<uint32_t>(1100, 1200);  // args[0] = "a"
  guest.put<uint32_t>(1104, 1);
  guest.put<uint32_t>(1108, 1201);  // args[1] = "bc"
  guest.put<uint32_t>(1112, 2);
  guest.put_bytes(1300, "/tmp");
  guest.put_bytes(1500, "KV");
  guest.put<uint32_t>(1400, 1500);  // env[0] = ("K", "V")
  guest.put<uint32_t>(1404, 1);
  guest.put<uint32_t>(1408, 1501);
  guest.put<uint32_t>(1412, 1);
  return {ptr(1000),        Value::i32(9),                   // program
          ptr(1100),        Value::i32(2),                   // args
          Value::i32(1),    ptr(1300),       Value::i32(4),  // cwd: some("/tmp")
          ptr(1400),        Value::i32(1),                   // env
          Value::i32(4096),                                  // buffer-size
          Value::i32(2),    Value::i32(3),                   // json, chunked
          Value::i32(1),    Value::i32(512),                 // chunk-size: some(512)
          Value::i32(0),    Value::i64(0),                   // execution-timeout: none
          ptr(retptr)};
}

TEST(AbiImport, OsSpawnLiftsTheConfigAndWritesTheResultThroughRetptr) {
  VectorGuest guest;
  const uint32_t retptr = 2048;
  std::vector<Value> args = hand_written_spawn_args(guest, retptr);
  ProcessConfig seen;
  auto spawn = [&](ProcessConfig config) {
    seen = std::move(config);
    return Outcome<uint64_t, std::string>::ok(42);
  };
  Status status = OsSpawn::invoke(guest, args, {}, spawn);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(seen, (ProcessConfig{"/bin/echo",
                                 {"a", "bc"},
                                 "/tmp",
                                 {{"K", "V"}},
                                 4096,
                                 Json{},
                                 Chunked{},
                                 512,
                                 std::nullopt}));
  EXPECT_EQ(guest.get<uint8_t>(retptr), 0);  // ok
  EXPECT_EQ(guest.get<uint64_t>(retptr + 8), 42u);

  status = OsSpawn::invoke(guest, args, {}, [](ProcessConfig) {
    return Outcome<uint64_t, std::string>::err("no such program");
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(guest.get<uint8_t>(retptr), 1);  // err
  const uint32_t text = guest.get<uint32_t>(retptr + 8);
  ASSERT_EQ(guest.get<uint32_t>(retptr + 12), 15u);
  EXPECT_EQ(guest.get_bytes(text, 15), "no such program");
}

TEST(AbiImport, SpilledParamsAreReadFromTheGuestsTuple) {
  VectorGuest guest;
  const uint32_t tuple = 4096;
  guest.put_bytes(5000, "stringABCD");
  guest.put<uint32_t>(5100, 10);
  guest.put<uint32_t>(5104, 20);
  guest.put<uint8_t>(tuple + 0, 7);
  guest.put<uint32_t>(tuple + 4, 5000);  // "string"
  guest.put<uint32_t>(tuple + 8, 6);
  guest.put<uint64_t>(tuple + 16, 1ull << 40);
  guest.put<uint32_t>(tuple + 24, 5100);  // [10, 20]
  guest.put<uint32_t>(tuple + 28, 2);
  guest.put<uint8_t>(tuple + 32, 1);  // some(2.5)
  guest.put<double>(tuple + 40, 2.5);
  guest.put<uint32_t>(tuple + 48, U'\u00e9');
  for (uint32_t i = 0; i < 4; ++i) {
    guest.put<uint32_t>(tuple + 52 + 8 * i, 5006 + i);  // "A", "B", "C", "D"
    guest.put<uint32_t>(tuple + 56 + 8 * i, 1);
  }
  std::vector<Value> args{ptr(tuple)};
  std::vector<Value> results(1);
  Status status = Spilled::invoke(
      guest, args, results,
      [](uint8_t a, std::string b, uint64_t c, std::vector<uint32_t> d, std::optional<double> e,
         Char f, std::string g, std::string h, std::string i, std::string j) -> uint64_t {
        EXPECT_EQ(a, 7);
        EXPECT_EQ(b, "string");
        EXPECT_EQ(c, 1ull << 40);
        EXPECT_EQ(d, (std::vector<uint32_t>{10, 20}));
        EXPECT_EQ(e, 2.5);
        EXPECT_EQ(f, Char{U'\u00e9'});
        EXPECT_EQ(g + h + i + j, "ABCD");
        return 99;
      });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(results[0], Value::i64(99));
}

TEST(AbiImport, HostErrorsPassThrough) {
  VectorGuest guest;
  std::vector<Value> args = hand_written_spawn_args(guest, 2048);
  Status status = OsSpawn::invoke(
      guest, args, {}, [](const ProcessConfig&) -> Result<Outcome<uint64_t, std::string>> {
        return make_error(ErrorCode::kPermissionDenied, "spawning is not allowed");
      });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kPermissionDenied);

  guest.put_bytes(1000, "x");
  status = Log::invoke(
      guest, std::vector<Value>{ptr(1000), Value::i32(1)}, {},
      [](std::string) -> Status { return make_error(ErrorCode::kUnavailable, "log closed"); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "log closed");
}

TEST(AbiImport, ScalarFunctionsNeedNoMemory) {
  MemorylessGuest guest;
  std::vector<Value> args{Value::i32(2), Value::i32(3)};
  std::vector<Value> results(1);
  Status status = Function<uint64_t(uint32_t, uint32_t)>::invoke(
      guest, args, results, [](uint32_t a, uint32_t b) { return uint64_t{a} * b; });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(results[0], Value::i64(6));
}

TEST(AbiImport, WrongCoreValuesAreRefused) {
  VectorGuest guest;
  Status status = Log::invoke(guest, std::vector<Value>{Value::i32(0)}, {}, [](std::string) {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("(i32)"), std::string::npos) << status.error().message;

  std::vector<Value> results(2);
  status = Function<uint32_t()>::invoke(guest, {}, results, [] { return 1u; });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST(AbiExport, HandleStdoutArgsAreFlatWithBytesInGuestMemory) {
  VectorGuest guest;
  Result<std::vector<Value>> args = HandleStdout::lower_args(
      guest, State{Bytes{1, 2}}, std::tuple<uint64_t, Bytes>{7, {9, 8, 7}});
  ASSERT_TRUE(args.ok()) << args.error().message;
  ASSERT_EQ(args->size(), 6u);
  const std::vector<Value>& a = *args;
  EXPECT_EQ(a[0], Value::i32(1));  // some
  EXPECT_EQ(a[2], Value::i32(2));
  EXPECT_EQ(guest.get_bytes(a[1].as_u32(), 2), std::string("\x01\x02"));
  EXPECT_EQ(a[3], Value::i64(7));
  EXPECT_EQ(a[5], Value::i32(3));
  EXPECT_EQ(guest.get_bytes(a[4].as_u32(), 3), std::string("\x09\x08\x07"));
}

TEST(AbiExport, InitResultIsReadFromTheReturnedPointer) {
  VectorGuest guest;
  // ok((some([1, 2, 3]),)): discriminant@0, option discriminant@4, list@8.
  guest.put<uint8_t>(3000, 0);
  guest.put<uint8_t>(3004, 1);
  guest.put<uint32_t>(3008, 3100);
  guest.put<uint32_t>(3012, 3);
  guest.put_bytes(3100, "\x01\x02\x03");
  Result<CallbackResult> result = Init::lift_results(guest, std::vector<Value>{ptr(3000)});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, CallbackResult::ok({State{Bytes{1, 2, 3}}}));

  // err("bad state"): string at 4.
  guest.put_bytes(3200, "bad state");
  guest.put<uint8_t>(3000, 1);
  guest.put<uint32_t>(3004, 3200);
  guest.put<uint32_t>(3008, 9);
  result = Init::lift_results(guest, std::vector<Value>{ptr(3000)});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, CallbackResult::err("bad state"));
}

TEST(AbiExport, SpilledArgsGoToOneReallocatedTuple) {
  VectorGuest guest;
  Result<std::vector<Value>> args = Spilled::lower_args(guest, 7, "string", 1ull << 40, {10, 20},
                                                        2.5, Char{U'\u00e9'}, "A", "B", "C", "D");
  ASSERT_TRUE(args.ok()) << args.error().message;
  ASSERT_EQ(args->size(), 1u);
  const uint32_t tuple = (*args)[0].as_u32();
  EXPECT_EQ(tuple % 8, 0u);
  EXPECT_EQ(guest.get<uint8_t>(tuple + 0), 7);
  EXPECT_EQ(guest.get_bytes(guest.get<uint32_t>(tuple + 4), guest.get<uint32_t>(tuple + 8)),
            "string");
  EXPECT_EQ(guest.get<uint64_t>(tuple + 16), 1ull << 40);
  EXPECT_EQ(guest.get<uint32_t>(tuple + 28), 2u);
  EXPECT_EQ(guest.get<uint32_t>(guest.get<uint32_t>(tuple + 24) + 4), 20u);
  EXPECT_EQ(guest.get<uint8_t>(tuple + 32), 1);
  EXPECT_EQ(guest.get<double>(tuple + 40), 2.5);
  EXPECT_EQ(guest.get<uint32_t>(tuple + 48), uint32_t{U'\u00e9'});
  EXPECT_EQ(guest.get_bytes(guest.get<uint32_t>(tuple + 76), guest.get<uint32_t>(tuple + 80)), "D");
}

TEST(AbiExport, ScalarResultsAreFlat) {
  MemorylessGuest guest;
  Result<uint64_t> result =
      Function<uint64_t(uint32_t)>::lift_results(guest, std::vector<Value>{Value::i64(5)});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, 5u);
  EXPECT_TRUE(Log::lift_results(guest, {}).ok());
}

TEST(AbiExport, CallExportLiftsBeforePostReturnFreesTheResult) {
  VectorGuest guest;
  std::vector<std::string> order;
  // A fake export: answers ok(some([4, 5])) from a return area, like a guest would.
  auto call = [&](std::span<const Value> args) -> Result<std::vector<Value>> {
    order.push_back("call with " + std::to_string(args.size()) + " args");
    guest.put<uint8_t>(3000, 0);
    guest.put<uint8_t>(3004, 1);
    guest.put<uint32_t>(3008, 3100);
    guest.put<uint32_t>(3012, 2);
    guest.put_bytes(3100, "\x04\x05");
    return std::vector<Value>{ptr(3000)};
  };
  auto post_return = [&](std::span<const Value> results) -> Status {
    order.push_back("post-return of " + std::to_string(results[0].as_u32()));
    guest.put_bytes(3100, "\xde\xad");  // the guest frees and reuses its memory
    return {};
  };
  Result<CallbackResult> result =
      Init::call_export(guest, call, post_return, State{}, std::tuple<std::string>{"actor-1"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, CallbackResult::ok({State{Bytes{4, 5}}}));
  EXPECT_EQ(order, (std::vector<std::string>{"call with 5 args", "post-return of 3000"}));
}

TEST(AbiBothSides, WhatOneSideLowersTheOtherLifts) {
  // The host lowers an export's args; a guest forwarding them to an import
  // (plus a return pointer) makes the host lift the very same values.
  using Both = Function<std::string(Sixteen, uint8_t)>;  // spilled params and a return area
  VectorGuest guest;
  Sixteen sixteen{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  Result<std::vector<Value>> args = Both::lower_args(guest, sixteen, 200);
  ASSERT_TRUE(args.ok()) << args.error().message;
  args->push_back(ptr(8));  // retptr
  Status status = Both::invoke(guest, *args, {}, [&](const Sixteen& s, uint8_t extra) {
    EXPECT_EQ(s, sixteen);
    return std::to_string(extra) + " and sixteen";
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  Result<std::string> back = Both::lift_results(guest, std::vector<Value>{ptr(8)});
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "200 and sixteen");
}

}  // namespace
}  // namespace theater::abi::testing
