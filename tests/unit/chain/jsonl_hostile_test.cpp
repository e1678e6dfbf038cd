// JSON Lines import of hostile lines (inputs found while fuzzing, fuzz/README.md):
// each is a clean error naming the line, never a crash.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "chain/jsonl.h"

namespace theater::chain {
namespace {

// A timestamp nested 300000 arrays deep: the error message used to dump the
// value, recursing once per level until the stack overflowed.
TEST(JsonlHostile, DeeplyNestedWrongValueIsNamedByItsKind) {
  constexpr size_t kDepth = 300000;
  const std::string line =
      "{\"hash\":\"" + std::string(64, 'a') +
      "\",\"parent_hash\":null,\"event_type\":\"a/b\",\"timestamp\":" + std::string(kDepth, '[') +
      std::string(kDepth, ']') + ",\"description\":null,\"data\":\"\"}\n";
  std::istringstream in(line);
  auto events = read_jsonl(in, "deep.jsonl");
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(events.error().message,
            "deep.jsonl:1: field \"timestamp\" is array, expected a non-negative integer");
}

TEST(JsonlHostile, WrongScalarTimestampIsQuotedAsWritten) {
  std::istringstream in("{\"hash\":\"" + std::string(64, 'a') +
                        "\",\"event_type\":\"a/b\",\"timestamp\":-3,\"data\":\"\"}\n");
  auto events = read_jsonl(in, "neg.jsonl");
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.error().message,
            "neg.jsonl:1: field \"timestamp\" is -3, expected a non-negative integer");
}

}  // namespace
}  // namespace theater::chain
