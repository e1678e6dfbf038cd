// The supervisor's decisions, apart from any actor: restart types, OTP's
// intensity, backoff, and which children each strategy restarts.
#include "handlers/supervisor/restart_policy.h"

#include <gtest/gtest.h>

namespace theater::handlers {
namespace {

using Kind = handler::ChildEnd::Kind;
using std::chrono::milliseconds;

TEST(RestartPolicy, RestartTypesFollowOtp) {
  EXPECT_TRUE(should_restart(RestartType::kPermanent, Kind::kFailed));
  EXPECT_TRUE(should_restart(RestartType::kPermanent, Kind::kExited));
  EXPECT_TRUE(should_restart(RestartType::kTransient, Kind::kFailed));
  EXPECT_FALSE(should_restart(RestartType::kTransient, Kind::kExited));
  EXPECT_FALSE(should_restart(RestartType::kTemporary, Kind::kFailed));
  // A stop by someone else is meant, whatever the type.
  EXPECT_FALSE(should_restart(RestartType::kPermanent, Kind::kStopped));
}

TEST(RestartPolicy, IntensityAdmitsMaxRestartsPerWindow) {
  RestartIntensity intensity(2, milliseconds(1000));
  const SteadyTime t0{};
  EXPECT_TRUE(intensity.admit(t0));
  EXPECT_TRUE(intensity.admit(t0 + milliseconds(10)));
  EXPECT_FALSE(intensity.admit(t0 + milliseconds(20)));  // a third within the window
  EXPECT_TRUE(intensity.admit(t0 + milliseconds(1005)));  // the first has left it
  RestartIntensity none(0, milliseconds(1000));
  EXPECT_FALSE(none.admit(t0));
}

TEST(RestartPolicy, BackoffDoublesPerAttemptAndIsCapped) {
  EXPECT_EQ(backoff_delay(milliseconds(0), 5), milliseconds(0));
  EXPECT_EQ(backoff_delay(milliseconds(10), 1), milliseconds(10));
  EXPECT_EQ(backoff_delay(milliseconds(10), 2), milliseconds(20));
  EXPECT_EQ(backoff_delay(milliseconds(10), 4), milliseconds(80));
  EXPECT_EQ(backoff_delay(milliseconds(10), 1000), kMaxBackoff);
  ChildRestarts restarts;
  const SteadyTime t0{};
  EXPECT_EQ(restarts.next_attempt(t0, milliseconds(100)), 1u);
  EXPECT_EQ(restarts.next_attempt(t0 + milliseconds(50), milliseconds(100)), 2u);
  EXPECT_EQ(restarts.next_attempt(t0 + milliseconds(500), milliseconds(100)), 1u);
}

TEST(RestartPolicy, StrategiesNameTheChildrenToRestart) {
  using V = std::vector<size_t>;
  EXPECT_EQ(restarted_by(Strategy::kNone, 1, 3), V{});
  EXPECT_EQ(restarted_by(Strategy::kOneForOne, 1, 3), (V{1}));
  EXPECT_EQ(restarted_by(Strategy::kOneForAll, 1, 3), (V{0, 1, 2}));
  EXPECT_EQ(restarted_by(Strategy::kRestForOne, 1, 3), (V{1, 2}));
  EXPECT_EQ(restarted_by(Strategy::kOneForOne, 3, 3), V{});
}

}  // namespace
}  // namespace theater::handlers
