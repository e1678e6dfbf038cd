// CborWriter must produce exactly the bytes to_cbor_data makes of the same
// JSON value: events written either way hash the same and read back the same.
#include "chain/cbor_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "chain/event.h"

namespace theater::chain {
namespace {

TEST(CborWriter, IntegersAtEveryLengthBoundaryMatchTheJsonEncoding) {
  const uint64_t unsigned_values[] = {0,
                                      23,
                                      24,
                                      255,
                                      256,
                                      65535,
                                      65536,
                                      0xffffffffull,
                                      0x100000000ull,
                                      std::numeric_limits<uint64_t>::max()};
  for (uint64_t value : unsigned_values) {
    EXPECT_EQ(CborWriter().uint(value).take(), to_cbor_data(nlohmann::json(value))) << value;
  }
  const int64_t signed_values[] = {
      -1, -24, -25, -256, -257, -65536, -65537, -2147483648LL, std::numeric_limits<int64_t>::min(),
      7};
  for (int64_t value : signed_values) {
    EXPECT_EQ(CborWriter().sint(value).take(), to_cbor_data(nlohmann::json(value))) << value;
  }
}

TEST(CborWriter, TextBytesNullAndNestingMatchTheJsonEncoding) {
  for (size_t size : {0u, 23u, 24u, 255u, 256u, 70000u}) {
    const std::string text(size, 'x');
    const std::vector<uint8_t> bytes(size, 0xab);
    EXPECT_EQ(CborWriter().text(text).take(), to_cbor_data(text)) << size;
    EXPECT_EQ(CborWriter().bytes(bytes).take(), to_cbor_data(nlohmann::json::binary(bytes)))
        << size;
  }
  // JSON objects keep their keys sorted: the writer's caller writes them in that order.
  const std::vector<uint8_t> data = {1, 2, 3};
  const nlohmann::json record = {{"data", nlohmann::json::binary(data)}, {"pid", 7}};
  const std::vector<uint8_t> encoded_record =
      CborWriter().map(2).text("data").bytes(data).text("pid").uint(7).take();
  EXPECT_EQ(encoded_record, to_cbor_data(record));
  const nlohmann::json event = {
      {"export", "x#y"}, {"params", record}, {"state", nullptr}, {"list", {1, -2}}};
  EXPECT_EQ(CborWriter()
                .map(4)
                .text("export")
                .text("x#y")
                .text("list")
                .array(2)
                .uint(1)
                .sint(-2)
                .text("params")
                .raw(encoded_record)
                .text("state")
                .null()
                .take(),
            to_cbor_data(event));
}

}  // namespace
}  // namespace theater::chain
