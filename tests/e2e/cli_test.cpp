// The `theater` CLI end to end, as a user runs it: real binary, real
// THEATER_HOME, real actors, and the independent Python verifier.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "../support/sqlite_tamper.h"
#include "chain/event_log.h"
#include "chain/verify.h"
#include "subprocess.h"

namespace theater::e2e {
namespace {

using std::chrono::seconds;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("theater-cli-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_);
    std::ofstream(home_ / "actor.toml")
        << "name = \"lifecycle\"\nversion = \"0.1.0\"\ncomponent = \"" << THEATER_WASM_DIR
        << "/runtime_lifecycle_actor.wasm\"\n";
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  std::unique_ptr<Subprocess> theater(std::vector<std::string> args) {
    args.insert(args.begin(), THEATER_BIN);
    return std::make_unique<Subprocess>(args,
                                        std::vector<std::string>{"THEATER_HOME=" + home_.string()});
  }
  std::unique_ptr<Subprocess> run(const std::string& mode) {
    return theater({"run", (home_ / "actor.toml").string(), "--init-state", "\"" + mode + "\""});
  }
  static std::string actor_id(const std::string& output) {
    std::smatch m;
    static const std::regex kId(
        "actor ([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");
    return std::regex_search(output, m, kId) ? m[1].str() : "";
  }
  std::string killed_chatty_actor();
  std::filesystem::path home_;
};

TEST_F(CliTest, VersionNamesTheEngineAndTheAllocatorTheBuildChose) {
  auto cli = theater({"version"});
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  EXPECT_NE(cli->output().find("(V8 "), std::string::npos) << cli->output();
#ifdef THEATER_MALLOC_JEMALLOC
  EXPECT_NE(cli->output().find("jemalloc "), std::string::npos) << cli->output();
#else
  EXPECT_NE(cli->output().find("system malloc"), std::string::npos) << cli->output();
#endif
}

TEST_F(CliTest, RunPrintsTheIdAndLogsAndEndsWithTheShutdownData) {
  auto cli = run("shutdown");
  const int code = cli->wait();
  EXPECT_EQ(code, 0) << cli->output();
  EXPECT_FALSE(actor_id(cli->output()).empty()) << cli->output();
  EXPECT_NE(cli->output().find("[log] starting "), std::string::npos) << cli->output();
  EXPECT_NE(cli->output().find("[stdout] a line on stdout"), std::string::npos) << cli->output();
  EXPECT_NE(cli->output().find("shutdown: all done"), std::string::npos) << cli->output();
}

TEST_F(CliTest, EventsExportAsJsonlThatTheIndependentVerifierAccepts) {
  auto cli = run("shutdown");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  const std::string id = actor_id(cli->output());
  auto events = theater({"events", id, "--format", "jsonl"});
  ASSERT_EQ(events->wait(), 0) << events->output();
  const auto file = home_ / "chain.jsonl";
  std::ofstream(file) << events->output();
  Subprocess python({"/usr/bin/env", "python3", THEATER_SOURCE_DIR "/tools/verify_chain.py",
                     "--actor", id, "--require-stop", file.string()},
                    {});
  EXPECT_EQ(python.wait(), 0) << python.output();
  EXPECT_NE(python.output().find("ok"), std::string::npos) << python.output();

  auto verify_id = theater({"verify", id});
  EXPECT_EQ(verify_id->wait(), 0) << verify_id->output();
  // The first event binds the chain to its actor and module.
  EXPECT_NE(verify_id->output().find("events verify; actor " + id + ", module sha256 "),
            std::string::npos)
      << verify_id->output();
  auto verify_file = theater({"verify", file.string()});
  EXPECT_EQ(verify_file->wait(), 0) << verify_file->output();
  auto pretty = theater({"events", id});
  EXPECT_EQ(pretty->wait(), 0);
  EXPECT_NE(pretty->output().find("wasm/call"), std::string::npos) << pretty->output();
}

TEST_F(CliTest, AFailingActorEndsTheRunWithItsError) {
  auto cli = run("fail");
  EXPECT_EQ(cli->wait(), 1) << cli->output();
  EXPECT_NE(cli->output().find("refusing to start"), std::string::npos) << cli->output();
}

TEST_F(CliTest, ProcExitDuringInitIsAnInitFailureNamingTheCode) {
  auto cli = run("exit3");
  EXPECT_EQ(cli->wait(), 1) << cli->output();
  EXPECT_NE(cli->output().find("proc_exit(3)"), std::string::npos) << cli->output();
}

TEST_F(CliTest, CtrlCStopsGracefullyWith130) {
  auto cli = run("wait");
  ASSERT_TRUE(cli->read_until("[stdout] a line on stdout", seconds(30))) << cli->output();
  ASSERT_TRUE(cli->read_until("actor ", seconds(30))) << cli->output();
  kill(cli->pid(), SIGINT);
  EXPECT_EQ(cli->wait(), 130) << cli->output();
  auto verify = theater({"verify", actor_id(cli->output())});
  EXPECT_EQ(verify->wait(), 0) << verify->output();
}

TEST_F(CliTest, AfterKillMinus9EveryCommittedEventIsThereAndVerifies) {
  auto cli = run("chatty");
  ASSERT_TRUE(cli->read_until("chatty line 2000", seconds(60))) << cli->output().substr(0, 2000);
  kill(cli->pid(), SIGKILL);
  EXPECT_EQ(cli->wait(), -SIGKILL);
  auto reader = chain::EventLogReader::open(home_ / "theater.db");
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto actors = (*reader)->list_actors();
  ASSERT_TRUE(actors.ok());
  ASSERT_EQ(actors->size(), 1u);
  auto events = (*reader)->read_events((*actors)[0]);
  ASSERT_TRUE(events.ok());
  // Whatever was committed before the kill is there, in one piece.
  ASSERT_FALSE(events->empty());
  EXPECT_TRUE(chain::verify(*events).ok()) << chain::verify(*events).error().message;

  // But the actor never stopped: the chain is incomplete, which verify tells apart.
  auto verify = theater({"verify", (*actors)[0]});
  EXPECT_EQ(verify->wait(), 3) << verify->output();
  EXPECT_NE(verify->output().find("incomplete: "), std::string::npos) << verify->output();
  auto printed = theater({"events", (*actors)[0], "--format", "jsonl"});
  EXPECT_EQ(printed->wait(), 0);
  EXPECT_NE(printed->output().find("warning: "), std::string::npos)
      << printed->output().substr(0, 2000);
}

// A chain cut by killing its writer, for the tests that damage it further.
std::string CliTest::killed_chatty_actor() {
  auto cli = run("chatty");
  EXPECT_TRUE(cli->read_until("chatty line 2000", seconds(60))) << cli->output().substr(0, 2000);
  kill(cli->pid(), SIGKILL);
  EXPECT_EQ(cli->wait(), -SIGKILL);
  auto reader = chain::EventLogReader::open(home_ / "theater.db");
  if (!reader.ok()) return "";
  auto actors = (*reader)->list_actors();
  return actors.ok() && actors->size() == 1 ? actors->front() : "";
}

TEST_F(CliTest, ADeletedNewestSegmentIsATruncationAndEventsStillPrintsWithAWarning) {
  const std::string id = killed_chatty_actor();
  ASSERT_FALSE(id.empty());
  test_support::delete_newest_segment(home_ / "theater.db", id);
  auto verify = theater({"verify", id});
  EXPECT_EQ(verify->wait(), 1) << verify->output();
  EXPECT_NE(verify->output().find("truncated: the log's head records "), std::string::npos)
      << verify->output();
  EXPECT_NE(verify->output().find(" are missing"), std::string::npos) << verify->output();

  auto printed = theater({"events", id});
  EXPECT_EQ(printed->wait(), 0);
  EXPECT_NE(printed->output().find("theater-runtime/actor-load"), std::string::npos)
      << printed->output().substr(0, 2000);
  EXPECT_NE(printed->output().find("warning: this chain does not verify"), std::string::npos)
      << printed->output().substr(printed->output().size() -
                                  std::min<size_t>(2000, printed->output().size()));
}

TEST_F(CliTest, SwappedActorIdsAreAMismatchNamingBoth) {
  auto first = run("shutdown");
  ASSERT_EQ(first->wait(), 0) << first->output();
  auto second = run("shutdown");
  ASSERT_EQ(second->wait(), 0) << second->output();
  const std::string a = actor_id(first->output());
  const std::string b = actor_id(second->output());
  ASSERT_FALSE(a.empty() || b.empty() || a == b);
  test_support::swap_actor_ids(home_ / "theater.db", a, b);
  auto verify = theater({"verify", a});
  EXPECT_EQ(verify->wait(), 1) << verify->output();
  EXPECT_NE(verify->output().find("mismatch: the chain stored under actor " + a + " is actor " + b +
                                  "'s"),
            std::string::npos)
      << verify->output();
}

TEST_F(CliTest, AHostileSegmentLengthIsAClearErrorNotAnAllocation) {
  auto cli = run("shutdown");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  const std::string id = actor_id(cli->output());
  test_support::set_newest_segment_length(home_ / "theater.db", id, uint64_t{1} << 40);
  for (const char* command : {"verify", "events"}) {
    auto read = theater({command, id});
    EXPECT_EQ(read->wait(), 1) << read->output();
    EXPECT_NE(read->output().find((home_ / "theater.db-events").string() + " ends at byte"),
              std::string::npos)
        << read->output();
    EXPECT_NE(read->output().find("expects 1099511627776 bytes from byte "), std::string::npos)
        << read->output();
  }
}

TEST_F(CliTest, VerifyUsageErrorsExit2) {
  auto missing = theater({"verify"});
  EXPECT_EQ(missing->wait(), 2) << missing->output();
  auto extra = theater({"verify", "one", "two"});
  EXPECT_EQ(extra->wait(), 2) << extra->output();
  auto help = theater({"verify", "--help"});
  EXPECT_EQ(help->wait(), 0);
  EXPECT_NE(help->output().find("3  incomplete"), std::string::npos) << help->output();
}

TEST_F(CliTest, AMissingManifestIsAClearError) {
  auto cli = theater({"run", (home_ / "nope.toml").string()});
  EXPECT_EQ(cli->wait(), 1);
  EXPECT_NE(cli->output().find("nope.toml"), std::string::npos) << cli->output();
}

}  // namespace
}  // namespace theater::e2e
