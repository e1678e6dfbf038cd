// A slow actor and a fast producer: the producer is held back (the runtime
// buffers at most max_output_buffer), and nothing is lost.
#include <random>

#include "process_fixture.h"

namespace theater::process_tests {
namespace {

struct Counts {
  std::uint64_t out = 0;    // stdout bytes received
  std::uint64_t calls = 0;  // handle-stdout calls
  std::string hash;
};

Counts counts(Probe& probe) {
  // "ok out=<n> err=<n> exits=<n> hash=<hex>"
  const std::string answer = probe.request({"count"});
  Counts c;
  if (auto at = answer.find("out="); at != std::string::npos)
    c.out = std::stoull(answer.substr(at + 4));
  if (auto at = answer.find("calls="); at != std::string::npos)
    c.calls = std::stoull(answer.substr(at + 6));
  if (auto at = answer.find("hash="); at != std::string::npos) c.hash = answer.substr(at + 5);
  return c;
}

std::string fnv1a_hex(const std::string& data) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : data) hash = (hash ^ c) * 16777619u;
  char text[9];
  std::snprintf(text, sizeof text, "%08x", hash);
  return text;
}

TEST_F(ProcessTest, ASlowActorHoldsAFastProducerWithinMaxOutputBufferAndLosesNothing) {
  constexpr std::size_t kMaxOutputBuffer = 256 * 1024;  // 128 KiB per stream
  constexpr std::size_t kTotal = 16u << 20;
  std::string data(kTotal, '\0');
  std::mt19937 random(7);
  for (char& c : data) c = static_cast<char>(random());
  const std::filesystem::path file = home_ / "data.bin";
  std::ofstream(file, std::ios::binary)
      .write(data.data(), static_cast<std::streamsize>(data.size()));

  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\nmax_output_buffer = " +
                          std::to_string(kMaxOutputBuffer) + "\n");
  EXPECT_EQ(probe.request({"quiet"}), "ok");
  EXPECT_EQ(probe.request({"slow", "20000000"}), "ok");  // every callback spins a while
  // dd writes with write(2), so /proc/<pid>/io counts what it pushed into the pipe.
  auto id = probe.spawn({"program=/bin/dd", "arg=if=" + file.string(), "arg=bs=4096",
                         "arg=status=none", "out=raw", "buf=4096"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  const pid_t producer = probe.os_pid(*id);
  ASSERT_GT(producer, 0);
  ASSERT_TRUE(wait_until([&] { return counts(probe).out > 0; }));

  // What the producer has written minus what the actor has received is what
  // sits in between: the runtime's buffer (at most the stdout half of
  // max_output_buffer), the pipe (64 KiB) and one read in progress. Were the
  // output buffered without bound, dd would be done long before the actor.
  const std::uint64_t bound = kMaxOutputBuffer / 2 + 128 * 1024;
  std::uint64_t received = 0;
  for (int sample = 0; sample < 8; ++sample) {
    ASSERT_TRUE(wait_until([&] { return counts(probe).out >= received + 16 * 1024; }));
    received = counts(probe).out;
    auto written = bytes_written_by(producer);
    ASSERT_TRUE(written.has_value()) << "the producer ended while the actor was still slow";
    EXPECT_LE(*written, received + bound) << "sample " << sample;
    EXPECT_LT(*written, kTotal);
  }

  EXPECT_EQ(probe.request({"slow", "0"}), "ok");
  ASSERT_EQ(probe.wait_exit(*id, 120s), 0);
  Counts final = counts(probe);
  EXPECT_EQ(final.out, kTotal);
  EXPECT_EQ(final.hash, fnv1a_hex(data));
}

TEST_F(ProcessTest, AFloodOfEmptyLinesIsHeldBackLikeAnyOtherOutput) {
  constexpr std::size_t kMaxOutputBuffer = 16384;
  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\nmax_output_buffer = " +
                          std::to_string(kMaxOutputBuffer) + "\n");
  EXPECT_EQ(probe.request({"quiet"}), "ok");
  EXPECT_EQ(probe.request({"slow", "2000000"}), "ok");
  // `yes ""` writes nothing but newlines, as fast as it can: empty lines.
  auto id = probe.spawn({"program=/usr/bin/yes", "arg=", "out=line"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  const pid_t producer = probe.os_pid(*id);
  ASSERT_GT(producer, 0);

  // Each empty line is charged its newline, so the runtime holds at most the
  // stdout half of max_output_buffer of them; with the pipe and one read,
  // yes is blocked long before it could write millions.
  const std::uint64_t bound = kMaxOutputBuffer / 2 + 128 * 1024;
  std::uint64_t calls = 0;
  for (int sample = 0; sample < 6; ++sample) {
    ASSERT_TRUE(wait_until([&] { return counts(probe).calls >= calls + 50; }));
    calls = counts(probe).calls;
    auto written = bytes_written_by(producer);
    ASSERT_TRUE(written.has_value());
    EXPECT_LE(*written, calls + bound) << "sample " << sample;
  }
  EXPECT_EQ(counts(probe).out, 0u);  // empty lines, each its own callback
  // The actor's stop (at teardown) ends yes; waiting for its exit here would
  // mean delivering the 64 Ki empty lines still in the pipe first.
}

}  // namespace
}  // namespace theater::process_tests
