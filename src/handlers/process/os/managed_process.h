// ManagedProcess: one running child and all its I/O on the event loop: the
// stdout and stderr readers (framing, backpressure), the stdin writer with
// its bounded queue, the pidfd exit watch, the execution timeout.
// Internal to the process layer; ProcessTable is its only user.
//
// Threads: write_stdin, close_stdin, status and signal may be called from any
// thread (they take `mutex_`); everything else runs on the loop thread.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "common/asio.h"
#include "common/result.h"
#include "handlers/process/os/child_process.h"
#include "handlers/process/os/output_budget.h"
#include "handlers/process/os/output_framer.h"
#include "handlers/process/os/process_events.h"
#include "handlers/process/os/process_options.h"

namespace theater::process {

class Cgroup;
class Lifeline;

// Told twice when a process has finished (reaped, both streams at EOF): once
// just before its exit is delivered, so that it no longer counts against the
// owner's limits when whoever hears the exit starts the next process at
// once; and once after the delivery, when nothing of it is in use any more.
class ProcessOwner {
 public:
  virtual void process_ended(ProcessId id, const ProcessStatus& status) = 0;
  virtual void process_finished(ProcessId id) = 0;

 protected:
  ~ProcessOwner() = default;
};

class ManagedProcess : public std::enable_shared_from_this<ManagedProcess> {
  struct Token {};  // lets make_shared reach the constructor, and only us

 public:
  struct Setup {
    ProcessId id;
    const ProcessConfig& config;  // validated by the caller
    const TableLimits& limits;
    Lifeline* lifeline;    // may be null
    const Cgroup* cgroup;  // may be null: no containment of escaped descendants
    ProcessListener* listener;
    ProcessOwner* owner;
  };

  // Loop thread: spawns the child and starts reading, watching, timing.
  static Result<std::shared_ptr<ManagedProcess>> start(asio::io_context& context,
                                                       const Setup& setup);

  ManagedProcess(Token, asio::io_context& context, const Setup& setup, ChildProcess child,
                 UniqueFd exit_watch, OutputFramer stdout_framer, OutputFramer stderr_framer);

  // Any thread.
  Result<std::size_t> write_stdin(Bytes data);
  Status close_stdin();
  ProcessStatus status() const;
  Status signal(int signal);

  // Loop thread. Stops all listener calls; output is still read (so the
  // child never blocks on a full pipe) and dropped. SIGTERM to the group now,
  // SIGKILL after `grace`. The owner still hears process_ended and process_finished.
  void terminate(std::chrono::milliseconds grace);
  // Loop thread. Stops everything at once: no more calls to anyone, every
  // descriptor closed, the group SIGKILLed and the leader reaped (waiting at
  // most `reap_timeout`). Returns the final status.
  ProcessStatus abandon(std::chrono::milliseconds reap_timeout);

 private:
  enum class StdinState { kOpen, kClosing, kClosed, kBroken, kExited };

  struct OutputStream {
    OutputStream(asio::io_context& context, StreamId id, UniqueFd pipe, OutputFramer framer,
                 std::size_t budget);
    StreamId id;
    asio::posix::stream_descriptor pipe;
    OutputFramer framer;
    std::shared_ptr<OutputBudget> budget;
    std::size_t resume_threshold;  // free bytes needed before the next read
    std::vector<std::uint8_t> buffer;
    bool reading = false;
    bool waiting_for_room = false;
    bool at_eof = false;
  };
  class Forwarder;

  void begin(const std::optional<std::chrono::milliseconds>& execution_timeout);
  void read_more(OutputStream& stream);
  void on_read(OutputStream& stream, const error_code& error, std::size_t bytes);
  void end_stream(OutputStream& stream);
  void watch_exit();
  void on_exit_readable();
  void arm_orphaned_output_timer();
  void on_orphaned_output_timeout();
  void escalate_to_kill_after(std::chrono::milliseconds grace);
  void maybe_finish();
  void stop_stdin(StdinState final_state);
  void schedule_stdin_locked();
  void write_stdin_front();
  void on_stdin_written(const error_code& error, std::size_t bytes);
  Error exited_error() const;
  // Only the loop thread reaps (under mutex_), so it may read this unlocked.
  bool reaped_on_loop() const { return child_.reaped(); }

  asio::io_context& context_;
  const ProcessId id_;
  const TableLimits limits_;
  ProcessListener* listener_;  // null once silenced
  ProcessOwner* owner_;        // null once finished or abandoned

  // Loop thread only.
  std::array<OutputStream, 2> streams_;        // stdout, stderr
  asio::posix::stream_descriptor exit_watch_;  // a dup of the pidfd
  asio::posix::stream_descriptor stdin_pipe_;
  asio::steady_timer timeout_timer_;
  asio::steady_timer kill_timer_;
  asio::steady_timer orphaned_output_timer_;
  bool timed_out_ = false;
  bool finished_ = false;
  bool abandoned_ = false;

  // Shared with other threads, under mutex_.
  mutable std::mutex mutex_;
  ChildProcess child_;
  StdinState stdin_state_ = StdinState::kOpen;
  std::deque<std::vector<std::uint8_t>> stdin_queue_;
  std::size_t stdin_queued_ = 0;
  std::size_t stdin_front_offset_ = 0;  // bytes of the front chunk already written
  bool stdin_write_scheduled_ = false;
};

}  // namespace theater::process
