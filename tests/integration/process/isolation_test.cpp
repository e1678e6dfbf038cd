// What a child sees of the host (its environment), and what an actor sees of
// another actor's processes (nothing).
#include "process_fixture.h"

namespace theater::process_tests {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST_F(ProcessTest, TheChildEnvironmentIsExactlyWhatTheActorPassed) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn({"program=/usr/bin/env", "env=A=1", "env=B=two words", "out=line"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 0);
  EXPECT_THAT(probe.transcript().out[*id], UnorderedElementsAre("A=1", "B=two words"));

  // The chain names the variables, never their values.
  auto spawns = probe.events("theater:simple/process/spawn");
  ASSERT_EQ(spawns.size(), 1u);
  EXPECT_EQ(spawns[0].at("env"), nlohmann::json::array({"A", "B"}));
  EXPECT_EQ(spawns[0].dump().find("two words"), std::string::npos) << spawns[0].dump();
}

TEST_F(ProcessTest, InheritEnvPassesOnlyTheNamedHostVariables) {
  const char* path = std::getenv("PATH");
  ASSERT_NE(path, nullptr);
  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\ninherit_env = [\"PATH\"]\n");
  auto id =
      probe.spawn({"program=env", "env=OWN=mine", "out=line"});  // found through the inherited PATH
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 0);
  EXPECT_THAT(probe.transcript().out[*id],
              UnorderedElementsAre("OWN=mine", std::string("PATH=") + path));
  auto spawns = probe.events("theater:simple/process/spawn");
  ASSERT_EQ(spawns.size(), 1u);
  EXPECT_EQ(spawns[0].at("inherited_env"), nlohmann::json::array({"PATH"}));
  EXPECT_EQ(spawns[0].dump().find(path), std::string::npos);
}

TEST_F(ProcessTest, TwoActorsProcessIdsAndCallbacksNeverCross) {
  ASSERT_PROBE(first);
  ASSERT_PROBE(second);
  auto echo = [](const std::string& text) {
    return std::vector<std::string>{"program=/bin/echo", "arg=" + text, "out=line"};
  };
  // Interleaved, so both tables are busy at once.
  for (int i = 1; i <= 3; ++i) {
    auto a = first.spawn(echo("first-" + std::to_string(i)));
    auto b = second.spawn(echo("second-" + std::to_string(i)));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, static_cast<std::uint64_t>(i));  // each actor counts its own ids
    EXPECT_EQ(*b, static_cast<std::uint64_t>(i));
  }
  auto fourth = second.spawn({"program=/bin/sleep", "arg=1000"});
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(*fourth, 4u);
  for (std::uint64_t pid = 1; pid <= 3; ++pid) {
    ASSERT_EQ(first.wait_exit(pid), 0);
    ASSERT_EQ(second.wait_exit(pid), 0);
  }
  Transcript a = first.transcript();
  Transcript b = second.transcript();
  for (std::uint64_t pid = 1; pid <= 3; ++pid) {
    EXPECT_EQ(a.joined_out(pid), "first-" + std::to_string(pid));
    EXPECT_EQ(b.joined_out(pid), "second-" + std::to_string(pid));
  }
  EXPECT_EQ(a.exit.size(), 3u);

  // The first actor cannot reach the second one's process 4.
  EXPECT_THAT(first.request({"kill", "4"}), HasSubstr("no process 4"));
  EXPECT_THAT(second.request({"status", "4"}), ::testing::StartsWith("ok running=1"));
  EXPECT_EQ(second.request({"kill", "4"}), "ok");
  EXPECT_EQ(second.wait_exit(4), -9);
  EXPECT_EQ(first.transcript().exit.count(4), 0u);
}

}  // namespace
}  // namespace theater::process_tests
