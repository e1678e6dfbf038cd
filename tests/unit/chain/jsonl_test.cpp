// JSON Lines export and import, in DESIGN.md's exact format.
#include "chain/jsonl.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chain/chain.h"
#include "chain/verify.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using testing::sample_data;
using testing::StepClock;
using testing::TempDir;

std::vector<Event> sample_chain() {
  StepClock clock;
  EventChain chain("actor-1", {.clock = clock.clock()});
  EXPECT_TRUE(chain.append("wasm/call", sample_data(0), "init").ok());
  EXPECT_TRUE(chain.append("wasm/result", {}).ok());  // empty data
  EXPECT_TRUE(chain
                  .append("theater:simple/process/spawn", {0xff, 0x00, 0x7f, 0x80},
                          "quote \" slash \\ newline \n \xc3\xa9")
                  .ok());
  return *chain.snapshot();
}

TEST(Jsonl, LineHasTheDocumentedFieldsAndEncodings) {
  const Event first = make_event(std::nullopt, 1700000000123, "wasm/call", std::nullopt, {1, 2, 3});
  const Event second = make_event(first.hash, 7, "a/b", "hi", {0xfb, 0xff});
  EXPECT_EQ(*to_jsonl_line(first),
            "{\"hash\":\"926d19375949ada7eb8b1993e7341f6c3ccfbaedd023f60967fa89ab199809fd\","
            "\"parent_hash\":null,\"event_type\":\"wasm/call\",\"timestamp\":1700000000123,"
            "\"description\":null,\"data\":\"AQID\"}");
  const auto line = nlohmann::json::parse(*to_jsonl_line(second));
  EXPECT_EQ(line["parent_hash"], hash_to_hex(first.hash));
  EXPECT_EQ(line["description"], "hi");
  EXPECT_EQ(line["data"], "+/8=");  // standard alphabet, padded
}

TEST(Jsonl, FileRoundTripKeepsEveryEventAndStillVerifies) {
  TempDir dir;
  const auto events = sample_chain();
  ASSERT_TRUE(write_jsonl_file(dir.file("chain.jsonl"), events).ok());
  auto back = read_jsonl_file(dir.file("chain.jsonl"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, events);
  EXPECT_TRUE(verify(*back).ok());
}

TEST(Jsonl, ImportErrorsNameTheLine) {
  const auto events = sample_chain();
  std::ostringstream out;
  ASSERT_TRUE(write_jsonl(out, events).ok());
  std::string text = out.str();

  // Line 2 loses its data field.
  const size_t second_line = text.find('\n') + 1;
  const size_t data_field = text.find(",\"data\":", second_line);
  text.erase(data_field, text.find('}', data_field) - data_field);
  std::istringstream in(text);
  auto result = read_jsonl(in, "chain.jsonl");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("chain.jsonl:2: missing field \"data\""), std::string::npos)
      << result.error().message;
}

TEST(Jsonl, RejectsMalformedValues) {
  const std::string good_hash(64, 'a');
  const auto parse = [&](const std::string& line) { return parse_jsonl_line(line); };
  const std::string prefix = "{\"hash\":\"" + good_hash + "\",\"parent_hash\":null,";
  EXPECT_TRUE(parse(prefix + "\"event_type\":\"a/b\",\"timestamp\":1,\"description\":null,"
                             "\"data\":\"\"}")
                  .ok());
  EXPECT_FALSE(parse("not json").ok());
  EXPECT_FALSE(parse("[1,2]").ok());
  EXPECT_FALSE(parse(prefix + "\"event_type\":\"a/b\",\"timestamp\":-1,\"description\":null,"
                              "\"data\":\"\"}")
                   .ok());
  EXPECT_FALSE(parse(prefix + "\"event_type\":\"a/b\",\"timestamp\":1.5,\"description\":null,"
                              "\"data\":\"\"}")
                   .ok());
  auto bad_base64 = parse(prefix +
                          "\"event_type\":\"a/b\",\"timestamp\":1,"
                          "\"description\":null,\"data\":\"AQI*\"}");
  ASSERT_FALSE(bad_base64.ok());
  EXPECT_NE(bad_base64.error().message.find("field \"data\""), std::string::npos);
  auto short_hash = parse(
      "{\"hash\":\"abcd\",\"parent_hash\":null,\"event_type\":\"a/b\","
      "\"timestamp\":1,\"description\":null,\"data\":\"\"}");
  ASSERT_FALSE(short_hash.ok());
  EXPECT_NE(short_hash.error().message.find("field \"hash\""), std::string::npos);
}

TEST(Jsonl, Base64HandlesEveryPaddingLength) {
  for (size_t size = 0; size < 7; ++size) {
    std::vector<uint8_t> data(size);
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<uint8_t>(0xf0 + i);
    const Event event = make_event(std::nullopt, 1, "a/b", std::nullopt, data);
    auto back = parse_jsonl_line(*to_jsonl_line(event));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->data, data) << "size " << size;
  }
}

TEST(Jsonl, MissingFileIsNotFound) {
  TempDir dir;
  auto result = read_jsonl_file(dir.file("absent.jsonl"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_NE(result.error().message.find("absent.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace theater::chain
