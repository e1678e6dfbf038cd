// The timing handler on a real actor: now, sleep, deadline, their limit, a
// sleep ended by the actor's stop, and every answer in the chain.
#include <future>

#include "host_values_fixture.h"

namespace theater::runtime::testing {
namespace {

constexpr const char* kProbe = "host_values_timing_probe";

std::uint64_t wall_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

class TimingTest : public HostValuesTest {
 protected:
  Probe probe(const std::string& keys = "", const std::string& extra = "") {
    return spawn_probe(kProbe, "[[handler]]\ntype = \"timing\"\n" + keys, extra);
  }
};

TEST_F(TimingTest, NowIsTheWallClockAndEveryValueIsInTheChain) {
  Probe actor = probe();
  const std::uint64_t before = wall_ms();
  const std::uint64_t first = std::stoull(ok_value(actor.request("now")));
  const std::uint64_t second = std::stoull(ok_value(actor.request("now")));
  const std::uint64_t after = wall_ms();
  EXPECT_LE(before, first);
  EXPECT_LE(first, second);
  EXPECT_LE(second, after);
  auto recorded = actor.events("theater:simple/timing/now");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0]["ms"], first);
  EXPECT_EQ(recorded[1]["ms"], second);
}

TEST_F(TimingTest, SleepWithinTheLimitReturnsOkAndIsRecorded) {
  Probe actor = probe("max_sleep_ms = 1000\n");
  EXPECT_EQ(actor.request("sleep 5"), "ok");
  EXPECT_EQ(actor.request("sleep 0"), "ok");
  auto recorded = actor.events("theater:simple/timing/sleep");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0], (nlohmann::json{{"duration_ms", 5}}));
  EXPECT_EQ(recorded[1], (nlohmann::json{{"duration_ms", 0}}));
}

TEST_F(TimingTest, SleepPastMaxSleepIsAnErrNamingTheLimit) {
  Probe actor = probe("max_sleep_ms = 100\n");
  const std::string answer = actor.request("sleep 5000");
  EXPECT_EQ(answer,
            "err permission denied: timing.sleep would wait 5000 ms, more than max_sleep_ms "
            "(100 ms)");
  auto recorded = actor.events("theater:simple/timing/sleep");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0]["duration_ms"], 5000);
  EXPECT_EQ("err " + recorded[0]["error"].get<std::string>(), answer);
}

TEST_F(TimingTest, ADeadlineInThePastReturnsAtOnce) {
  // max_sleep_ms = 0: any wait at all would be refused, so ok means no wait.
  Probe actor = probe("max_sleep_ms = 0\n");
  EXPECT_EQ(actor.request("deadline 1"), "ok");
  EXPECT_EQ(actor.request("deadline " + std::to_string(wall_ms() - 1000)), "ok");
  auto recorded = actor.events("theater:simple/timing/deadline");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0], (nlohmann::json{{"timestamp_ms", 1}}));
}

TEST_F(TimingTest, AFutureDeadlineWaitsUntilItAndOnePastTheLimitIsRefused) {
  Probe actor = probe("max_sleep_ms = 60000\n");
  const std::uint64_t asked = wall_ms();
  EXPECT_EQ(actor.request("deadline-in 20"), "ok");
  auto recorded = actor.events("theater:simple/timing/deadline");
  ASSERT_EQ(recorded.size(), 1u);
  // The deadline the actor asked for has passed once the call returned.
  EXPECT_LE(recorded[0]["timestamp_ms"].get<std::uint64_t>(), wall_ms());
  EXPECT_GE(recorded[0]["timestamp_ms"].get<std::uint64_t>(), asked + 20);

  const std::string far = std::to_string(wall_ms() + 3'600'000);
  const std::string answer = actor.request("deadline " + far);
  EXPECT_EQ(answer.rfind("err permission denied: timing.deadline would wait ", 0), 0u) << answer;
  EXPECT_NE(answer.find("more than max_sleep_ms (60000 ms)"), std::string::npos) << answer;
}

TEST_F(TimingTest, AnActorBeingStoppedWakesFromItsSleepAndTheCallEndsWithAnErr) {
  // A call timeout far beyond the test's patience: only the stop can end the sleep.
  Probe actor = probe("", "[limits]\ncall_timeout_ms = 3600000\n");
  std::promise<std::string> answered;
  using Params = std::tuple<std::string, handler::Bytes>;
  const std::string command = "sleep 3000000";
  Status sent = actor.actor().call<Params, std::optional<handler::Bytes>>(
      kHandleRequest, Params("test", handler::Bytes(command.begin(), command.end())),
      {{"test", command}}, [&](Result<std::tuple<std::optional<handler::Bytes>>> outcome) {
        if (!outcome.ok()) {
          answered.set_value("call failed: " + outcome.error().message);
        } else {
          const auto& bytes = std::get<0>(*outcome);
          answered.set_value(bytes ? std::string(bytes->begin(), bytes->end()) : "<no answer>");
        }
      });
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_TRUE(observer_.wait_log("log: sleeping"));

  auto stopped = std::async(std::launch::async, [&] { return runtime_->stop(actor.id()); });
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "the stop did not return";
  EXPECT_TRUE(stopped.get().ok());
  auto answer = answered.get_future();
  ASSERT_EQ(answer.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const std::string text = answer.get();
  EXPECT_EQ(text.rfind("err timing.sleep ended early: the actor is stopping", 0), 0u) << text;

  auto recorded = persisted(actor.id(), "theater:simple/timing/sleep");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0]["duration_ms"], 3000000);
  EXPECT_EQ("err " + recorded[0]["error"].get<std::string>(), text);
}

TEST_F(TimingTest, AChildCannotSleepLongerThanItsParentAllows) {
  auto parent = spawn("name = \"parent\"\ncomponent = \"" + guest(kProbe) +
                      "\"\n[[handler]]\ntype = \"timing\"\nmax_sleep_ms = 1000\n");
  ASSERT_TRUE(parent.ok()) << parent.error().message;
  TheaterRuntime::SpawnOptions as_child;
  as_child.parent_id = *parent;
  auto wider = manifest("name = \"child\"\ncomponent = \"" + guest(kProbe) +
                            "\"\n[[handler]]\ntype = \"timing\"\nmax_sleep_ms = 5000\n",
                        "child.toml");
  ASSERT_TRUE(wider.ok()) << wider.error().message;
  auto refused = runtime_->spawn(*wider, as_child);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied) << refused.error().message;
  EXPECT_NE(refused.error().message.find("max_sleep_ms"), std::string::npos);

  // Left out, the child's limit is its parent's.
  auto inherited = manifest(
      "name = \"child\"\ncomponent = \"" + guest(kProbe) + "\"\n[[handler]]\ntype = \"timing\"\n",
      "child.toml");
  ASSERT_TRUE(inherited.ok());
  auto child = runtime_->spawn(*inherited, as_child);
  ASSERT_TRUE(child.ok()) << child.error().message;
  Probe probe_child(*child, *runtime_->handle(*child));
  EXPECT_NE(probe_child.request("sleep 2000").find("max_sleep_ms (1000 ms)"), std::string::npos);
}

}  // namespace
}  // namespace theater::runtime::testing
