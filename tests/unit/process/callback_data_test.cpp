// The process handler writes its callbacks' wasm/call event data as CBOR by
// hand (callback_data.cpp). A reader of the chain decodes it as JSON, and
// other callers record the same shape through nlohmann (make_callback_call):
// the bytes must be identical, or equal events would hash differently.
#include "handlers/process/callback_data.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "chain/event.h"
#include "handler_api/actor_handle.h"
#include "handlers/process/callback_queue.h"

namespace theater::handlers {
namespace {

using Bytes = std::vector<std::uint8_t>;
using OutputParams = std::tuple<std::uint64_t, Bytes>;
using ExitParams = std::tuple<std::uint64_t, std::int32_t>;

// Around every CBOR length and integer boundary: 23/24, 255/256, 65535/65536,
// 2^32-1/2^32 (one past the 4-byte argument).
const std::vector<std::size_t> kPieceSizes = {0, 1, 23, 24, 255, 256, 65535, 65536, 65537};
const std::vector<std::uint64_t> kPids = {0,
                                          1,
                                          23,
                                          24,
                                          255,
                                          256,
                                          65535,
                                          65536,
                                          (1ull << 32) - 1,
                                          1ull << 32,
                                          (1ull << 32) + 1,
                                          std::numeric_limits<std::uint64_t>::max()};
const std::vector<std::int32_t> kExitCodes = {std::numeric_limits<std::int32_t>::min(),
                                              -65537,
                                              -65536,
                                              -257,
                                              -256,
                                              -25,
                                              -24,
                                              -9,
                                              -1,
                                              0,
                                              1,
                                              23,
                                              24,
                                              255,
                                              256,
                                              65535,
                                              65536,
                                              std::numeric_limits<std::int32_t>::max()};

// Not valid UTF-8 either: the piece must travel as a byte string.
Bytes piece_of(std::size_t size) {
  Bytes piece(size);
  for (std::size_t i = 0; i < size; ++i) piece[i] = static_cast<std::uint8_t>(0x80 + i * 7);
  return piece;
}

nlohmann::json output_record(std::uint64_t pid, const Bytes& piece) {
  return {{"data", nlohmann::json::binary(piece)}, {"pid", pid}};
}

nlohmann::json exit_record(std::uint64_t pid, std::int32_t exit_code) {
  return {{"exit_code", exit_code}, {"pid", pid}};
}

// The whole event data through nlohmann: {"export": ..., "params": record}.
Bytes json_call_data(std::string_view callback, const nlohmann::json& record) {
  return chain::to_cbor_data({{"export", callback}, {"params", record}});
}

// What a caller recording the same record as JSON gets.
template <class Params>
Bytes make_callback_call_data(std::string_view callback, Params params,
                              const nlohmann::json& record) {
  return handler::make_callback_call<Params>(std::string(callback), std::move(params), record,
                                             nullptr, {})
      .call_data;
}

TEST(CallbackDataTest, OutputDataEqualsTheJsonEncodingAtEveryLengthBoundary) {
  for (const char* callback : {kHandleStdout, kHandleStderr}) {
    for (std::size_t size : kPieceSizes) {
      for (std::uint64_t pid : kPids) {
        SCOPED_TRACE(std::string(callback) + " piece of " + std::to_string(size) + " bytes, pid " +
                     std::to_string(pid));
        const Bytes piece = piece_of(size);
        const Bytes written = output_call_data(callback, pid, piece);
        const nlohmann::json record = output_record(pid, piece);
        EXPECT_EQ(written, json_call_data(callback, record));
        EXPECT_EQ(written, make_callback_call_data(callback, OutputParams(pid, piece), record));
      }
    }
  }
}

TEST(CallbackDataTest, ExitDataEqualsTheJsonEncodingForNegativeAndPositiveCodes) {
  for (std::int32_t exit_code : kExitCodes) {
    for (std::uint64_t pid : kPids) {
      SCOPED_TRACE("exit code " + std::to_string(exit_code) + ", pid " + std::to_string(pid));
      const Bytes written = exit_call_data(kHandleExit, pid, exit_code);
      const nlohmann::json record = exit_record(pid, exit_code);
      EXPECT_EQ(written, json_call_data(kHandleExit, record));
      EXPECT_EQ(written, make_callback_call_data(kHandleExit, ExitParams(pid, exit_code), record));
    }
  }
}

TEST(CallbackDataTest, OutputDataDecodesToTheRecordAReaderExpects) {
  const Bytes piece = piece_of(300);
  auto decoded = chain::cbor_data_to_json(output_call_data(kHandleStdout, 1ull << 32, piece));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ((*decoded)["export"], kHandleStdout);
  EXPECT_EQ((*decoded)["params"]["pid"], 1ull << 32);
  const Bytes& data = (*decoded)["params"]["data"].get_binary();
  EXPECT_EQ(data, piece);
}

}  // namespace
}  // namespace theater::handlers
