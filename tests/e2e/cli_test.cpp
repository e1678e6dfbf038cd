// The `theater` CLI end to end, as a user runs it: real binary, real
// THEATER_HOME, real actors, and the independent Python verifier.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "../support/escapees.h"
#include "../support/proc_inspect.h"
#include "../support/sqlite_tamper.h"
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
    return theater_with_env(std::move(args), {"THEATER_HOME=" + home_.string()});
  }
  static std::unique_ptr<Subprocess> theater_with_env(std::vector<std::string> args,
                                                      std::vector<std::string> env) {
    args.insert(args.begin(), THEATER_BIN);
    return std::make_unique<Subprocess>(args, env);
  }
  // The bundled example's manifest, as its README runs it.
  static std::unique_ptr<Subprocess> process_runner(const std::vector<std::string>& options,
                                                    const std::filesystem::path& home) {
    std::vector<std::string> args = {
        "run", THEATER_SOURCE_DIR "/examples/process-runner/process-runner.toml"};
    args.insert(args.end(), options.begin(), options.end());
    return theater_with_env(args, {"THEATER_HOME=" + home.string()});
  }
  static size_t count(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
      ++n;
    return n;
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

// `events` and `verify` only read the log: they run without the engine
// module (and so without V8) beside the binary; a command that needs the
// engine says what is missing.
TEST_F(CliTest, LogCommandsRunWithoutTheEngineModuleAndEngineCommandsNameIt) {
  auto cli = run("shutdown");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  const std::string id = actor_id(cli->output());
  const auto alone = home_ / "alone";
  std::filesystem::create_directories(alone);
  std::filesystem::copy_file(THEATER_BIN, alone / "theater");
  const std::vector<std::string> env = {"THEATER_HOME=" + home_.string()};

  Subprocess verify({(alone / "theater").string(), "verify", id}, env);
  EXPECT_EQ(verify.wait(), 0) << verify.output();
  EXPECT_EQ(verify.output().rfind("ok: ", 0), 0u) << verify.output();
  Subprocess events({(alone / "theater").string(), "events", id, "--format", "jsonl"}, env);
  EXPECT_EQ(events.wait(), 0) << events.output();
  EXPECT_NE(events.output().find("\"event_type\""), std::string::npos) << events.output();

  Subprocess version({(alone / "theater").string(), "version"}, env);
  EXPECT_EQ(version.wait(), 1) << version.output();
  EXPECT_NE(version.output().find("cannot load the engine commands from " +
                                  (alone / "libtheater_engine_commands.so").string()),
            std::string::npos)
      << version.output();
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

// The first line of each block `theater events` prints: index, time, short hash, type.
struct PrettyHeader {
  uint64_t index;
  std::string time;
  std::string type;
};
std::vector<PrettyHeader> pretty_headers(const std::string& output) {
  static const std::regex kHeader(R"(^ *(\d+)  (\S+)  [0-9a-f]{12}  (\S+))");
  std::vector<PrettyHeader> headers;
  std::istringstream lines(output);
  std::smatch m;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, m, kHeader)) {
      headers.push_back({std::stoull(m[1].str()), m[2].str(), m[3].str()});
    }
  }
  return headers;
}
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(CliTest, PrettyEventsShowIsoTimesAndStatesAsText) {
  auto cli = run("shutdown");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  auto pretty = theater({"events", actor_id(cli->output())});
  ASSERT_EQ(pretty->wait(), 0) << pretty->output();
  const auto headers = pretty_headers(pretty->output());
  ASSERT_FALSE(headers.empty()) << pretty->output();
  static const std::regex kIsoUtcMs(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (const PrettyHeader& header : headers) {
    EXPECT_TRUE(std::regex_match(header.time, kIsoUtcMs)) << header.time;
  }
  // The init state is the JSON text "shutdown": its bytes are shown as that text.
  EXPECT_NE(pretty->output().find(R"("state":"\"shutdown\"")"), std::string::npos)
      << pretty->output();
  EXPECT_NE(pretty->output().find(R"("line":"a line on stdout")"), std::string::npos)
      << pretty->output();
  EXPECT_EQ(pretty->output().find(R"("bytes":[)"), std::string::npos) << pretty->output();
}

TEST_F(CliTest, PrettyEventsShowBytesThatAreNotUtf8AsMarkedHex) {
  auto cli = run_shell(R"(printf '\377ok\n')");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  auto pretty = theater({"events", actor_id(cli->output()), "--type", "wasm/call"});
  ASSERT_EQ(pretty->wait(), 0) << pretty->output();
  EXPECT_NE(pretty->output().find(R"("data":"hex:ff6f6b")"), std::string::npos) << pretty->output();
}

TEST_F(CliTest, EventsTypeSelectsExactTypesAndPrefixes) {
  auto cli = run("shutdown");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  const std::string id = actor_id(cli->output());
  auto all = theater({"events", id});
  ASSERT_EQ(all->wait(), 0) << all->output();
  const auto every = pretty_headers(all->output());

  auto selected = theater({"events", "--type", "wasm/result", "--type", "theater-runtime/", id});
  ASSERT_EQ(selected->wait(), 0) << selected->output();
  const auto shown = pretty_headers(selected->output());
  std::vector<uint64_t> expected;
  for (const PrettyHeader& header : every) {
    if (header.type == "wasm/result" || header.type.starts_with("theater-runtime/"))
      expected.push_back(header.index);
  }
  std::vector<uint64_t> indices;
  for (const PrettyHeader& header : shown) indices.push_back(header.index);
  EXPECT_EQ(indices, expected) << selected->output();
  EXPECT_LT(shown.size(), every.size());
  EXPECT_NE(selected->output().find("wasm/result"), std::string::npos) << selected->output();
  EXPECT_NE(selected->output().find("theater-runtime/stopped"), std::string::npos)
      << selected->output();
  // A type without its trailing '/' is exact, not a prefix.
  auto exact = theater({"events", id, "--type", "theater-runtime"});
  ASSERT_EQ(exact->wait(), 0) << exact->output();
  EXPECT_TRUE(pretty_headers(exact->output()).empty()) << exact->output();
}

TEST_F(CliTest, EventsFromAndLimitSelectAWindowInBothFormats) {
  auto cli = run("shutdown");
  ASSERT_EQ(cli->wait(), 0) << cli->output();
  const std::string id = actor_id(cli->output());
  auto window = theater({"events", id, "--from", "2", "--limit", "3"});
  ASSERT_EQ(window->wait(), 0) << window->output();
  std::vector<uint64_t> indices;
  for (const PrettyHeader& header : pretty_headers(window->output()))
    indices.push_back(header.index);
  EXPECT_EQ(indices, (std::vector<uint64_t>{2, 3, 4})) << window->output();

  auto all = theater({"events", id, "--format", "jsonl"});
  ASSERT_EQ(all->wait(), 0) << all->output();
  const auto every = lines_of(all->output());
  ASSERT_GT(every.size(), 5u);
  auto jsonl = theater({"events", id, "--format", "jsonl", "--from", "2", "--limit", "3"});
  ASSERT_EQ(jsonl->wait(), 0) << jsonl->output();
  EXPECT_EQ(lines_of(jsonl->output()),
            (std::vector<std::string>(every.begin() + 2, every.begin() + 5)));
  // Past the end there is nothing to show, which is not an error.
  auto past = theater({"events", id, "--from", std::to_string(every.size())});
  EXPECT_EQ(past->wait(), 0) << past->output();
  EXPECT_TRUE(past->output().empty()) << past->output();
}

TEST_F(CliTest, EventsRefusesANegativeFromOrLimitWith2) {
  for (const char* option : {"--from", "--limit"}) {
    auto cli = theater({"events", "some-id", option, "-1"});
    EXPECT_EQ(cli->wait(), 2) << cli->output();
    EXPECT_NE(cli->output().find(std::string(option) + ": expected a whole number"),
              std::string::npos)
        << cli->output();
  }
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
  // Several committed batches, so that cutting the newest leaves a chain behind.
  EXPECT_TRUE(testing::wait_until(
      [&] { return test_support::segment_count(home_ / "theater.db") >= 3; }, seconds(60)));
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

TEST_F(CliTest, SigtermStopsGracefullyWith143) {
  auto cli = run("wait");
  ASSERT_TRUE(cli->read_until("[stdout] a line on stdout", seconds(30))) << cli->output();
  kill(cli->pid(), SIGTERM);
  EXPECT_EQ(cli->wait(), 143) << cli->output();
  EXPECT_NE(cli->output().find("actor stopped (SIGTERM)"), std::string::npos) << cli->output();
  auto verify = theater({"verify", actor_id(cli->output())});
  EXPECT_EQ(verify->wait(), 0) << verify->output();
}

TEST_F(CliTest, TheActorIdIsPrintedBeforeInitRunsAndAgainWhenInitFails) {
  auto cli = run("fail");
  EXPECT_EQ(cli->wait(), 1) << cli->output();
  const std::string id = actor_id(cli->output());
  ASSERT_FALSE(id.empty()) << cli->output();
  const size_t id_line = cli->output().find("actor " + id + "\n");
  const size_t init_log = cli->output().find("[log] starting ");
  ASSERT_NE(id_line, std::string::npos) << cli->output();
  ASSERT_NE(init_log, std::string::npos) << cli->output();
  EXPECT_LT(id_line, init_log) << cli->output();
  EXPECT_NE(cli->output().find("error: actor " + id + " did not start: "), std::string::npos)
      << cli->output();
  // The id leads to the failed actor's chain.
  auto events = theater({"events", id});
  EXPECT_EQ(events->wait(), 0) << events->output();
  EXPECT_NE(events->output().find("theater-runtime/actor-failed"), std::string::npos)
      << events->output();
}

TEST_F(CliTest, AnUnknownCommandIsNamed) {
  auto cli = theater({"frobnicate", "now"});
  EXPECT_EQ(cli->wait(), 2) << cli->output();
  EXPECT_NE(cli->output().find("unknown command \"frobnicate\""), std::string::npos)
      << cli->output();
  EXPECT_EQ(cli->output().find("A subcommand is required"), std::string::npos) << cli->output();
}

TEST_F(CliTest, UsageErrorsExitWith2) {
  auto cli = theater({"run", (home_ / "actor.toml").string(), "--no-such-option"});
  EXPECT_EQ(cli->wait(), 2) << cli->output();
}

TEST_F(CliTest, WasmRunRefusesANegativeTimeout) {
  auto cli = theater({"wasm-run", THEATER_WASM_DIR "/runtime_lifecycle_actor.wasm", "_start",
                      "--timeout-ms", "-1"});
  EXPECT_EQ(cli->wait(), 2) << cli->output();
  EXPECT_NE(cli->output().find("--timeout-ms"), std::string::npos) << cli->output();
}

TEST_F(CliTest, AManifestThatIsADirectoryIsRefusedClearly) {
  std::filesystem::create_directories(home_ / "folder.toml");
  auto cli = theater({"run", (home_ / "folder.toml").string()});
  EXPECT_EQ(cli->wait(), 1) << cli->output();
  EXPECT_NE(cli->output().find("folder.toml is a directory"), std::string::npos) << cli->output();
}

TEST_F(CliTest, AManifestOverOneMebibyteIsRefusedClearly) {
  {
    std::ofstream big(home_ / "big.toml");
    big << "name = \"big\"\n";
    big << "# " << std::string(std::size_t{1} << 20, 'x') << "\n";
  }
  auto cli = theater({"run", (home_ / "big.toml").string()});
  EXPECT_EQ(cli->wait(), 1) << cli->output();
  EXPECT_NE(cli->output().find("over the limit of 1048576"), std::string::npos) << cli->output();
}

TEST_F(CliTest, AnEmptyTheaterHomeIsAnErrorNotAFallbackToTheUsersHome) {
  const auto user_home = home_ / "user";
  std::filesystem::create_directories(user_home);
  auto cli =
      theater_with_env({"run", (home_ / "actor.toml").string(), "--init-state", "\"shutdown\""},
                       {"THEATER_HOME=", "HOME=" + user_home.string()});
  EXPECT_EQ(cli->wait(), 1) << cli->output();
  EXPECT_NE(cli->output().find("THEATER_HOME is set but empty"), std::string::npos)
      << cli->output();
  EXPECT_FALSE(std::filesystem::exists(user_home / ".theater"));
  auto events =
      theater_with_env({"events", "some-id"}, {"THEATER_HOME=", "HOME=" + user_home.string()});
  EXPECT_EQ(events->wait(), 1) << events->output();
  EXPECT_NE(events->output().find("THEATER_HOME is set but empty"), std::string::npos)
      << events->output();
}

TEST_F(CliTest, TheProcessRunnerExampleExitsWithItsCommandsExitCode) {
  auto failing = process_runner({"--init-state", R"({"program": "false"})"}, home_);
  EXPECT_EQ(failing->wait(), 1) << failing->output();
  EXPECT_NE(failing->output().find("shutdown: 1"), std::string::npos) << failing->output();
  auto passing = process_runner({"--init-state", R"({"program": "true"})"}, home_);
  EXPECT_EQ(passing->wait(), 0) << passing->output();
  EXPECT_NE(passing->output().find("shutdown: 0"), std::string::npos) << passing->output();
}

TEST_F(CliTest, InitStateReplacesTheManifestsAndMergingIsExplicit) {
  // The manifest's init_state is {program = "ls", args = ["-l"]}.
  auto replaced = process_runner({"--init-state", R"({"program": "uname"})"}, home_);
  EXPECT_EQ(replaced->wait(), 0) << replaced->output();
  EXPECT_NE(replaced->output().find("[log] Linux"), std::string::npos) << replaced->output();
  auto merged = process_runner({"--merge-init-state", R"({"program": "uname"})"}, home_);
  EXPECT_EQ(merged->wait(), 1) << merged->output();  // uname -l: the manifest's args kept
  EXPECT_NE(merged->output().find("invalid option -- 'l'"), std::string::npos) << merged->output();
}

// THEATER_HOME on a 4 MiB tmpfs, and an actor whose command floods its output.
class FullDiskTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    disk_ = home_ / "disk";
    std::filesystem::create_directories(disk_);
    if (::mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=4m") != 0) {
      GTEST_SKIP() << "cannot mount a 4 MiB tmpfs at " << disk_ << " (" << std::strerror(errno)
                   << "): this test needs root or CAP_SYS_ADMIN";
    }
    mounted_ = true;
    std::ofstream(home_ / "flood.toml")
        << "name = \"flood\"\ncomponent = \"" << THEATER_WASM_DIR << "/process_runner.wasm\"\n"
        << "init_state = { program = \"yes\", args = [\"a line of output\"] }\n"
        << "[[handler]]\ntype = \"process\"\n"
        << "allowed_programs = [\"/bin/yes\", \"/usr/bin/yes\"]\n";
  }
  void TearDown() override {
    if (mounted_) ::umount2(disk_.c_str(), MNT_DETACH);
    CliTest::TearDown();
  }
  std::filesystem::path disk_;
  bool mounted_ = false;
};

TEST_F(FullDiskTest, AFullDiskStopsTheActorWithOneMessageAndWhatWasCommittedVerifies) {
  auto cli = theater_with_env({"run", (home_ / "flood.toml").string()},
                              {"THEATER_HOME=" + disk_.string()});
  EXPECT_EQ(cli->wait(seconds(120)), 74) << cli->output().substr(0, 4000);
  EXPECT_EQ(count(cli->output(), "No space left on device"), 1u) << cli->output().substr(0, 4000);
  EXPECT_NE(cli->output().find("error: actor "), std::string::npos)
      << cli->output().substr(0, 4000);
  EXPECT_NE(cli->output().find("its events can no longer be recorded"), std::string::npos)
      << cli->output().substr(0, 4000);
  EXPECT_EQ(cli->output().find("event not recorded"), std::string::npos)
      << cli->output().substr(0, 4000);

  // Every event committed before the disk filled is there and verifies.
  const std::string id = actor_id(cli->output());
  ASSERT_FALSE(id.empty()) << cli->output().substr(0, 4000);
  auto reader = chain::EventLogReader::open(disk_ / "theater.db");
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto events = (*reader)->read_events(id);
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_FALSE(events->empty());
  EXPECT_TRUE(chain::verify(*events).ok()) << chain::verify(*events).error().message;
  size_t output_calls = 0;
  bool ready = false;
  for (const chain::Event& event : *events) {
    ready = ready || event.event_type == "theater-runtime/actor-ready";
    if (event.event_type == "wasm/call" && event.description &&
        event.description->find("handle-stdout") != std::string::npos)
      ++output_calls;
  }
  EXPECT_TRUE(ready);
  EXPECT_GT(output_calls, 0u);  // the flood itself, up to the failure
}

}  // namespace
}  // namespace theater::e2e
