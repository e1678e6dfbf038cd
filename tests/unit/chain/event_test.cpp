// The hash rule, checked against bytes assembled by hand and against vectors
// computed by an independent implementation (Python's hashlib).
#include "chain/event.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>

namespace theater::chain {
namespace {

void put_u32le(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// DESIGN.md's rule, written out the simplest possible way.
EventHash hash_by_hand(const std::optional<EventHash>& parent, uint64_t timestamp,
                       const std::string& type, const std::optional<std::string>& description,
                       const std::vector<uint8_t>& data) {
  std::vector<uint8_t> bytes;
  const EventHash zero{};
  const EventHash& p = parent ? *parent : zero;
  bytes.insert(bytes.end(), p.begin(), p.end());
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(timestamp >> (8 * i)));
  put_u32le(bytes, static_cast<uint32_t>(type.size()));
  bytes.insert(bytes.end(), type.begin(), type.end());
  const std::string d = description.value_or("");
  put_u32le(bytes, static_cast<uint32_t>(d.size()));
  bytes.insert(bytes.end(), d.begin(), d.end());
  put_u32le(bytes, static_cast<uint32_t>(data.size()));
  bytes.insert(bytes.end(), data.begin(), data.end());
  EventHash out{};
  SHA256(bytes.data(), bytes.size(), out.data());
  return out;
}

TEST(EventHash, FirstEventMatchesIndependentVector) {
  // python3: sha256(bytes(32) + pack('<Q',1700000000123) + pack('<I',9) + b'wasm/call'
  //                 + pack('<I',0) + pack('<I',3) + bytes([1,2,3]))
  const Event event = make_event(std::nullopt, 1700000000123, "wasm/call", std::nullopt, {1, 2, 3});
  EXPECT_EQ(hash_to_hex(event.hash),
            "926d19375949ada7eb8b1993e7341f6c3ccfbaedd023f60967fa89ab199809fd");
  EXPECT_EQ(event.hash,
            hash_by_hand(std::nullopt, 1700000000123, "wasm/call", std::nullopt, {1, 2, 3}));
}

TEST(EventHash, LinkedEventWithDescriptionMatchesIndependentVector) {
  const Event first = make_event(std::nullopt, 1700000000123, "wasm/call", std::nullopt, {1, 2, 3});
  const Event second =
      make_event(first.hash, 1700000000456, "theater:simple/process/spawn", "h\xc3\xa9llo", {});
  EXPECT_EQ(hash_to_hex(second.hash),
            "3cab56f861b27b0bdaa2f63a0bc22ed9ce1256b840ceca2b2a8e9fbbeefcc47d");
}

TEST(EventHash, EveryFieldChangesTheHash) {
  const std::vector<uint8_t> data = to_cbor_data({{"n", 1}});
  const Event base = make_event(std::nullopt, 5, "a/b", "d", data);
  EventHash parent{};
  parent[31] = 1;
  EXPECT_NE(base.hash, make_event(parent, 5, "a/b", "d", data).hash);
  EXPECT_NE(base.hash, make_event(std::nullopt, 6, "a/b", "d", data).hash);
  EXPECT_NE(base.hash, make_event(std::nullopt, 5, "a/c", "d", data).hash);
  EXPECT_NE(base.hash, make_event(std::nullopt, 5, "a/b", "e", data).hash);
  EXPECT_NE(base.hash, make_event(std::nullopt, 5, "a/b", "d", to_cbor_data({{"n", 2}})).hash);
  // Length prefixes keep field boundaries: moving a byte between fields matters.
  EXPECT_NE(make_event(std::nullopt, 5, "a/bd", "", {}).hash,
            make_event(std::nullopt, 5, "a/b", "d", {}).hash);
}

TEST(EventHash, NoDescriptionHashesLikeEmptyDescription) {
  // The rule writes "empty when none": the two are indistinguishable by hash.
  EXPECT_EQ(make_event(std::nullopt, 1, "x/y", std::nullopt, {}).hash,
            make_event(std::nullopt, 1, "x/y", "", {}).hash);
}

TEST(EventData, CborRoundTripsJson) {
  const nlohmann::json value = {{"function", "init"}, {"params", {1, 2, 3}}, {"ok", true}};
  const std::vector<uint8_t> data = to_cbor_data(value);
  auto back = cbor_data_to_json(data);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, value);
}

TEST(EventData, MalformedCborIsAnError) {
  const std::vector<uint8_t> truncated = {0x83, 0x01};  // array of 3 with one item
  auto back = cbor_data_to_json(truncated);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().message.find("not valid CBOR"), std::string::npos);
}

TEST(HashHex, RoundTripsAndRejectsBadInput) {
  const Event event = make_event(std::nullopt, 1, "x/y", std::nullopt, {});
  const std::string hex = hash_to_hex(event.hash);
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(*hash_from_hex(hex), event.hash);
  EXPECT_FALSE(hash_from_hex(hex.substr(2)).ok());
  std::string bad = hex;
  bad[10] = 'g';
  auto result = hash_from_hex(bad);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("offset 10"), std::string::npos);
}

}  // namespace
}  // namespace theater::chain
