// Processes that leave their process group (setsid, a double fork into a new
// session, one that ignores SIGTERM too) still end with their table, and
// nothing outside the table is touched. Needs cgroup v2 (cgroup.h); where
// the machine has none the tests say so and skip.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "../../support/escapees.h"
#include "handlers/process/os/process_table.h"
#include "test_support.h"

namespace theater::process {
namespace {

using namespace std::chrono_literals;
using support::RecordingListener;
using support::wait_until;
using theater::testing::escaping_script;
using theater::testing::kEscapees;

ProcessConfig shell(std::string script) {
  ProcessConfig config;
  config.spawn.program = "/bin/sh";
  config.spawn.args = {"-c", std::move(script)};
  config.stdout_framing.mode = OutputMode::kLineByLine;
  return config;
}

std::vector<pid_t> escapees(const std::string& marker) {
  return support::live_processes_running({"sleep", marker});
}

class EscapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto service = ProcessService::start();
    ASSERT_TRUE(service.ok()) << service.error().message;
    service_ = std::move(service).value();
    if (service_->cgroups() == nullptr) GTEST_SKIP() << "no writable cgroup v2 here";
  }

  std::unique_ptr<ProcessTable> make_table(RecordingListener& listener) {
    auto table = ProcessTable::create(*service_, TableLimits{}, listener);
    EXPECT_TRUE(table.ok()) << table.error().message;
    return table.ok() ? std::move(table).value() : nullptr;
  }

  // Spawns the escaping family and waits until all its escapees run. The
  // leader waits for its stdin to close (close_stdin lets it exit): were it
  // to exit earlier, an escapee not yet out of the group would die with it.
  ProcessId start_escapees(ProcessTable& table, const std::string& marker) {
    auto id = table.spawn(shell(escaping_script(marker, "read go; exit 0")));
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    EXPECT_TRUE(wait_until([&] { return escapees(marker).size() == kEscapees; }))
        << escapees(marker).size() << " of " << kEscapees << " escapees started";
    return id.ok() ? *id : 0;
  }

  void TearDown() override {
    for (pid_t pid : leftovers_) ::kill(pid, SIGKILL);  // only after a failure
  }

  std::unique_ptr<ProcessService> service_;
  std::vector<pid_t> leftovers_;
};

TEST_F(EscapeTest, EscapeesOutliveTheirLeaderButNotTheirTable) {
  RecordingListener listener;
  auto table = make_table(listener);
  const std::string marker = support::unique_sleep_marker();
  const ProcessId id = start_escapees(*table, marker);
  ASSERT_TRUE(table->close_stdin(id).ok());
  ASSERT_EQ(listener.wait_for_exit(id)->exit_code, 0);
  // The leader's group is gone; what left it lives on while the table does.
  EXPECT_EQ(escapees(marker).size(), kEscapees);

  table->shutdown(200ms);
  leftovers_ = escapees(marker);
  EXPECT_TRUE(wait_until([&] { return escapees(marker).empty(); }))
      << escapees(marker).size() << " escapees outlived the table";
}

TEST_F(EscapeTest, EscapeesEndWithTheTableWhileTheLeaderStillRuns) {
  RecordingListener listener;
  auto table = make_table(listener);
  const std::string marker = support::unique_sleep_marker();
  start_escapees(*table, marker);
  // The one ignoring SIGTERM forces the SIGKILL after the grace period.
  table->shutdown(200ms);
  leftovers_ = escapees(marker);
  EXPECT_TRUE(wait_until([&] { return escapees(marker).empty(); }))
      << escapees(marker).size() << " escapees outlived the table";
  EXPECT_TRUE(support::zombie_children_of(getpid()).empty());
}

TEST_F(EscapeTest, AnEscapeeHearsSigtermFirstAndMayEndCleanly) {
  RecordingListener listener;
  auto table = make_table(listener);
  const std::string marker = support::unique_sleep_marker();
  const std::filesystem::path goodbye =
      std::filesystem::temp_directory_path() / ("theater-goodbye-" + marker);
  // A new session whose shell writes a goodbye on SIGTERM, then exits.
  auto id = table->spawn(shell("setsid sh -c 'trap \"echo bye > " + goodbye.string() +
                               "; exit 0\" TERM; sleep " + marker +
                               " & wait' </dev/null >/dev/null 2>&1 & read go; exit 0"));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(wait_until([&] { return escapees(marker).size() == 1; }));
  ASSERT_TRUE(table->close_stdin(*id).ok());
  ASSERT_EQ(listener.wait_for_exit(*id)->exit_code, 0);
  // A generous grace, so the goodbye never races the SIGKILL; the table does
  // not wait for the grace once its cgroup is empty.
  table->shutdown(30s);
  leftovers_ = escapees(marker);
  EXPECT_TRUE(wait_until([&] { return escapees(marker).empty(); }));
  std::ifstream file(goodbye);
  std::string said;
  std::getline(file, said);
  EXPECT_EQ(said, "bye") << "the escapee did not get SIGTERM before SIGKILL";
  std::filesystem::remove(goodbye);
}

TEST_F(EscapeTest, OnlyTheTablesOwnProcessesAreStopped) {
  RecordingListener listener_a;
  RecordingListener listener_b;
  auto table_a = make_table(listener_a);
  auto table_b = make_table(listener_b);
  const std::string marker_a = support::unique_sleep_marker();
  const std::string marker_b = support::unique_sleep_marker();
  start_escapees(*table_a, marker_a);
  start_escapees(*table_b, marker_b);
  // A process of nobody's table, in a session of its own too.
  const std::string outsider_marker = support::unique_sleep_marker();
  SpawnOptions outsider_options;
  outsider_options.program = "/usr/bin/setsid";
  outsider_options.args = {"sleep", outsider_marker};
  auto outsider = ChildProcess::spawn(outsider_options);
  ASSERT_TRUE(outsider.ok()) << outsider.error().message;
  ASSERT_TRUE(wait_until([&] { return escapees(outsider_marker).size() == 1; }));

  table_a->shutdown(200ms);
  leftovers_ = escapees(marker_a);
  EXPECT_TRUE(wait_until([&] { return escapees(marker_a).empty(); }));
  EXPECT_EQ(escapees(marker_b).size(), kEscapees) << "another table's escapees were stopped";
  EXPECT_EQ(escapees(outsider_marker).size(), 1u) << "a process of no table was stopped";

  table_b->shutdown(200ms);
  EXPECT_TRUE(wait_until([&] { return escapees(marker_b).empty(); }));
  EXPECT_EQ(escapees(outsider_marker).size(), 1u);
  for (pid_t pid : escapees(outsider_marker)) ::kill(pid, SIGKILL);
}

TEST_F(EscapeTest, WithoutCgroupsEscapeesAreNotFollowed) {
  // The limit where the machine has no writable cgroup v2: what is left of a
  // group dies with its leader, what left the group lives on.
  auto plain = ProcessService::start(ServiceOptions{.lifeline = true, .cgroups = false});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_EQ((*plain)->cgroups(), nullptr);
  RecordingListener listener;
  const std::string marker = support::unique_sleep_marker();
  {
    auto table = ProcessTable::create(**plain, TableLimits{}, listener);
    ASSERT_TRUE(table.ok());
    start_escapees(**table, marker);
    (*table)->shutdown(200ms);
  }
  leftovers_ = escapees(marker);
  EXPECT_EQ(leftovers_.size(), kEscapees);
}

}  // namespace
}  // namespace theater::process
