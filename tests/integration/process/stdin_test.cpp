// The actor writes to its children's stdin.
#include <openssl/evp.h>

#include <random>

#include "process_fixture.h"

namespace theater::process_tests {
namespace {

using ::testing::ElementsAre;

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(digits[digest[i] >> 4]);
    hex.push_back(digits[digest[i] & 15]);
  }
  return hex;
}

// Writes all of `data` through the actor's os-write-stdin, retrying (bounded)
// while the process's stdin queue is full.
::testing::AssertionResult write_all(Probe& probe, std::uint64_t pid, const std::string& data,
                                     std::size_t chunk) {
  std::size_t offset = 0;
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (offset < data.size()) {
    const std::string piece = data.substr(offset, chunk);
    std::string message = "write\x1f" + std::to_string(pid) + "\x1f" + piece;
    const std::string answer = probe.request_raw(Bytes(message.begin(), message.end()));
    if (answer.rfind("ok ", 0) != 0) return ::testing::AssertionFailure() << answer;
    const std::size_t accepted = std::stoul(answer.substr(3));
    offset += accepted;
    if (accepted == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        return ::testing::AssertionFailure() << "stdin stayed full at offset " << offset;
      }
      std::this_thread::sleep_for(2ms);
    }
  }
  return ::testing::AssertionSuccess();
}

TEST_F(ProcessTest, StdinRoundTripThroughCat) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn({"program=/bin/cat", "out=line"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(write_all(probe, *id, "hello\nworld\n", 1024));
  EXPECT_EQ(probe.request({"close", std::to_string(*id)}), "ok");
  ASSERT_EQ(probe.wait_exit(*id), 0);
  EXPECT_THAT(probe.transcript().out[*id], ElementsAre("hello", "world"));

  auto writes = probe.events("theater:simple/process/write-stdin");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].at("accepted"), 12);
  EXPECT_EQ(probe.events("theater:simple/process/close-stdin").size(), 1u);
  // Writing after close is a clear error.
  std::string late = "write\x1f" + std::to_string(*id) + "\x1fmore";
  EXPECT_THAT(probe.request_raw(Bytes(late.begin(), late.end())), ::testing::StartsWith("err "));
}

TEST_F(ProcessTest, SixtyFourMiBThroughSha256sumComeBackAsItsDigest) {
  ASSERT_PROBE(probe);
  std::string data(64u << 20, '\0');
  std::mt19937_64 random(42);
  for (std::size_t i = 0; i + 8 <= data.size(); i += 8) {
    const std::uint64_t word = random();
    std::memcpy(data.data() + i, &word, 8);
  }
  auto id = probe.spawn({"program=sha256sum", "out=line"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(write_all(probe, *id, data, 512 * 1024));
  EXPECT_EQ(probe.request({"close", std::to_string(*id)}), "ok");
  ASSERT_EQ(probe.wait_exit(*id, 120s), 0);
  EXPECT_THAT(probe.transcript().out[*id], ElementsAre(sha256_hex(data) + "  -"));
}

}  // namespace
}  // namespace theater::process_tests
