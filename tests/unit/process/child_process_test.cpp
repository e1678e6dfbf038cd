// ChildProcess on its own: what the child inherits, how failures to start
// are reported, and that nothing is left behind.
#include "handlers/process/os/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_support.h"

namespace theater::process {
namespace {

using namespace std::chrono_literals;
using support::wait_until;

// Reads a pipe to EOF, giving up after `timeout` without progress.
std::string read_all(int fd, std::chrono::milliseconds timeout = 10s) {
  std::string text;
  char buffer[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
      ADD_FAILURE() << "no EOF within the timeout";
      return text;
    }
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

std::optional<std::int32_t> wait_exit(ChildProcess& child) {
  std::optional<std::int32_t> code;
  wait_until([&] { return (code = child.try_reap()).has_value(); });
  return code;
}

SpawnOptions program(std::string path, std::vector<std::string> args = {}) {
  SpawnOptions options;
  options.program = std::move(path);
  options.args = std::move(args);
  return options;
}

TEST(ChildProcess, ChildSeesOnlyStdinStdoutAndStderr) {
  // Descriptors the child must not inherit, with and without O_CLOEXEC.
  UniqueFd inheritable(open("/dev/null", O_RDONLY));
  UniqueFd cloexec(open("/dev/null", O_RDONLY | O_CLOEXEC));
  ASSERT_GE(inheritable.get(), 0);

  auto child = ChildProcess::spawn(program(FD_LISTER));
  ASSERT_TRUE(child.ok()) << child.error().message;
  UniqueFd out = child->take_stdout();
  EXPECT_EQ(read_all(out.get()), "0\n1\n2\n");
  EXPECT_EQ(wait_exit(*child), 0);
}

TEST(ChildProcess, ArgvIsPassedExactlyWithoutAShell) {
  auto child = ChildProcess::spawn(
      program("/usr/bin/printf", {"[%s]\\n", "a b", "", "*", "$HOME", "'q'", ";true"}));
  ASSERT_TRUE(child.ok()) << child.error().message;
  UniqueFd out = child->take_stdout();
  EXPECT_EQ(read_all(out.get()), "[a b]\n[]\n[*]\n[$HOME]\n['q']\n[;true]\n");
}

TEST(ChildProcess, EnvironmentIsExactlyTheGivenList) {
  SpawnOptions options = program("/usr/bin/env");
  options.env = {{"ZED", "last"}, {"A", "two words"}, {"EMPTY", ""}};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  UniqueFd out = child->take_stdout();
  EXPECT_EQ(read_all(out.get()), "ZED=last\nA=two words\nEMPTY=\n");
}

TEST(ChildProcess, FindsANameInThePathOfItsEnvironment) {
  SpawnOptions options = program("env");
  options.env = {{"PATH", "/nonexistent:/usr/bin"}};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  UniqueFd out = child->take_stdout();
  EXPECT_EQ(read_all(out.get()), "PATH=/nonexistent:/usr/bin\n");
}

TEST(ChildProcess, RunsInTheGivenWorkingDirectory) {
  const std::string dir = std::filesystem::temp_directory_path();
  SpawnOptions options = program("/bin/pwd");
  options.cwd = dir;
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  UniqueFd out = child->take_stdout();
  EXPECT_EQ(read_all(out.get()), std::filesystem::canonical(dir).string() + "\n");
}

TEST(ChildProcess, MissingProgramIsACleanError) {
  auto child = ChildProcess::spawn(program("no-such-program-here"));
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(child.error().message,
            "cannot start 'no-such-program-here': No such file or directory");
  EXPECT_TRUE(support::zombie_children_of(getpid()).empty());
}

TEST(ChildProcess, NonExecutableFileIsPermissionDenied) {
  const std::string path =
      std::filesystem::temp_directory_path() / ("theater-not-exec-" + std::to_string(getpid()));
  std::ofstream(path) << "#!/bin/sh\necho hi\n";
  chmod(path.c_str(), 0644);
  auto child = ChildProcess::spawn(program(path));
  std::filesystem::remove(path);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(child.error().message, "cannot start '" + path + "': Permission denied");
}

TEST(ChildProcess, FileThatIsNotAProgramIsNotRunThroughAShell) {
  const std::string path =
      std::filesystem::temp_directory_path() / ("theater-no-shebang-" + std::to_string(getpid()));
  std::ofstream(path) << "echo this would need a shell\n";
  chmod(path.c_str(), 0755);
  auto child = ChildProcess::spawn(program(path));
  std::filesystem::remove(path);
  ASSERT_FALSE(child.ok());
  EXPECT_NE(child.error().message.find("Exec format error"), std::string::npos)
      << child.error().message;
}

TEST(ChildProcess, BadWorkingDirectoryNamesIt) {
  SpawnOptions options = program("/bin/true");
  options.cwd = "/no/such/dir";
  auto child = ChildProcess::spawn(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().message,
            "cannot start '/bin/true': working directory '/no/such/dir': No such file or "
            "directory");
}

TEST(ChildProcess, ReportsExitCodesAndSignals) {
  auto exits = ChildProcess::spawn(program("/bin/sh", {"-c", "exit 7"}));
  ASSERT_TRUE(exits.ok());
  EXPECT_EQ(wait_exit(*exits), 7);

  auto killed = ChildProcess::spawn(program("/bin/sleep", {"60"}));
  ASSERT_TRUE(killed.ok());
  ASSERT_TRUE(killed->signal_group(SIGTERM).ok());
  EXPECT_EQ(wait_exit(*killed), -SIGTERM);
  EXPECT_TRUE(killed->reaped());
}

TEST(ChildProcess, RefusesToSignalAReapedProcess) {
  auto child = ChildProcess::spawn(program("/bin/true"));
  ASSERT_TRUE(child.ok());
  ASSERT_EQ(wait_exit(*child), 0);
  Status status = child->signal_group(SIGTERM);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
}

TEST(ChildProcess, IsTheLeaderOfItsOwnProcessGroup) {
  auto child = ChildProcess::spawn(program("/bin/sleep", {"60"}));
  ASSERT_TRUE(child.ok());
  auto info = support::read_proc(child->pid());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->pgrp, child->pid());
  EXPECT_NE(info->pgrp, getpgrp());
}

TEST(ChildProcess, DestructorKillsAndReaps) {
  pid_t pid;
  {
    auto child = ChildProcess::spawn(program("/bin/sleep", {"60"}));
    ASSERT_TRUE(child.ok());
    pid = child->pid();
    ASSERT_TRUE(support::alive(pid));
  }
  EXPECT_FALSE(support::alive(pid));
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1);  // reaped already: not our child any more
  EXPECT_EQ(errno, ECHILD);
}

TEST(ChildProcess, DiesWhenTheThreadThatSpawnedItExits) {
  // PR_SET_PDEATHSIG follows the spawning thread: the reason the process layer
  // spawns only on its long-lived event loop thread.
  std::optional<ChildProcess> child;
  std::thread([&] {
    auto spawned = ChildProcess::spawn(program("/bin/sleep", {"60"}));
    ASSERT_TRUE(spawned.ok());
    child.emplace(std::move(spawned).value());
  }).join();
  ASSERT_TRUE(child);
  EXPECT_EQ(wait_exit(*child), -SIGKILL);
}

}  // namespace
}  // namespace theater::process
