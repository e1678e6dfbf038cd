// What happens to the children when the runtime is killed with SIGKILL: a
// probe program plays the runtime, the test kills it and looks at /proc.
#include "handlers/process/os/lifeline.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../support/escapees.h"
#include "handlers/process/os/child_process.h"
#include "test_support.h"

namespace theater::process {
namespace {

using namespace std::chrono_literals;
using support::live_members_of_group;
using support::wait_until;

// Nobody is left to remove a cgroup the runtime made when it died without a
// lifeline: kill what is in it and remove it, tables' cgroups first.
void remove_cgroup_of_dead_runtime(const std::string& directory) {
  if (directory.empty()) return;
  std::ofstream(directory + "/cgroup.kill") << "1";
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (!entry.is_directory()) continue;
    EXPECT_TRUE(wait_until([&] { return rmdir(entry.path().c_str()) == 0; }));
  }
  EXPECT_EQ(rmdir(directory.c_str()), 0) << directory;
}

struct ProbeReport {
  std::vector<pid_t> groups;
  pid_t lifeline = 0;
  std::string cgroup;  // the probe's cgroup directory, if it had one
};

std::vector<pid_t> escapees(const std::string& marker) {
  return support::live_processes_running({"sleep", marker});
}

// Reads the probe's stdout up to its "ready" line.
ProbeReport read_probe_report(int fd) {
  ProbeReport report;
  std::string text;
  char buffer[512];
  while (text.find("ready\n") == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) break;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  std::istringstream lines(text);
  std::string word;
  int value;
  while (lines >> word) {
    if (word == "group" && lines >> value) report.groups.push_back(value);
    if (word == "lifeline" && lines >> value) report.lifeline = value;
    if (word == "cgroup") lines >> report.cgroup;
  }
  return report;
}

// Starts the probe, waits until each child has its two grandchildren (and,
// with a marker, the escapees run), then kills the probe with SIGKILL and reaps it.
ProbeReport run_and_kill_probe(const char* mode, const std::string& marker = "") {
  SpawnOptions options;
  options.program = LIFELINE_PROBE;
  options.args = {mode};
  if (!marker.empty()) options.args.push_back(marker);
  auto probe = ChildProcess::spawn(options);
  EXPECT_TRUE(probe.ok()) << probe.error().message;
  if (!probe.ok()) return {};
  UniqueFd out = probe->take_stdout();
  ProbeReport report = read_probe_report(out.get());
  EXPECT_EQ(report.groups.size(), 2u);
  for (pid_t group : report.groups) {
    EXPECT_TRUE(wait_until([&] { return live_members_of_group(group).size() == 3; }))
        << "group " << group << " never had its two grandchildren";
  }
  if (!marker.empty()) {
    EXPECT_TRUE(wait_until([&] { return escapees(marker).size() == theater::testing::kEscapees; }))
        << escapees(marker).size() << " escapees started";
  }
  ::kill(probe->pid(), SIGKILL);  // the probe alone, as if the runtime crashed
  EXPECT_TRUE(wait_until([&] { return probe->try_reap().has_value(); }));
  EXPECT_EQ(probe->exit_code(), -SIGKILL);
  return report;
}

TEST(Lifeline, RuntimeKilledWithSigkillTakesChildrenAndGrandchildrenAlong) {
  const ProbeReport report = run_and_kill_probe("--lifeline");
  ASSERT_GT(report.lifeline, 0);
  for (pid_t group : report.groups) {
    EXPECT_TRUE(wait_until([&] { return live_members_of_group(group).empty(); }))
        << "group " << group << " outlived the runtime";
  }
  EXPECT_TRUE(wait_until([&] { return !support::alive(report.lifeline); }))
      << "the lifeline helper did not exit";
}

TEST(Lifeline, RuntimeKilledWithSigkillTakesEscapedDescendantsAlong) {
  const std::string marker = support::unique_sleep_marker();
  const ProbeReport report = run_and_kill_probe("--lifeline", marker);
  if (report.cgroup.empty()) {
    for (pid_t pid : escapees(marker)) ::kill(pid, SIGKILL);
    GTEST_SKIP() << "no writable cgroup v2 here: escapees are not followed";
  }
  EXPECT_TRUE(wait_until([&] { return escapees(marker).empty(); }))
      << escapees(marker).size() << " escapees outlived the runtime";
  for (pid_t pid : escapees(marker)) ::kill(pid, SIGKILL);  // only after a failure
  // And the helper removed the runtime's cgroup.
  EXPECT_TRUE(wait_until([&] { return !std::filesystem::exists(report.cgroup); }))
      << report.cgroup << " was left behind";
}

TEST(Lifeline, WithoutItOnlyDirectChildrenDie) {
  // The limitation the lifeline exists for: PR_SET_PDEATHSIG reaches the
  // children, not what they started.
  const ProbeReport report = run_and_kill_probe("--no-lifeline");
  for (pid_t group : report.groups) {
    EXPECT_TRUE(wait_until([&] { return !support::alive(group); }))
        << "child " << group << " outlived the runtime";
    EXPECT_EQ(live_members_of_group(group).size(), 2u) << "grandchildren expected to survive";
    killpg(group, SIGKILL);  // clean up after the demonstration
    EXPECT_TRUE(wait_until([&] { return live_members_of_group(group).empty(); }));
  }
  remove_cgroup_of_dead_runtime(report.cgroup);
}

TEST(Lifeline, ForgottenGroupsAreLeftAlone) {
  auto lifeline = Lifeline::start();
  ASSERT_TRUE(lifeline.ok()) << lifeline.error().message;
  SpawnOptions options;
  options.program = "/bin/sleep";
  options.args = {"60"};
  // Registered by hand: a ChildProcess must not outlive the lifeline it was given.
  auto watched = ChildProcess::spawn(options);
  auto forgotten = ChildProcess::spawn(options);
  ASSERT_TRUE(watched.ok() && forgotten.ok());
  ASSERT_TRUE((*lifeline)->watch(watched->pid()).ok());
  ASSERT_TRUE((*lifeline)->watch(forgotten->pid()).ok());
  EXPECT_EQ((*lifeline)->watched(), 2u);
  (*lifeline)->forget(forgotten->pid());
  const pid_t helper = (*lifeline)->helper_pid();
  // Closing the lifeline is what the runtime's death looks like to the helper.
  lifeline->reset();
  EXPECT_FALSE(support::alive(helper));
  EXPECT_TRUE(wait_until([&] { return watched->try_reap().has_value(); }));
  EXPECT_EQ(watched->exit_code(), -SIGKILL);
  EXPECT_FALSE(forgotten->try_reap().has_value());  // still running
}

TEST(Lifeline, AFullTableRefusesAnotherGroupUntilOneIsForgotten) {
  auto lifeline = Lifeline::start(/*capacity=*/2);
  ASSERT_TRUE(lifeline.ok()) << lifeline.error().message;
  // Ids of no live group: the helper never kills anything here (forgotten
  // before the lifeline closes).
  ASSERT_TRUE((*lifeline)->watch(999990).ok());
  ASSERT_TRUE((*lifeline)->watch(999991).ok());
  EXPECT_TRUE((*lifeline)->watch(999991).ok());  // already watched: no second slot
  Status refused = (*lifeline)->watch(999992);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(refused.error().message.find("2 groups"), std::string::npos) << refused.error().message;
  (*lifeline)->forget(999990);
  EXPECT_TRUE((*lifeline)->watch(999992).ok());
  EXPECT_EQ((*lifeline)->watched(), 2u);
  EXPECT_FALSE((*lifeline)->watch(0).ok());  // "group 0" would mean our own group to kill()
  (*lifeline)->forget(999991);
  (*lifeline)->forget(999992);
  EXPECT_EQ((*lifeline)->watched(), 0u);
}

}  // namespace
}  // namespace theater::process
