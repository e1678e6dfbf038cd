// The `theater` CLI end to end, as a user runs it: real binary, real
// THEATER_HOME, real actors, and the independent Python verifier.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "../support/escapees.h"
#include "../support/proc_inspect.h"
#include "../support/wait.h"
#include "chain/event_log.h"
#include "chain/verify.h"
#include "handlers/process/os/cgroup.h"
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
  // `theater run` of examples/process-runner with `sh -c <script>` as its command.
  std::unique_ptr<Subprocess> run_shell(const std::string& script) {
    std::ofstream(home_ / "runner.toml")
        << "name = \"process-runner\"\ncomponent = \"" << THEATER_WASM_DIR
        << "/process_runner.wasm\"\n[[handler]]\ntype = \"process\"\n"
        << "allowed_programs = [\"/bin/sh\", \"/usr/bin/sh\"]\nkill_grace_ms = 200\n";
    return theater({"run", (home_ / "runner.toml").string(), "--init-state",
                    R"({"program": "/bin/sh", "args": ["-c", )" + json_string(script) + "]}"});
  }
  static std::string json_string(const std::string& text) {
    std::string quoted = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\"";
  }
  static std::string actor_id(const std::string& output) {
    std::smatch m;
    static const std::regex kId(
        "actor ([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");
    return std::regex_search(output, m, kId) ? m[1].str() : "";
  }
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
  Subprocess python(
      {"/usr/bin/env", "python3", THEATER_SOURCE_DIR "/tools/verify_chain.py", file.string()}, {});
  EXPECT_EQ(python.wait(), 0) << python.output();
  EXPECT_NE(python.output().find("ok"), std::string::npos) << python.output();

  auto verify_id = theater({"verify", id});
  EXPECT_EQ(verify_id->wait(), 0) << verify_id->output();
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
}

// Processes that left their group and session (setsid, a double fork, one
// ignoring SIGTERM): none outlives the actor, however `theater run` ends.
class EscapeesTest : public CliTest {
 protected:
  void SetUp() override {
    if (!process::CgroupRoot::create().ok()) GTEST_SKIP() << "no writable cgroup v2 here";
    CliTest::SetUp();
  }
  void TearDown() override {
    for (pid_t pid : escapees()) kill(pid, SIGKILL);  // only after a failure
    CliTest::TearDown();
  }
  std::vector<pid_t> escapees() const {
    return testing::proc::live_processes_running({"sleep", marker_});
  }
  const std::string marker_ = testing::proc::unique_sleep_marker();
};

TEST_F(EscapeesTest, AfterKillMinus9NoProcessOfTheActorIsLeft) {
  auto cli = run_shell(testing::escaping_script(marker_, "exec sleep " + marker_));
  ASSERT_TRUE(testing::wait_until([&] { return escapees().size() == testing::kEscapees + 1; }))
      << escapees().size() << " processes started\n"
      << cli->output();
  kill(cli->pid(), SIGKILL);
  EXPECT_EQ(cli->wait(), -SIGKILL);
  EXPECT_TRUE(testing::wait_until([&] { return escapees().empty(); }))
      << escapees().size() << " processes outlived `theater run`";
}

TEST_F(EscapeesTest, WhenTheActorStopsNoProcessOfItIsLeft) {
  // The command exits (which stops the actor) once its escapees are out of its group.
  const std::string all_out = "while [ \"$(pgrep -c -x -f 'sleep " + marker_ + "')\" -lt " +
                              std::to_string(testing::kEscapees) +
                              " ]; do sleep 0.01; done; echo escaped";
  auto cli = run_shell(testing::escaping_script(marker_, all_out));
  EXPECT_GE(cli->wait(), 0) << cli->output();  // ended by itself, not by a signal
  EXPECT_NE(cli->output().find("escaped"), std::string::npos) << cli->output();
  EXPECT_TRUE(testing::wait_until([&] { return escapees().empty(); }))
      << escapees().size() << " processes outlived the actor";
}

TEST_F(CliTest, AMissingManifestIsAClearError) {
  auto cli = theater({"run", (home_ / "nope.toml").string()});
  EXPECT_EQ(cli->wait(), 1);
  EXPECT_NE(cli->output().find("nope.toml"), std::string::npos) << cli->output();
}

}  // namespace
}  // namespace theater::e2e
