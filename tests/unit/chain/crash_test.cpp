// kill -9 in the middle of a run: a forked child appends and flushes in a loop
// and reports each flushed count through a pipe; the parent kills it and checks
// the database it left behind.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chain/audit.h"
#include "chain/chain.h"
#include "chain/event_log.h"
#include "chain/verify.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using namespace std::chrono_literals;
using testing::sample_data;
using testing::TempDir;

constexpr int kEventsPerFlush = 200;
constexpr int kFlushesBeforeKill = 5;

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Kills and reaps the child if the test ends early, so no process outlives it.
class ForkedChild {
 public:
  explicit ForkedChild(pid_t pid) : pid_(pid) {}
  ~ForkedChild() {
    if (pid_ > 0) kill_and_reap();
  }
  int kill_and_reap() {
    int status = 0;
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

// The child's whole life; never returns. It stops by itself only if the parent
// goes away (the pipe breaks) or after a generous cap.
[[noreturn]] void append_until_killed(const std::filesystem::path& path, int report_fd) {
  signal(SIGPIPE, SIG_IGN);
  auto log = EventLog::open(path);
  if (!log.ok()) _exit(2);
  EventChain chain("victim", {.log = log->get()});
  if (!chain.append("theater-runtime/actor-load", testing::actor_load_data("victim")).ok())
    _exit(3);
  for (uint64_t appended = 1; appended <= 10'000'000; ++appended) {
    if (!chain.append("test/event", sample_data(static_cast<int>(appended))).ok()) _exit(3);
    if (appended % kEventsPerFlush != 0) continue;
    if (!(*log)->flush(30s).ok()) _exit(4);
    if (write(report_fd, &appended, sizeof appended) != sizeof appended) _exit(5);
  }
  _exit(6);
}

// The next flushed count the child reports, or 0 if none comes in 60 s.
uint64_t read_report(int fd) {
  pollfd pfd{fd, POLLIN, 0};
  if (poll(&pfd, 1, 60'000) != 1) return 0;
  uint64_t flushed = 0;
  return read(fd, &flushed, sizeof flushed) == sizeof flushed ? flushed : 0;
}

TEST(EventLogCrash, FlushedEventsSurviveKill9AndTheChainVerifies) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    read_end.reset();
    append_until_killed(path, write_end.get());
  }
  ForkedChild child(pid);
  write_end.reset();

  uint64_t flushed = 0;
  for (int i = 0; i < kFlushesBeforeKill; ++i) {
    flushed = read_report(read_end.get());
    ASSERT_GT(flushed, 0u) << "the child stopped reporting flushes";
  }
  const int status = child.kill_and_reap();
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child ended on its own, status " << status;
  // Reports written between our last read and the kill count too.
  for (uint64_t later; read(read_end.get(), &later, sizeof later) == sizeof later;) {
    flushed = later;
  }

  auto reader = EventLogReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto events = (*reader)->read_events("victim");
  ASSERT_TRUE(events.ok()) << events.error().message;
  EXPECT_GE(events->size(), flushed);
  const Status verified = verify(*events);
  EXPECT_TRUE(verified.ok()) << verified.error().message;
  // Whole up to the head the log recorded, but cut short of any stop event.
  auto report = audit_stored_chain(**reader, "victim");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kIncomplete) << report->summary();
  EXPECT_EQ(report->events, events->size());
}

}  // namespace
}  // namespace theater::chain
