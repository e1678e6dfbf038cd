// Ending processes: exit codes, kill, signal, timeout, whole process groups,
// the actor's stop (escaped descendants too), and what 1,000 processes leave
// behind (nothing).
#include "../../support/escapees.h"
#include "chain/event_log.h"
#include "handlers/process/os/cgroup.h"
#include "process_fixture.h"

namespace theater::process_tests {
namespace {

using ::testing::HasSubstr;

// A shell whose children sleep; it prints "ready" once they run.
const std::vector<std::string> kFamily = {
    "program=/bin/sh", "arg=-c", "arg=sleep 1000 & sleep 1000 & echo ready; wait", "out=line"};

bool said_ready(Probe& probe, std::uint64_t pid) {
  return wait_until([&] {
    auto out = probe.transcript().out[pid];
    return std::find(out.begin(), out.end(), "ready") != out.end();
  });
}

TEST_F(ProcessTest, KillSignalAndTimeoutEndingsReachHandleExit) {
  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\nkill_grace_ms = 200\n");
  auto exits_7 = probe.spawn({"program=/bin/sh", "arg=-c", "arg=exit 7"});
  auto killed = probe.spawn({"program=/bin/sleep", "arg=1000"});
  auto signalled = probe.spawn({"program=/bin/sleep", "arg=1000"});
  auto timed_out = probe.spawn({"program=/bin/sleep", "arg=1000", "timeout=1"});
  // Ignores SIGTERM, so the timeout has to escalate to SIGKILL after kill_grace_ms.
  auto stubborn =
      probe.spawn({"program=/bin/sh", "arg=-c", "arg=trap '' TERM; sleep 1000", "timeout=1"});
  for (auto* id : {&exits_7, &killed, &signalled, &timed_out, &stubborn}) {
    ASSERT_TRUE(id->ok()) << id->error().message;
  }
  EXPECT_EQ(probe.request({"kill", std::to_string(*killed)}), "ok");
  EXPECT_EQ(probe.request({"signal", std::to_string(*signalled), "15"}), "ok");

  EXPECT_EQ(probe.wait_exit(*exits_7), 7);
  EXPECT_EQ(probe.wait_exit(*killed), -9);
  EXPECT_EQ(probe.wait_exit(*signalled), -15);
  EXPECT_EQ(probe.wait_exit(*timed_out), -15);
  EXPECT_EQ(probe.wait_exit(*stubborn), -9);

  EXPECT_EQ(probe.events("theater:simple/process/kill").size(), 1u);
  EXPECT_EQ(probe.events("theater:simple/process/signal").at(0).at("signal"), 15);
  EXPECT_EQ(probe.events("theater:simple/process/timeout").size(), 2u);
  std::map<std::uint64_t, nlohmann::json> exits;
  for (auto& exit : probe.events("theater:simple/process/exit")) exits[exit.at("pid")] = exit;
  EXPECT_EQ(exits.at(*exits_7).at("exit_code"), 7);
  EXPECT_EQ(exits.at(*killed).at("signal"), 9);
  EXPECT_EQ(exits.at(*timed_out).at("timed_out"), true);

  // Status of an ended process, and of one that never was.
  EXPECT_THAT(probe.request({"status", std::to_string(*killed)}),
              ::testing::StartsWith("ok running=0 exit=-9"));
  EXPECT_THAT(probe.request({"status", "99"}), HasSubstr("no process 99"));
}

TEST_F(ProcessTest, StatusOfARunningProcess) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn({"program=/bin/sleep", "arg=1000"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_THAT(probe.request({"status", std::to_string(*id)}),
              ::testing::StartsWith("ok running=1 exit=none start="));
  EXPECT_EQ(probe.request({"kill", std::to_string(*id)}), "ok");
  EXPECT_EQ(probe.wait_exit(*id), -9);
}

TEST_F(ProcessTest, OsKillTakesTheGrandchildrenToo) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn(kFamily);
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(said_ready(probe, *id));
  const pid_t group = probe.os_pid(*id);
  ASSERT_GT(group, 0);
  EXPECT_GE(live_members_of_group(group).size(), 3u);  // sh and its two sleeps

  EXPECT_EQ(probe.request({"kill", std::to_string(*id)}), "ok");
  EXPECT_EQ(probe.wait_exit(*id), -9);
  EXPECT_TRUE(wait_until([&] { return live_members_of_group(group).empty(); }))
      << live_members_of_group(group).size() << " still alive";
}

TEST_F(ProcessTest, StoppingTheActorEndsEveryProcessAndNoCallbackFollows) {
  ASSERT_PROBE(probe);
  const auto pipes_before = open_pipes_and_pidfds();
  auto family = probe.spawn(kFamily);
  ASSERT_TRUE(family.ok()) << family.error().message;
  ASSERT_TRUE(said_ready(probe, *family));
  // Writes forever: its output is still flowing when the actor stops.
  EXPECT_EQ(probe.request({"quiet"}), "ok");
  auto chatty = probe.spawn({"program=/usr/bin/yes", "out=line"});
  ASSERT_TRUE(chatty.ok()) << chatty.error().message;
  auto calls = [&] {
    const std::string count = probe.request({"count"});
    const auto at = count.find("calls=");
    return at == std::string::npos ? 0ull : std::stoull(count.substr(at + 6));
  };
  ASSERT_TRUE(wait_until([&] { return calls() > 100; }));
  const pid_t family_group = probe.os_pid(*family);
  const pid_t chatty_group = probe.os_pid(*chatty);

  ASSERT_TRUE(runtime_->stop(probe.id()).ok());
  EXPECT_TRUE(wait_until([&] {
    return live_members_of_group(family_group).empty() &&
           live_members_of_group(chatty_group).empty();
  }));
  EXPECT_TRUE(wait_until([] { return zombie_children_of(getpid()).empty(); }));
  // Every pipe and pidfd of the actor's processes is closed.
  EXPECT_TRUE(wait_until([&] { return open_pipes_and_pidfds() == pipes_before; }))
      << open_pipes_and_pidfds().size() << " pipes and pidfds, " << pipes_before.size()
      << " before";

  // In the persisted chain, nothing reached the actor once it began to stop.
  ASSERT_TRUE(runtime_->flush_events().ok());
  auto reader = chain::EventLogReader::open(home_ / "theater.db");
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto events = (*reader)->read_events(probe.id());
  ASSERT_TRUE(events.ok()) << events.error().message;
  bool stopped = false;
  int calls_after = 0;
  for (const chain::Event& event : *events) {
    if (event.event_type == "theater:simple/process/stop") stopped = true;
    if (stopped && event.event_type == "wasm/call") ++calls_after;
  }
  EXPECT_TRUE(stopped);
  EXPECT_EQ(calls_after, 0);
}

TEST_F(ProcessTest, StoppingTheActorEndsTheProcessesThatLeftTheirGroupToo) {
  if (!process::CgroupRoot::create().ok()) GTEST_SKIP() << "no writable cgroup v2 here";
  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\nkill_grace_ms = 200\n");
  const std::string marker = unique_sleep_marker();
  auto escapees = [&] { return live_processes_running({"sleep", marker}); };
  auto id = probe.spawn({"program=/bin/sh", "arg=-c",
                         "arg=" + theater::testing::escaping_script(marker, "exec sleep 1000")});
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(wait_until([&] { return escapees().size() == theater::testing::kEscapees; }))
      << escapees().size() << " escapees started";

  ASSERT_TRUE(runtime_->stop(probe.id()).ok());
  // setsid, a double fork, SIGTERM ignored: none of them outlives the actor.
  EXPECT_TRUE(wait_until([&] { return escapees().empty(); }))
      << escapees().size() << " escapees outlived the actor";
  for (pid_t pid : escapees()) ::kill(pid, SIGKILL);  // only after a failure
}

TEST_F(ProcessTest, AThousandSequentialSpawnsLeaveNoZombieAndNoDescriptor) {
  ASSERT_PROBE(probe);
  auto warm_up = probe.spawn({"program=/bin/true"});  // starts the process service
  ASSERT_TRUE(warm_up.ok()) << warm_up.error().message;
  ASSERT_EQ(probe.wait_exit(*warm_up), 0);
  ASSERT_TRUE(wait_until([] { return zombie_children_of(getpid()).empty(); }));
  const int fds_before = count_open_fds();

  // Each one is spawned from the previous one's handle-exit.
  EXPECT_EQ(probe.request({"chain", "1000", "program=/bin/true"}), "ok");
  ASSERT_TRUE(wait_until([&] { return probe.transcript().chain_done; }, 300s));
  Transcript t = probe.transcript();
  EXPECT_FALSE(t.chain_error);
  ASSERT_EQ(t.exit.size(), 1001u);
  for (const auto& [pid, code] : t.exit) ASSERT_EQ(code, 0) << "process " << pid;
  EXPECT_EQ(t.exit.rbegin()->first, 1001u);  // ids 1..1001, one per process

  EXPECT_TRUE(wait_until([] { return zombie_children_of(getpid()).empty(); }))
      << zombie_children_of(getpid()).size() << " zombies";
  // (At most: the warm-up's own descriptors may still have been closing before.)
  EXPECT_TRUE(wait_until([&] { return count_open_fds() <= fds_before; }))
      << count_open_fds() << " descriptors open, " << fds_before << " before";
}

}  // namespace
}  // namespace theater::process_tests
