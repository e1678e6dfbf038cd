// The process layer end to end: real children, real pipes, the event loop.
#include "handlers/process/os/process_table.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "test_support.h"

namespace theater::process {
namespace {

using namespace std::chrono_literals;
using support::RecordingListener;
using support::wait_until;

ProcessConfig command(std::string program, std::vector<std::string> args = {},
                      OutputMode stdout_mode = OutputMode::kLineByLine) {
  ProcessConfig config;
  config.spawn.program = std::move(program);
  config.spawn.args = std::move(args);
  config.stdout_framing.mode = stdout_mode;
  config.stderr_framing.mode = OutputMode::kLineByLine;
  return config;
}

ProcessConfig shell(std::string script, OutputMode stdout_mode = OutputMode::kLineByLine) {
  return command("/bin/sh", {"-c", std::move(script)}, stdout_mode);
}

Bytes bytes_of(std::string_view text) {
  return Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string hex(const unsigned char* digest, std::size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    text += digits[digest[i] >> 4];
    text += digits[digest[i] & 15];
  }
  return text;
}

std::string sha256_hex(const std::uint8_t* data, std::size_t size) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(data, size, digest);
  return hex(digest, sizeof digest);
}

std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed) {
  std::vector<std::uint8_t> data(size);
  std::mt19937_64 generator(seed);
  for (std::size_t i = 0; i < size; i += 8) {
    const std::uint64_t word = generator();
    std::memcpy(data.data() + i, &word, std::min<std::size_t>(8, size - i));
  }
  return data;
}

class ProcessTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto service = ProcessService::start();
    ASSERT_TRUE(service.ok()) << service.error().message;
    service_ = std::move(service).value();
    make_table(TableLimits{});
  }

  void TearDown() override {
    table_.reset();
    EXPECT_FALSE(listener_.called_when_forbidden());
  }

  void make_table(TableLimits limits) {
    table_.reset();
    auto table = ProcessTable::create(*service_, limits, listener_);
    ASSERT_TRUE(table.ok()) << table.error().message;
    table_ = std::move(table).value();
  }

  ProcessId spawn(const ProcessConfig& config) {
    auto id = table_->spawn(config);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return id.ok() ? *id : 0;
  }

  ProcessExit exit_of(ProcessId id) {
    auto exit = listener_.wait_for_exit(id);
    EXPECT_TRUE(exit.has_value()) << "process " << id << " did not exit";
    EXPECT_FALSE(listener_.record(id).output_after_exit);
    return exit.value_or(ProcessExit{-1000, false});
  }

  // Waits until the group of `id` has at least `count` live members.
  void wait_for_group_size(ProcessId id, std::size_t count) {
    const pid_t group = table_->status(id)->os_pid;
    EXPECT_TRUE(wait_until([&] { return support::live_members_of_group(group).size() >= count; }))
        << "group " << group << " never reached " << count << " processes";
  }

  std::unique_ptr<ProcessService> service_;
  RecordingListener listener_;
  std::unique_ptr<ProcessTable> table_;
};

// --- data in and out ---------------------------------------------------------------

TEST_F(ProcessTableTest, StdinRoundTripThroughCat) {
  const ProcessId id = spawn(command("/bin/cat"));
  auto accepted = table_->write_stdin(id, bytes_of("hello\nworld\r\n\nlast"));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(*accepted, 18u);
  ASSERT_TRUE(table_->close_stdin(id).ok());
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"hello", "world", "", "last"}));
}

TEST_F(ProcessTableTest, SixtyFourMiBThroughSha256sum) {
  const std::vector<std::uint8_t> data = random_bytes(64u << 20, 42);
  const ProcessId id = spawn(command("/usr/bin/sha256sum"));
  std::size_t offset = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        while (offset < data.size()) {
          const std::size_t n = std::min<std::size_t>(256 * 1024, data.size() - offset);
          auto accepted = table_->write_stdin(id, Bytes(data.data() + offset, n));
          if (!accepted.ok()) {
            ADD_FAILURE() << accepted.error().message;
            return true;
          }
          if (*accepted == 0) return false;  // queue full: poll again
          offset += *accepted;
        }
        return true;
      },
      120s));
  ASSERT_EQ(offset, data.size());
  ASSERT_TRUE(table_->close_stdin(id).ok());
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out,
            (std::vector<std::string>{sha256_hex(data.data(), data.size()) + "  -"}));
}

TEST_F(ProcessTableTest, StdoutAndStderrAreFramedSeparately) {
  ProcessConfig config = shell("echo out1; echo err1 >&2; echo out2; printf 'err2' >&2");
  const ProcessId id = spawn(config);
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"out1", "out2"}));
  EXPECT_EQ(listener_.record(id).err, (std::vector<std::string>{"err1", "err2"}));
}

TEST_F(ProcessTableTest, JsonModeDeliversValuesAndReportsInvalidLines) {
  const ProcessId id =
      spawn(shell("printf '{\"a\":1}\\nnot json\\n\\n  [1,2]  \\n'", OutputMode::kJson));
  EXPECT_EQ(exit_of(id).exit_code, 0);
  const auto record = listener_.record(id);
  EXPECT_EQ(record.out, (std::vector<std::string>{"{\"a\":1}", "[1,2]"}));
  ASSERT_EQ(record.rejected.size(), 1u);
  EXPECT_EQ(support::as_text(record.rejected[0].sample), "not json");
}

TEST_F(ProcessTableTest, ChunkedModeDeliversTheRestAtExit) {
  ProcessConfig config = shell("printf abcdefghij", OutputMode::kChunked);
  config.stdout_framing.chunk_size = 4;
  const ProcessId id = spawn(config);
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

TEST_F(ProcessTableTest, ChildSeesOnlyItsThreeStandardDescriptors) {
  const ProcessId id = spawn(command(FD_LISTER));
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"0", "1", "2"}));
}

TEST_F(ProcessTableTest, EnvironmentIsIsolated) {
  ProcessConfig config = command("/usr/bin/env");
  config.spawn.env = {{"A", "1"}, {"B", "two words"}};
  const ProcessId id = spawn(config);
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"A=1", "B=two words"}));
}

// --- exits, signals, timeouts -------------------------------------------------------

TEST_F(ProcessTableTest, ReportsTheExitCode) {
  const ProcessId id = spawn(shell("exit 3"));
  const ProcessExit exit = exit_of(id);
  EXPECT_EQ(exit.exit_code, 3);
  EXPECT_FALSE(exit.timed_out);
  auto status = table_->status(id);
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->running);
  EXPECT_EQ(status->exit_code, 3);
}

TEST_F(ProcessTableTest, StatusWhileRunning) {
  const std::int64_t before = now_ms();
  const ProcessId id = spawn(command("/bin/sleep", {"60"}));
  const std::int64_t after = now_ms();
  auto status = table_->status(id);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->id, id);
  EXPECT_TRUE(status->running);
  EXPECT_FALSE(status->exit_code.has_value());
  EXPECT_GE(status->start_time_ms, before);
  EXPECT_LE(status->start_time_ms, after);
  ASSERT_TRUE(table_->kill(id).ok());
  EXPECT_EQ(exit_of(id).exit_code, -SIGKILL);
}

TEST_F(ProcessTableTest, KillReportsMinusNine) {
  const ProcessId id = spawn(command("/bin/sleep", {"60"}));
  ASSERT_TRUE(table_->kill(id).ok());
  EXPECT_EQ(exit_of(id).exit_code, -9);
  EXPECT_EQ(table_->status(id)->exit_code, -9);
}

TEST_F(ProcessTableTest, SignalReportsMinusTheSignalNumber) {
  const ProcessId id = spawn(command("/bin/sleep", {"60"}));
  ASSERT_TRUE(table_->signal(id, SIGTERM).ok());
  EXPECT_EQ(exit_of(id).exit_code, -15);
}

TEST_F(ProcessTableTest, RejectsSignalNumbersThatAreNotSignals) {
  const ProcessId id = spawn(command("/bin/sleep", {"60"}));
  for (int bad : {0, -1, 65, 1000}) {
    Status status = table_->signal(id, bad);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(status.error().message.find(std::to_string(bad)), std::string::npos);
  }
  ASSERT_TRUE(table_->kill(id).ok());
  exit_of(id);
}

TEST_F(ProcessTableTest, TimeoutSendsTerm) {
  ProcessConfig config = command("/bin/sleep", {"60"});
  config.execution_timeout = 300ms;
  const ProcessId id = spawn(config);
  const ProcessExit exit = exit_of(id);
  EXPECT_EQ(exit.exit_code, -SIGTERM);
  EXPECT_TRUE(exit.timed_out);
}

TEST_F(ProcessTableTest, TimeoutEscalatesToKillWhenTermIsIgnored) {
  TableLimits limits;
  limits.kill_grace = 300ms;
  make_table(limits);
  // The timeout leaves the shell ample time to install its trap first.
  ProcessConfig config = shell("trap '' TERM; echo trapped; sleep 60");
  config.execution_timeout = 1000ms;
  const ProcessId id = spawn(config);
  const ProcessExit exit = exit_of(id);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"trapped"}));
  EXPECT_EQ(exit.exit_code, -SIGKILL);
  EXPECT_TRUE(exit.timed_out);
}

// --- process groups --------------------------------------------------------------------

TEST_F(ProcessTableTest, KillTakesTheGrandchildrenToo) {
  const ProcessId id = spawn(shell("sleep 60 & sleep 60 & wait"));
  wait_for_group_size(id, 3);
  const pid_t group = table_->status(id)->os_pid;
  ASSERT_TRUE(table_->kill(id).ok());
  EXPECT_EQ(exit_of(id).exit_code, -9);
  EXPECT_TRUE(wait_until([&] { return support::live_members_of_group(group).empty(); }));
}

TEST_F(ProcessTableTest, LeftoversOfTheGroupDieWithTheLeader) {
  // The background sleep would hold stdout open for a minute; as the group is
  // killed when its leader exits, the exit arrives now and nothing is left.
  const ProcessId id = spawn(shell("sleep 60 & echo started"));
  const pid_t group = table_->status(id)->os_pid;
  EXPECT_EQ(exit_of(id).exit_code, 0);
  EXPECT_EQ(listener_.record(id).out, (std::vector<std::string>{"started"}));
  EXPECT_TRUE(wait_until([&] { return support::live_members_of_group(group).empty(); }));
}

TEST_F(ProcessTableTest, OutputHeldOpenOutsideTheGroupDoesNotBlockTheExit) {
  TableLimits limits;
  limits.orphaned_output_timeout = 200ms;
  make_table(limits);
  // setsid takes the inner shell (then its sleep) out of the group, with
  // stdout still open. It prints its pid once it has left; only then may the
  // leader exit, when the test closes its stdin.
  const ProcessId id = spawn(shell("setsid sh -c 'echo $$; exec sleep 60' & read go; exit 0"));
  ASSERT_TRUE(listener_.wait_for_output(id, 1));
  ASSERT_TRUE(table_->close_stdin(id).ok());
  const ProcessExit exit = exit_of(id);
  EXPECT_EQ(exit.exit_code, 0);
  const auto out = listener_.record(id).out;
  ASSERT_EQ(out.size(), 1u);
  const pid_t escaped = std::stoi(out[0]);
  // Outside the group, it lives on until its table shuts down (escape_test.cpp).
  EXPECT_TRUE(support::alive(escaped));
  ::kill(escaped, SIGKILL);
}

TEST_F(ProcessTableTest, ShutdownLeavesNothingBehindAndCallsNothingAfter) {
  const ProcessId a = spawn(shell("sleep 60 & sleep 60 & wait"));
  const ProcessId b = spawn(shell("trap '' TERM; while :; do echo busy; sleep 0.01; done"));
  wait_for_group_size(a, 3);
  // Only once b's shell has set its trap (it printed) does TERM leave it running.
  ASSERT_TRUE(wait_until([&] { return !listener_.record(b).out.empty(); }));
  const pid_t group_a = table_->status(a)->os_pid;
  const pid_t group_b = table_->status(b)->os_pid;
  table_->shutdown(200ms);
  listener_.forbid_calls();
  EXPECT_EQ(table_->live_count(), 0u);
  EXPECT_EQ(table_->status(a)->running, false);
  EXPECT_EQ(table_->status(b)->exit_code, -SIGKILL);  // it ignored TERM
  EXPECT_TRUE(wait_until([&] {
    return support::live_members_of_group(group_a).empty() &&
           support::live_members_of_group(group_b).empty();
  }));
  EXPECT_TRUE(support::zombie_children_of(getpid()).empty());
  auto refused = table_->spawn(command("/bin/true"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

// --- limits and errors ------------------------------------------------------------------

TEST_F(ProcessTableTest, IdsCountFromOnePerTable) {
  EXPECT_EQ(spawn(command("/bin/true")), 1u);
  auto failed = table_->spawn(command("/no/such/program"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kNotFound);
  EXPECT_NE(failed.error().message.find("'/no/such/program': No such file or directory"),
            std::string::npos);
  EXPECT_EQ(spawn(command("/bin/true")), 2u);  // a failed spawn uses no id

  RecordingListener other_listener;
  auto other = ProcessTable::create(*service_, TableLimits{}, other_listener);
  ASSERT_TRUE(other.ok());
  auto first = (*other)->spawn(command("/bin/true"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1u);
  other_listener.wait_for_exit(1);
  exit_of(1);
  exit_of(2);
}

TEST_F(ProcessTableTest, MaxProcessesIsEnforcedAndFreedOnExit) {
  TableLimits limits;
  limits.max_processes = 2;
  make_table(limits);
  const ProcessId a = spawn(command("/bin/sleep", {"60"}));
  spawn(command("/bin/sleep", {"60"}));
  auto refused = table_->spawn(command("/bin/true"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(refused.error().message.find("max_processes is 2"), std::string::npos);
  ASSERT_TRUE(table_->kill(a).ok());
  exit_of(a);
  ASSERT_TRUE(wait_until([&] { return table_->live_count() == 1; }));
  EXPECT_TRUE(table_->spawn(command("/bin/true")).ok());
}

TEST_F(ProcessTableTest, ClearErrorsForUnknownAndExitedProcesses) {
  auto unknown = table_->write_stdin(42, bytes_of("x"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "no process 42");

  const ProcessId id = spawn(command("/bin/true"));
  exit_of(id);
  ASSERT_TRUE(wait_until([&] { return table_->live_count() == 0; }));
  auto late = table_->write_stdin(id, bytes_of("x"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message, "process 1 has exited");
  EXPECT_FALSE(table_->kill(id).ok());
  EXPECT_FALSE(table_->close_stdin(id).ok());
  EXPECT_EQ(table_->status(id)->exit_code, 0);
}

TEST_F(ProcessTableTest, WritingAfterCloseIsAnError) {
  // sleep ignores its stdin, so it still runs at every step (cat would exit
  // at EOF and race the second close).
  const ProcessId id = spawn(command("/bin/sleep", {"60"}));
  ASSERT_TRUE(table_->close_stdin(id).ok());
  ASSERT_TRUE(table_->close_stdin(id).ok());  // idempotent
  auto late = table_->write_stdin(id, bytes_of("x"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message, "stdin of process 1 was closed");
  ASSERT_TRUE(table_->kill(id).ok());
  EXPECT_EQ(exit_of(id).exit_code, -SIGKILL);
}

TEST_F(ProcessTableTest, StdinQueueIsBounded) {
  TableLimits limits;
  limits.max_stdin_queue = 64 * 1024;
  make_table(limits);
  const ProcessId id = spawn(command("/bin/sleep", {"60"}));  // never reads stdin
  const std::vector<std::uint8_t> block(4u << 20, 'x');
  auto first = table_->write_stdin(id, Bytes(block));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, limits.max_stdin_queue);
  // The pipe takes some; then the queue stays full and accepts nothing.
  EXPECT_TRUE(wait_until([&] {
    auto accepted = table_->write_stdin(id, Bytes(block));
    return accepted.ok() && *accepted == 0;
  }));
  ASSERT_TRUE(table_->kill(id).ok());
  exit_of(id);
}

TEST_F(ProcessTableTest, ThousandSpawnsLeaveNoZombieAndNoDescriptor) {
  // The first spawn makes the event loop's reactor descriptors (epoll, eventfd, timerfd).
  exit_of(spawn(command("/bin/true")));
  const int fds_before = support::count_open_fds();
  for (int i = 0; i < 1000; ++i) {
    const ProcessId id = spawn(command("/bin/true"));
    ASSERT_EQ(exit_of(id).exit_code, 0) << "spawn " << i;
  }
  ASSERT_TRUE(wait_until([&] { return table_->live_count() == 0; }));
  EXPECT_EQ(support::count_open_fds(), fds_before);
  EXPECT_TRUE(support::zombie_children_of(getpid()).empty());
}

// --- backpressure ---------------------------------------------------------------------

// Holds every receipt until told to let go, and measures what it holds.
class SlowConsumer : public ProcessListener {
 public:
  void on_output(ProcessId, StreamId stream, std::vector<std::uint8_t> piece,
                 DeliveryReceipt receipt) noexcept override {
    std::lock_guard lock(mutex_);
    if (stream == StreamId::kStdout) received_.insert(received_.end(), piece.begin(), piece.end());
    held_bytes_ += receipt.bytes();
    max_held_bytes_ = std::max(max_held_bytes_, held_bytes_);
    held_.push_back(std::move(receipt));
    changed_.notify_all();
  }
  void on_rejected_line(ProcessId, StreamId, RejectedLine) noexcept override {}
  void on_exit(ProcessId, ProcessExit exit) noexcept override {
    std::lock_guard lock(mutex_);
    exit_ = exit;
    changed_.notify_all();
  }

  // Waits until at least `bytes` are held (or the process exited), then lets
  // a producer that ignores backpressure run ahead a little before releasing.
  bool release_when_holding(std::size_t bytes) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 30s, [&] { return held_bytes_ >= bytes || exit_; })) {
      return false;
    }
    lock.unlock();
    std::this_thread::sleep_for(20ms);
    lock.lock();
    held_.clear();  // acknowledges everything
    held_bytes_ = 0;
    return true;
  }

  bool exited() {
    std::lock_guard lock(mutex_);
    return exit_.has_value();
  }
  std::size_t max_held_bytes() {
    std::lock_guard lock(mutex_);
    return max_held_bytes_;
  }
  std::vector<std::uint8_t> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<DeliveryReceipt> held_;
  std::size_t held_bytes_ = 0;
  std::size_t max_held_bytes_ = 0;
  std::vector<std::uint8_t> received_;
  std::optional<ProcessExit> exit_;
};

TEST_F(ProcessTableTest, SlowConsumerBoundsMemoryAndLosesNothing) {
  const std::vector<std::uint8_t> data = random_bytes(8u << 20, 7);
  const std::string path =
      std::filesystem::temp_directory_path() / ("theater-backpressure-" + std::to_string(getpid()));
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));

  SlowConsumer consumer;
  TableLimits limits;
  limits.max_output_buffer = 256 * 1024;  // 128 KiB per stream
  auto table = ProcessTable::create(*service_, limits, consumer);
  ASSERT_TRUE(table.ok());
  auto id = (*table)->spawn(command("/bin/cat", {path}, OutputMode::kRaw));
  ASSERT_TRUE(id.ok()) << id.error().message;

  const std::size_t stream_budget = limits.max_output_buffer / 2;
  const std::size_t one_read = 64 * 1024;
  while (!consumer.exited()) {
    ASSERT_TRUE(consumer.release_when_holding(stream_budget - one_read)) << "no progress";
  }
  std::filesystem::remove(path);
  EXPECT_LE(consumer.max_held_bytes(), stream_budget + one_read);
  const std::vector<std::uint8_t> received = consumer.received();
  ASSERT_EQ(received.size(), data.size());
  EXPECT_EQ(sha256_hex(received.data(), received.size()), sha256_hex(data.data(), data.size()));
}

}  // namespace
}  // namespace theater::process
