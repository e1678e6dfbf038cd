// Whatever a guest hands over is checked: each bad pointer, length,
// discriminant, char, UTF-8 sequence or allocator answer is a clean error
// whose message names the offending value. None of these may crash or read
// outside the memory (ASan would tell).
#include <gtest/gtest.h>

#include "test_guest.h"
#include "test_types.h"

namespace theater::abi::testing {
namespace {

using wasm::Value;
using Bytes = std::vector<uint8_t>;

Value i32(uint32_t v) {
  return Value::i32(static_cast<int32_t>(v));
}

// The error's code is `code` and its message contains every piece.
void expect_error(const Status& status, ErrorCode code, std::initializer_list<std::string> pieces) {
  ASSERT_FALSE(status.ok()) << "expected an error containing " << *pieces.begin();
  EXPECT_EQ(status.error().code, code) << status.error().message;
  for (const std::string& piece : pieces) {
    EXPECT_NE(status.error().message.find(piece), std::string::npos)
        << "'" << piece << "' missing from: " << status.error().message;
  }
}

template <class T>
Status lift(VectorGuest& guest, std::vector<Value> flat) {
  Result<T> lifted = lift_flat<T>(*guest.memory(), flat);
  if (!lifted.ok()) return lifted.error();
  return {};
}

template <class T>
Status load_at(VectorGuest& guest, uint32_t ptr) {
  Result<T> loaded = load<T>(*guest.memory(), ptr);
  if (!loaded.ok()) return loaded.error();
  return {};
}

TEST(AbiHostile, ListPastTheEndOfMemory) {
  VectorGuest guest;
  expect_error(lift<Bytes>(guest, {i32(70000), i32(100)}), ErrorCode::kTrap,
               {"list<u8> at pointer 70000 with length 100 exceeds memory size 65536"});
  expect_error(lift<Bytes>(guest, {i32(65500), i32(37)}), ErrorCode::kTrap,
               {"pointer 65500", "length 37"});
  EXPECT_TRUE(lift<Bytes>(guest, {i32(65500), i32(36)}).ok());  // ends exactly at the end
  EXPECT_TRUE(lift<Bytes>(guest, {i32(65536), i32(0)}).ok());   // empty, at the end
}

TEST(AbiHostile, LengthTimesElementSizeOverflowing32Bits) {
  VectorGuest guest;
  // 0x20000000 * 8 = 2^32: wraps to 0 in 32-bit arithmetic.
  expect_error(lift<std::vector<uint64_t>>(guest, {i32(8), i32(0x20000000)}), ErrorCode::kTrap,
               {"list<u64> at pointer 8", "length 536870912", "4294967296 bytes",
                "exceeds memory size 65536"});
  expect_error(lift<std::vector<std::string>>(guest, {i32(0xFFFFFFF8), i32(0xFFFFFFFF)}),
               ErrorCode::kTrap, {"pointer 4294967288", "length 4294967295"});
  expect_error(lift<std::string>(guest, {i32(10), i32(0xFFFFFFFF)}), ErrorCode::kTrap,
               {"string at pointer 10 with length 4294967295 exceeds memory size 65536"});
}

TEST(AbiHostile, NestedPointerPastTheEnd) {
  VectorGuest guest;
  // A list<string> whose second element points outside memory.
  guest.put_bytes(500, "ok");
  guest.put<uint32_t>(400, 500);
  guest.put<uint32_t>(404, 2);
  guest.put<uint32_t>(408, 65530);
  guest.put<uint32_t>(412, 10);
  expect_error(lift<std::vector<std::string>>(guest, {i32(400), i32(2)}), ErrorCode::kTrap,
               {"element 1", "string at pointer 65530 with length 10"});
}

TEST(AbiHostile, InvalidUtf8) {
  VectorGuest guest;
  const std::pair<std::string, size_t> cases[] = {
      {"ab\xff"
       "cd",
       2},                      // never valid
      {"abc\xC3", 3},           // truncated sequence
      {"\xC0\xAF", 0},          // overlong '/'
      {"x\xED\xA0\x80", 1},     // surrogate U+D800
      {"\xF4\x90\x80\x80", 0},  // past U+10FFFF
      {"12345678\x80", 8},      // lone continuation after the ASCII fast path
  };
  for (const auto& [bytes, bad] : cases) {
    guest.put_bytes(100, bytes);
    expect_error(lift<std::string>(guest, {i32(100), i32(static_cast<uint32_t>(bytes.size()))}),
                 ErrorCode::kTrap, {"invalid UTF-8 in string at byte " + std::to_string(bad)});
  }
}

TEST(AbiHostile, HostStringsMustBeUtf8Too) {
  VectorGuest guest;
  Result<std::vector<Value>> flat = lower_flat(guest, std::string("bad\xfe"));
  ASSERT_FALSE(flat.ok());
  expect_error(flat.error(), ErrorCode::kInvalidArgument, {"not valid UTF-8 at byte 3"});
}

TEST(AbiHostile, OverlappingListsCannotMakeTheHostCopyWithoutBound) {
  VectorGuest guest;
  // 8000 lists at 0..64000, each one all of 0..60000: 480 MB to copy out of 64 KiB.
  for (uint32_t i = 0; i < 8000; ++i) {
    guest.put<uint32_t>(8 * i, 0);
    guest.put<uint32_t>(8 * i + 4, 60000);
  }
  expect_error(lift<std::vector<Bytes>>(guest, {i32(0), i32(8000)}), ErrorCode::kTrap,
               {"lifting list<u8> would copy more than 1048576 bytes", "guest memory of 65536"});
  // Modest sharing stays fine: ten lists over the same 60000 bytes.
  EXPECT_TRUE(lift<std::vector<Bytes>>(guest, {i32(0), i32(10)}).ok());
}

TEST(AbiHostile, BadDiscriminants) {
  VectorGuest guest;
  using V = std::variant<uint32_t, std::string, Unit>;
  expect_error(lift<V>(guest, {i32(7), i32(0), i32(0)}), ErrorCode::kTrap,
               {"invalid discriminant 7 for variant<u32, string, _> with 3 cases"});
  expect_error(lift<std::optional<uint32_t>>(guest, {i32(2), i32(0)}), ErrorCode::kTrap,
               {"invalid discriminant 2 for option<u32> with 2 cases"});
  guest.put<uint8_t>(64, 5);
  expect_error(load_at<Outcome<uint64_t, std::string>>(guest, 64), ErrorCode::kTrap,
               {"invalid discriminant 5 for result<u64, string> with 2 cases"});
  expect_error(lift<ActorErrorKind>(guest, {i32(11)}), ErrorCode::kTrap,
               {"invalid discriminant 11 for enum ActorErrorKind with 11 cases"});
  expect_error(lift<OutputMode>(guest, {i32(0xFFFFFFFF)}), ErrorCode::kTrap,
               {"invalid discriminant 4294967295"});
}

TEST(AbiHostile, BadDiscriminantDeepInsideARecord) {
  VectorGuest guest;
  // process-status at 1024 with exit-code's option discriminant = 3.
  guest.put<uint8_t>(1024 + 12, 3);
  expect_error(load_at<ProcessStatus>(guest, 1024), ErrorCode::kTrap,
               {"ProcessStatus.exit_code", "invalid discriminant 3 for option<s32>"});
}

TEST(AbiHostile, MisalignedPointers) {
  VectorGuest guest;
  expect_error(lift<std::vector<uint32_t>>(guest, {i32(2), i32(1)}), ErrorCode::kTrap,
               {"list<u32> at pointer 2 is not aligned to 4"});
  expect_error(lift<std::vector<std::string>>(guest, {i32(6), i32(1)}), ErrorCode::kTrap,
               {"list<string> at pointer 6 is not aligned to 4"});
  expect_error(load_at<uint64_t>(guest, 4), ErrorCode::kTrap, {"pointer 4", "not aligned to 8"});
  // Strings are UTF-8: byte-aligned, any pointer will do.
  guest.put_bytes(3, "x");
  EXPECT_TRUE(lift<std::string>(guest, {i32(3), i32(1)}).ok());
}

TEST(AbiHostile, BadChars) {
  VectorGuest guest;
  expect_error(lift<Char>(guest, {i32(0xD800)}), ErrorCode::kTrap,
               {"invalid char 0xD800: a surrogate"});
  expect_error(lift<Char>(guest, {i32(0xDFFF)}), ErrorCode::kTrap, {"0xDFFF"});
  expect_error(lift<Char>(guest, {i32(0x110000)}), ErrorCode::kTrap,
               {"invalid char 0x110000: above 0x10FFFF"});
  guest.put<uint32_t>(16, 0xFFFFFFFF);
  expect_error(load_at<Char>(guest, 16), ErrorCode::kTrap, {"invalid char 0xFFFFFFFF"});
  Result<std::vector<Value>> flat = lower_flat(guest, Char{0xDC00});
  ASSERT_FALSE(flat.ok());
  EXPECT_EQ(flat.error().code, ErrorCode::kInvalidArgument);
}

TEST(AbiHostile, ReallocAnsweringPastTheEnd) {
  OutOfRangeReallocGuest guest;
  Result<std::vector<Value>> flat = lower_flat(guest, std::string("hello"));
  ASSERT_FALSE(flat.ok());
  expect_error(
      flat.error(), ErrorCode::kTrap,
      {"cabi_realloc(0, 0, 1, 5) for string returned pointer 65534", "exceed memory size 65536"});
}

TEST(AbiHostile, ReallocAnsweringMisaligned) {
  MisalignedReallocGuest guest;
  Result<std::vector<Value>> flat = lower_flat(guest, std::vector<uint64_t>{1, 2});
  ASSERT_FALSE(flat.ok());
  expect_error(flat.error(), ErrorCode::kTrap,
               {"cabi_realloc(0, 0, 8, 16) for list<u64> returned misaligned pointer"});
}

TEST(AbiHostile, ReallocFailing) {
  FailingReallocGuest guest;
  using Spilled = Function<void(Sixteen, uint8_t)>;
  Result<std::vector<Value>> args = Spilled::lower_args(guest, Sixteen{}, 1);
  ASSERT_FALSE(args.ok());
  expect_error(args.error(), ErrorCode::kTrap,
               {"cabi_realloc(0, 0, 4, 68)", "tuple<Sixteen, u8>", "wasm trap: unreachable"});
}

TEST(AbiHostile, ReturnPointerOutsideMemoryOrMisaligned) {
  VectorGuest guest;
  using GetChain = Function<std::vector<ChainEvent>()>;
  std::vector<Value> args{i32(65532)};
  expect_error(GetChain::invoke(guest, args, {}, [] { return std::vector<ChainEvent>{}; }),
               ErrorCode::kTrap,
               {"return area for list<ChainEvent> at pointer 65532 (8 bytes) exceeds memory size"});
  args[0] = i32(2);
  expect_error(GetChain::invoke(guest, args, {}, [] { return std::vector<ChainEvent>{}; }),
               ErrorCode::kTrap, {"return area", "pointer 2 is not aligned to 4"});
}

TEST(AbiHostile, ExportReturningABadPointer) {
  VectorGuest guest;
  using Init = Function<CallbackResult(State, std::tuple<std::string>)>;
  expect_error(Init::lift_results(guest, std::vector<Value>{i32(65532)}).error(), ErrorCode::kTrap,
               {"return area", "pointer 65532 (16 bytes) exceeds memory size 65536"});
  expect_error(Init::lift_results(guest, std::vector<Value>{i32(1)}).error(), ErrorCode::kTrap,
               {"pointer 1 is not aligned to 4"});
}

TEST(AbiHostile, SpilledParamsPointerOutsideMemory) {
  VectorGuest guest;
  using Spilled = Function<void(Sixteen, uint8_t)>;
  Status status =
      Spilled::invoke(guest, std::vector<Value>{i32(65532)}, {}, [](Sixteen, uint8_t) {});
  expect_error(status, ErrorCode::kTrap,
               {"spilled parameters for tuple<Sixteen, u8> at pointer 65532 (68 bytes)"});
}

TEST(AbiHostile, BadValueInsideAHostCallNeverReachesTheHostFunction) {
  VectorGuest guest;
  using OsWriteStdin = Function<Outcome<uint32_t, std::string>(uint64_t, Bytes)>;
  bool called = false;
  std::vector<Value> args{Value::i64(1), i32(70000), i32(100), i32(2048)};
  Status status = OsWriteStdin::invoke(guest, args, {}, [&](uint64_t, Bytes) {
    called = true;
    return Outcome<uint32_t, std::string>::ok(0);
  });
  expect_error(status, ErrorCode::kTrap, {"list<u8> at pointer 70000 with length 100"});
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace theater::abi::testing
