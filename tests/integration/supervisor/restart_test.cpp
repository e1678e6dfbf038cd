// Restarts as in Erlang/OTP: strategies, restart types, intensity and
// escalation, backoff, restart-child; a restarted child keeps its id and its
// chain goes on.
#include "chain/audit.h"
#include "supervisor_fixture.h"

namespace theater::runtime::testing {
namespace {

class RestartTest : public SupervisorTest {
 protected:
  // A supervisor with `settings` and three workers (state "a", "b", "c"),
  // each with one "+" added so a restart (back to the initial state) shows.
  void start_three(const std::string& settings) {
    write_worker();
    auto sup = start_supervisor(settings);
    ASSERT_TRUE(sup.ok()) << sup.error().message;
    sup_ = *sup;
    for (const char* name : {"a", "b", "c"}) {
      const std::string id =
          answered_id(send(sup_, std::string("spawn-init:") + name + "|worker.toml"));
      ASSERT_FALSE(id.empty()) << state_text(sup_);
      send(id, "inc");
      workers_.push_back(id);
    }
  }
  bool restarted(size_t i) { return state_text(workers_[i]).find('+') == std::string::npos; }

  std::string sup_;
  std::vector<std::string> workers_;
};

TEST_F(RestartTest, OneForOneRestartsOnlyTheFailedChildUnderItsId) {
  start_three("strategy = \"one-for-one\"\n");
  crash(workers_[1]);
  ASSERT_TRUE(wait_restarted(workers_[1], 1));
  EXPECT_EQ(state_text(workers_[1]), "b");  // init ran again with its initial state
  EXPECT_EQ(state_text(workers_[0]), "a+");
  EXPECT_EQ(state_text(workers_[2]), "c+");
  EXPECT_EQ(restarts_of(workers_[0]) + restarts_of(workers_[2]), 0u);
  EXPECT_EQ(children_of(sup_).size(), 3u);
  // Its parent heard the failure once, and recorded the restart.
  ASSERT_TRUE(wait_log_containing("child-error " + workers_[1]));
  auto restarts = events_of(sup_, "theater:simple/supervisor/restart");
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0]["child"], workers_[1]);
  EXPECT_EQ(restarts[0]["attempt"], 1);
}

TEST_F(RestartTest, OneForAllRestartsEveryChild) {
  start_three("strategy = \"one-for-all\"\n");
  crash(workers_[1]);
  for (const std::string& id : workers_) ASSERT_TRUE(wait_restarted(id, 1)) << id;
  EXPECT_EQ(state_text(workers_[0]), "a");
  EXPECT_EQ(state_text(workers_[1]), "b");
  EXPECT_EQ(state_text(workers_[2]), "c");
  // Only the failed child gave a notice: the others were stopped by the strategy.
  ASSERT_TRUE(wait_log_containing("child-error " + workers_[1]));
  EXPECT_EQ(logs_containing(workers_[0]) + logs_containing(workers_[2]), 0u);
}

TEST_F(RestartTest, RestForOneRestartsTheFailedChildAndThoseStartedAfterIt) {
  start_three("strategy = \"rest-for-one\"\n");
  crash(workers_[1]);
  ASSERT_TRUE(wait_restarted(workers_[1], 1));
  ASSERT_TRUE(wait_restarted(workers_[2], 1));
  EXPECT_EQ(state_text(workers_[0]), "a+");
  EXPECT_EQ(restarts_of(workers_[0]), 0u);
  EXPECT_EQ(state_text(workers_[2]), "c");
}

TEST_F(RestartTest, StrategyNoneRestartsNothingButRestartChildDoes) {
  start_three("");
  crash(workers_[0]);
  ASSERT_TRUE(wait_log_containing("child-error " + workers_[0]));
  EXPECT_FALSE(running(workers_[0]));
  // On demand: an ended child, and a running one, start again under their ids.
  EXPECT_EQ(send(sup_, "restart:" + workers_[0]), "ok:");
  EXPECT_EQ(send(sup_, "restart:" + workers_[2]), "ok:");
  EXPECT_TRUE(running(workers_[0]));
  EXPECT_EQ(state_text(workers_[0]), "a");
  EXPECT_EQ(state_text(workers_[2]), "c");
  EXPECT_EQ(restarts_of(workers_[0]), 1u);
  EXPECT_EQ(restarts_of(workers_[2]), 1u);
  EXPECT_EQ(logs_containing(workers_[2]), 0u);  // its own restart: no notice
}

TEST_F(RestartTest, ARestartedChildsChainContinuesAndVerifies) {
  start_three("strategy = \"one-for-one\"\n");
  crash(workers_[0]);
  ASSERT_TRUE(wait_restarted(workers_[0], 1));
  auto restart = events_of(workers_[0], "theater-runtime/restart");
  ASSERT_EQ(restart.size(), 1u);
  EXPECT_EQ(restart[0]["attempt"], 1);
  EXPECT_NE(restart[0]["reason"].get<std::string>().find("handle-send"), std::string::npos);
  ASSERT_TRUE(runtime_->stop(sup_).ok());
  ASSERT_TRUE(runtime_->flush_events().ok());
  auto reader = chain::EventLogReader::open(home_ / "theater.db");
  ASSERT_TRUE(reader.ok());
  auto report = chain::audit_stored_chain(**reader, workers_[0]);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, chain::Verdict::kOk) << report->summary();
  EXPECT_EQ(events_of(workers_[0], "theater-runtime/actor-load").size(), 2u);
}

TEST_F(RestartTest, RestartTypesDecideWhetherAnEndedChildComesBack) {
  write_worker("permanent.toml", "restart = \"permanent\"\n");
  write_worker("transient.toml", "restart = \"transient\"\n");
  write_worker("temporary.toml", "restart = \"temporary\"\n");
  write_worker("default.toml");
  auto sup = start_supervisor("strategy = \"one-for-one\"\nmax_restarts = 100\n");
  ASSERT_TRUE(sup.ok());
  auto spawn = [&](const char* file) {
    return answered_id(send(*sup, std::string("spawn:") + file));
  };
  const std::string permanent_exit = spawn("permanent.toml");
  const std::string default_exit = spawn("default.toml");
  const std::string transient_exit = spawn("transient.toml");
  const std::string transient_fail = spawn("transient.toml");
  const std::string temporary_fail = spawn("temporary.toml");
  const std::string external = spawn("permanent.toml");

  send(permanent_exit, "shutdown-none");
  send(default_exit, "shutdown-none");
  send(transient_exit, "shutdown-none");
  crash(transient_fail);
  crash(temporary_fail);
  ASSERT_TRUE(runtime_->stop(external).ok());
  ASSERT_TRUE(wait_restarted(permanent_exit, 1));
  ASSERT_TRUE(wait_restarted(default_exit, 1));  // permanent, as in OTP
  ASSERT_TRUE(wait_restarted(transient_fail, 1));
  // Ends are handled in order: once a later one restarted, the earlier
  // ones that were not restarted never will be.
  const std::string sentinel = spawn("permanent.toml");
  crash(sentinel);
  ASSERT_TRUE(wait_restarted(sentinel, 1));
  EXPECT_FALSE(running(transient_exit));
  EXPECT_FALSE(running(temporary_fail));
  EXPECT_FALSE(running(external));  // stopped by someone else: meant
  EXPECT_EQ(restarts_of(transient_exit) + restarts_of(temporary_fail) + restarts_of(external), 0u);
}

TEST_F(RestartTest, IntensityExceededEscalatesThroughTwoLevels) {
  write_worker();
  write_supervisor("middle.toml",
                   "strategy = \"one-for-one\"\nmax_restarts = 1\nrestart_window_ms = 600000\n");
  auto top = start_supervisor("strategy = \"one-for-one\"\nmax_restarts = 0\n");
  ASSERT_TRUE(top.ok());
  const std::string middle = answered_id(send(*top, "spawn-init:spawn:worker.toml|middle.toml"));
  ASSERT_FALSE(middle.empty()) << state_text(*top);
  ASSERT_EQ(children_of(middle).size(), 1u);
  const std::string leaf = children_of(middle)[0];

  crash(leaf);
  ASSERT_TRUE(wait_restarted(leaf, 1));  // the one restart the middle allows
  crash(leaf);
  // The middle stops its child and fails; the top, allowed none, does too.
  auto exit = observer_.wait_exit(*top);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->kind, ActorExit::Kind::kFailed);
  ASSERT_TRUE(exit->error.has_value());
  const std::string& why = exit->error->message;
  EXPECT_NE(why.find("restart intensity exceeded"), std::string::npos) << why;
  EXPECT_NE(why.find(middle), std::string::npos) << why;
  EXPECT_NE(why.find(leaf), std::string::npos) << why;
  EXPECT_TRUE(theater::testing::wait_until([&] { return runtime_->list().empty(); }));
  EXPECT_EQ(events_of(middle, "theater:simple/supervisor/escalate").size(), 1u);
  EXPECT_EQ(events_of(*top, "theater:simple/supervisor/escalate").size(), 1u);
}

TEST_F(RestartTest, AChildThatCrashesOnEveryStartBacksOffUntilTheIntensityStopsIt) {
  write_worker();
  auto sup = start_supervisor(
      "strategy = \"one-for-one\"\nmax_restarts = 4\nrestart_window_ms = 600000\n"
      "restart_backoff_ms = 5\n");
  ASSERT_TRUE(sup.ok());
  const std::string child = answered_id(send(*sup, "spawn-init:crash-on-restart|worker.toml"));
  ASSERT_FALSE(child.empty()) << state_text(*sup);
  crash(child);  // from now on its init traps each time it starts
  auto exit = observer_.wait_exit(*sup);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->kind, ActorExit::Kind::kFailed);
  EXPECT_NE(exit->error->message.find("restart intensity exceeded"), std::string::npos);
  // Exactly max_restarts attempts, each one waiting twice as long as the last.
  auto restarts = events_of(*sup, "theater:simple/supervisor/restart");
  ASSERT_EQ(restarts.size(), 4u);
  for (size_t i = 0; i < restarts.size(); ++i) {
    EXPECT_EQ(restarts[i]["attempt"], i + 1);
    EXPECT_NE(restarts[i]["error"], "") << "attempt " << i + 1 << " should have failed";
  }
  EXPECT_EQ(restarts_of(child), 4u);
  EXPECT_TRUE(runtime_->list().empty());
}

}  // namespace
}  // namespace theater::runtime::testing
