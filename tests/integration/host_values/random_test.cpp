// The random handler on a real actor: every function with its errors, every
// value in the chain, a seed making the sequence (WIT and WASI random_get)
// the same on every run, and WASI without the handler.
#include <gmock/gmock.h>

#include <regex>

#include "host_values_fixture.h"

namespace theater::runtime::testing {
namespace {

constexpr const char* kProbe = "host_values_random_probe";

class RandomTest : public HostValuesTest {
 protected:
  Probe probe(const std::string& keys = "") {
    return spawn_probe(kProbe, "[[handler]]\ntype = \"random\"\n" + keys);
  }
  // The probe's "sequence" answer from a fresh actor with `keys`, which then stops.
  std::string sequence_of_a_run(const std::string& keys) {
    Probe actor = probe(keys);
    std::string sequence = ok_value(actor.request("sequence"));
    EXPECT_TRUE(runtime_->stop(actor.id()).ok());
    return sequence;
  }
};

TEST_F(RandomTest, RandomBytesAreAsLongAsAskedAndRecorded) {
  Probe actor = probe();
  const std::string hex = ok_value(actor.request("bytes 32"));
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(ok_value(actor.request("bytes 0")), "");
  auto recorded = actor.events("theater:simple/random/random-bytes");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(to_hex(recorded[0]["bytes"].get_binary()), hex);
  EXPECT_TRUE(recorded[1]["bytes"].get_binary().empty());
}

TEST_F(RandomTest, RandomBytesPastMaxBytesIsAnErrNamingTheLimit) {
  Probe actor = probe("max_bytes = 64\n");
  EXPECT_EQ(ok_value(actor.request("bytes 64")).size(), 128u);
  const std::string answer = actor.request("bytes 65");
  EXPECT_EQ(answer, "err permission denied: random-bytes of 65 bytes exceeds max_bytes (64 bytes)");
  auto recorded = actor.events("theater:simple/random/random-bytes");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ("err " + recorded[1]["error"].get<std::string>(), answer);
}

TEST_F(RandomTest, TheDefaultMaxBytesIsOneMebibyte) {
  Probe actor = probe();
  EXPECT_EQ(ok_value(actor.request("bytes 1048576")).size(), 2u * 1048576);
  EXPECT_EQ(actor.request("bytes 1048577"),
            "err permission denied: random-bytes of 1048577 bytes exceeds max_bytes (1048576 "
            "bytes)");
}

TEST_F(RandomTest, RandomRangeIsWithinMinAndMaxAndRecorded) {
  Probe actor = probe();
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 50; ++i) {
    const std::uint64_t v = std::stoull(ok_value(actor.request("range 10 13")));
    EXPECT_GE(v, 10u);
    EXPECT_LT(v, 13u);
    values.push_back(v);
  }
  // The whole top of the range is reachable: max - 1 on a one-wide range.
  EXPECT_EQ(ok_value(actor.request("range 18446744073709551614 18446744073709551615")),
            "18446744073709551614");
  auto recorded = actor.events("theater:simple/random/random-range");
  ASSERT_EQ(recorded.size(), 51u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(recorded[i], (nlohmann::json{{"min", 10}, {"max", 13}, {"value", values[i]}}));
  }
}

TEST_F(RandomTest, RandomRangeWithMinNotBelowMaxIsAnErr) {
  Probe actor = probe();
  EXPECT_EQ(actor.request("range 5 5"),
            "err random-range needs min < max (the range is [min, max)), got min 5 and max 5");
  EXPECT_EQ(actor.request("range 6 5"),
            "err random-range needs min < max (the range is [min, max)), got min 6 and max 5");
  auto recorded = actor.events("theater:simple/random/random-range");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_THAT(recorded[0]["error"].get<std::string>(), ::testing::HasSubstr("min 5 and max 5"));
}

TEST_F(RandomTest, RandomFloatIsInTheUnitIntervalAndRecordedExactly) {
  Probe actor = probe();
  std::vector<double> values;
  for (int i = 0; i < 20; ++i) {
    const double v = std::stod(ok_value(actor.request("float")));
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
    values.push_back(v);
  }
  auto recorded = actor.events("theater:simple/random/random-float");
  ASSERT_EQ(recorded.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(recorded[i]["value"].get<double>(), values[i]);  // %.17g round-trips a double
  }
}

TEST_F(RandomTest, GenerateUuidGivesVersion4UuidsAndRecordsThem) {
  Probe actor = probe();
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const std::string first = ok_value(actor.request("uuid"));
  const std::string second = ok_value(actor.request("uuid"));
  EXPECT_TRUE(std::regex_match(first, v4)) << first;
  EXPECT_TRUE(std::regex_match(second, v4)) << second;
  EXPECT_NE(first, second);
  auto recorded = actor.events("theater:simple/random/generate-uuid");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0]["uuid"], first);
  EXPECT_EQ(recorded[1]["uuid"], second);
}

TEST_F(RandomTest, ASeededActorDrawsTheSameSequenceOnEveryRunThroughTheWitAndWasi) {
  const std::string first = sequence_of_a_run("seed = 42\n");
  const std::string second = sequence_of_a_run("seed = 42\n");
  EXPECT_EQ(first, second);
  EXPECT_THAT(first, ::testing::MatchesRegex("bytes=[0-9a-f]{32} range=[0-9]+ float=[0-9.e-]+ "
                                             "uuid=[0-9a-f-]{36} wasi=[0-9a-f]{32}"));
}

TEST_F(RandomTest, DifferentSeedsAndNoSeedGiveDifferentSequences) {
  const std::string seed_42 = sequence_of_a_run("seed = 42\n");
  const std::string seed_43 = sequence_of_a_run("seed = 43\n");
  const std::string unseeded_1 = sequence_of_a_run("");
  const std::string unseeded_2 = sequence_of_a_run("");
  EXPECT_NE(seed_42, seed_43);
  EXPECT_NE(unseeded_1, unseeded_2);
  EXPECT_NE(unseeded_1, seed_42);
}

TEST_F(RandomTest, WasiRandomGetIsRecordedOnceAsWasiRandom) {
  Probe actor = probe("seed = 7\n");
  const std::size_t before = actor.events("wasi/random").size();
  const std::string hex = ok_value(actor.request("wasi 16"));
  auto recorded = actor.events("wasi/random");
  ASSERT_EQ(recorded.size(), before + 1);
  EXPECT_EQ(to_hex(recorded.back()["bytes"].get_binary()), hex);
  // The handler's own events are for WIT calls only: no second record of the draw.
  EXPECT_TRUE(actor.events("theater:simple/random/random-bytes").empty());
}

TEST_F(RandomTest, WasiRandomGetWithoutTheHandlerStillWorksFromTheOs) {
  Probe first = spawn_probe("host_values_wasi_probe", "");
  Probe second = spawn_probe("host_values_wasi_probe", "");
  const std::string a = ok_value(first.request("wasi 16"));
  const std::string b = ok_value(second.request("wasi 16"));
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(to_hex(first.events("wasi/random").back()["bytes"].get_binary()), a);
}

TEST_F(RandomTest, ASeedIsASettingAndMaxBytesNarrowsForAChild) {
  auto parent = spawn("name = \"parent\"\ncomponent = \"" + guest(kProbe) +
                      "\"\n[[handler]]\ntype = \"random\"\nmax_bytes = 16\nseed = 1\n");
  ASSERT_TRUE(parent.ok()) << parent.error().message;
  TheaterRuntime::SpawnOptions as_child;
  as_child.parent_id = *parent;
  auto wider = manifest("name = \"child\"\ncomponent = \"" + guest(kProbe) +
                            "\"\n[[handler]]\ntype = \"random\"\nmax_bytes = 17\n",
                        "child.toml");
  ASSERT_TRUE(wider.ok()) << wider.error().message;
  auto refused = runtime_->spawn(*wider, as_child);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("max_bytes"), std::string::npos)
      << refused.error().message;

  // Its own seed (a setting, not inherited from the parent's entry).
  auto seeded = manifest("name = \"child\"\ncomponent = \"" + guest(kProbe) +
                             "\"\n[[handler]]\ntype = \"random\"\nseed = 42\n",
                         "child.toml");
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;
  auto child = runtime_->spawn(*seeded, as_child);
  ASSERT_TRUE(child.ok()) << child.error().message;
  Probe probe_child(*child, *runtime_->handle(*child));
  EXPECT_EQ(probe_child.request("bytes 17"),
            "err permission denied: random-bytes of 17 bytes exceeds max_bytes (16 bytes)");
  Probe alone = probe("seed = 42\n");
  EXPECT_EQ(probe_child.request("bytes 16"), alone.request("bytes 16"));
}

TEST_F(RandomTest, ASeedOutsideTomlsIntegersIsRefused) {
  auto refused = manifest("name = \"probe\"\ncomponent = \"" + guest(kProbe) +
                          "\"\n[[handler]]\ntype = \"random\"\nseed = -1\n");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("seed"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace theater::runtime::testing
