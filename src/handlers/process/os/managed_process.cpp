#include "handlers/process/os/managed_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <system_error>

#include "common/asio.h"
#include "handlers/process/os/os_error.h"

namespace theater::process {
namespace {

// One read per wakeup: large enough to keep the hot path at pipe speed.
constexpr std::size_t kReadSize = 64 * 1024;

std::size_t index_of(StreamId stream) {
  return stream == StreamId::kStdout ? 0 : 1;
}

}  // namespace

// Hands framed pieces of one stream to the listener, charging them to the
// stream's budget; drops them once the process is silenced.
class ManagedProcess::Forwarder final : public FramerSink {
 public:
  Forwarder(ManagedProcess& process, OutputStream& stream) : process_(process), stream_(stream) {}

  void on_piece(Bytes piece) override {
    if (process_.listener_ == nullptr) return;
    // An empty piece (an empty line) costs the terminator it consumed: were it
    // free, a child printing only newlines to a slow consumer would pile up
    // pieces without bound while the budget never filled.
    const std::size_t charge = std::max<std::size_t>(piece.size(), 1);
    stream_.budget->consume(charge);
    process_.listener_->on_output(process_.id_, stream_.id,
                                  std::vector<std::uint8_t>(piece.begin(), piece.end()),
                                  DeliveryReceipt(stream_.budget, charge));
  }
  void on_rejected(RejectedLine line) override {
    if (process_.listener_ != nullptr) {
      process_.listener_->on_rejected_line(process_.id_, stream_.id, std::move(line));
    }
  }

 private:
  ManagedProcess& process_;
  OutputStream& stream_;
};

ManagedProcess::OutputStream::OutputStream(asio::io_context& context, StreamId stream_id,
                                           UniqueFd pipe_fd, OutputFramer output_framer,
                                           std::size_t budget_bytes)
    : id(stream_id),
      pipe(context, pipe_fd.release()),
      framer(std::move(output_framer)),
      budget(std::make_shared<OutputBudget>(budget_bytes)),
      buffer(kReadSize) {}

Result<std::shared_ptr<ManagedProcess>> ManagedProcess::start(asio::io_context& context,
                                                              const Setup& setup) {
  const std::size_t stream_budget = setup.limits.max_output_buffer / 2;
  const FramingOptions stdout_options =
      framing_for_budget(setup.config.stdout_framing, stream_budget);
  const FramingOptions stderr_options =
      framing_for_budget(setup.config.stderr_framing, stream_budget);
  THEATER_ASSIGN_OR_RETURN(OutputFramer stdout_framer, OutputFramer::create(stdout_options));
  THEATER_ASSIGN_OR_RETURN(OutputFramer stderr_framer, OutputFramer::create(stderr_options));
  THEATER_ASSIGN_OR_RETURN(ChildProcess child,
                           ChildProcess::spawn(setup.config.spawn, setup.lifeline, setup.cgroup));
  // asio owns what it watches; ChildProcess keeps sole ownership of its pidfd.
  UniqueFd exit_watch(fcntl(child.pidfd(), F_DUPFD_CLOEXEC, 0));
  if (!exit_watch.valid()) return os_error("duplicating a pidfd", errno);

  std::shared_ptr<ManagedProcess> process;
  try {
    // Registering descriptors with the reactor can fail (epoll out of memory);
    // asio reports that by throwing. The child then dies with `child`.
    process = std::make_shared<ManagedProcess>(Token{}, context, setup, std::move(child),
                                               std::move(exit_watch), std::move(stdout_framer),
                                               std::move(stderr_framer));
  } catch (const std::system_error& error) {
    return make_error(ErrorCode::kInternal,
                      "watching process '" + setup.config.spawn.program + "': " + error.what());
  }
  for (OutputStream& stream : process->streams_) {
    const std::size_t held = OutputFramer::max_held_bytes(
        stream.id == StreamId::kStdout ? stdout_options : stderr_options);
    // validate_config guarantees held < budget: a partial piece never fills it.
    stream.resume_threshold = std::max<std::size_t>(1, std::min(kReadSize, stream_budget - held));
  }
  process->begin(setup.config.execution_timeout);
  return process;
}

ManagedProcess::ManagedProcess(Token, asio::io_context& context, const Setup& setup,
                               ChildProcess child, UniqueFd exit_watch, OutputFramer stdout_framer,
                               OutputFramer stderr_framer)
    : context_(context),
      id_(setup.id),
      limits_(setup.limits),
      listener_(setup.listener),
      owner_(setup.owner),
      streams_{OutputStream(context, StreamId::kStdout, child.take_stdout(),
                            std::move(stdout_framer), setup.limits.max_output_buffer / 2),
               OutputStream(context, StreamId::kStderr, child.take_stderr(),
                            std::move(stderr_framer), setup.limits.max_output_buffer / 2)},
      exit_watch_(context, exit_watch.release()),
      stdin_pipe_(context, child.take_stdin().release()),
      timeout_timer_(context),
      kill_timer_(context),
      orphaned_output_timer_(context),
      child_(std::move(child)) {}

void ManagedProcess::begin(const std::optional<std::chrono::milliseconds>& execution_timeout) {
  for (OutputStream& stream : streams_) read_more(stream);
  watch_exit();
  if (execution_timeout) {
    timeout_timer_.expires_after(*execution_timeout);
    timeout_timer_.async_wait([self = shared_from_this()](const error_code& error) {
      if (error || self->abandoned_ || self->reaped_on_loop()) return;
      self->timed_out_ = true;
      (void)self->signal(SIGTERM);
      self->escalate_to_kill_after(self->limits_.kill_grace);
    });
  }
}

// --- output ------------------------------------------------------------------

void ManagedProcess::read_more(OutputStream& stream) {
  if (stream.reading || stream.at_eof || abandoned_) return;
  std::size_t size = kReadSize;
  if (listener_ != nullptr) {  // silenced output is dropped: no budget to respect
    const std::size_t available = stream.budget->available();
    if (available < stream.resume_threshold) {
      // Backpressure: leave the data in the pipe; the child blocks when it is full.
      stream.waiting_for_room = true;
      stream.budget->notify_when_available(
          stream.resume_threshold,
          [weak = weak_from_this(), context = &context_, index = index_of(stream.id)] {
            asio::post(*context, [weak, index] {
              if (auto self = weak.lock()) {
                self->streams_[index].waiting_for_room = false;
                self->read_more(self->streams_[index]);
              }
            });
          });
      return;
    }
    size = std::min(size, available);
  }
  stream.waiting_for_room = false;
  stream.reading = true;
  stream.pipe.async_read_some(
      asio::buffer(stream.buffer.data(), size),
      [self = shared_from_this(), &stream](const error_code& error, std::size_t bytes) {
        self->on_read(stream, error, bytes);
      });
}

void ManagedProcess::on_read(OutputStream& stream, const error_code& error, std::size_t bytes) {
  stream.reading = false;
  if (abandoned_ || stream.at_eof) return;
  if (error) {
    if (error != asio::error::eof) {
      spdlog::warn("process {}: reading {} failed: {}", id_, to_string(stream.id), error.message());
    }
    end_stream(stream);
    return;
  }
  Forwarder forwarder(*this, stream);
  stream.framer.feed(Bytes(stream.buffer.data(), bytes), forwarder);
  stream.budget->set_held(stream.framer.held());
  read_more(stream);
}

void ManagedProcess::end_stream(OutputStream& stream) {
  Forwarder forwarder(*this, stream);
  stream.framer.finish(forwarder);
  stream.budget->set_held(0);
  stream.at_eof = true;
  error_code ignored;
  stream.pipe.close(ignored);
  maybe_finish();
}

// --- exit ----------------------------------------------------------------------

void ManagedProcess::watch_exit() {
  exit_watch_.async_wait(asio::posix::stream_descriptor::wait_read,
                         [self = shared_from_this()](const error_code& error) {
                           if (!error && !self->abandoned_) self->on_exit_readable();
                         });
}

void ManagedProcess::on_exit_readable() {
  std::optional<std::int32_t> code;
  {
    std::lock_guard lock(mutex_);
    code = child_.try_reap();
  }
  if (!code) {
    watch_exit();
    return;
  }
  error_code ignored;
  exit_watch_.close(ignored);
  timeout_timer_.cancel();
  kill_timer_.cancel();
  stop_stdin(StdinState::kExited);
  arm_orphaned_output_timer();
  maybe_finish();
}

// The group was killed with its leader, so a pipe still open after that is
// held by a process that left the group. Wait a while, then stop waiting for
// it: the exit must not hang on someone else's daemon.
void ManagedProcess::arm_orphaned_output_timer() {
  if (streams_[0].at_eof && streams_[1].at_eof) return;
  orphaned_output_timer_.expires_after(limits_.orphaned_output_timeout);
  orphaned_output_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (!error && !self->abandoned_) self->on_orphaned_output_timeout();
  });
}

void ManagedProcess::on_orphaned_output_timeout() {
  bool consumer_busy = false;
  for (OutputStream& stream : streams_) {
    if (stream.at_eof) continue;
    if (stream.waiting_for_room) {
      consumer_busy = true;  // data is still flowing out; the consumer sets the pace
      continue;
    }
    spdlog::warn("process {}: {} is still held open by a process outside its group; closing it",
                 id_, to_string(stream.id));
    end_stream(stream);
  }
  if (consumer_busy) arm_orphaned_output_timer();
}

void ManagedProcess::escalate_to_kill_after(std::chrono::milliseconds grace) {
  kill_timer_.expires_after(grace);
  kill_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (!error && !self->abandoned_ && !self->reaped_on_loop()) (void)self->signal(SIGKILL);
  });
}

void ManagedProcess::maybe_finish() {
  if (finished_ || abandoned_ || !reaped_on_loop()) return;
  if (!streams_[0].at_eof || !streams_[1].at_eof) return;
  finished_ = true;
  orphaned_output_timer_.cancel();
  for (OutputStream& stream : streams_) stream.budget->detach();
  const ProcessExit exit{*child_.exit_code(), timed_out_};
  if (owner_ != nullptr) owner_->process_ended(id_, status());
  if (listener_ != nullptr) listener_->on_exit(id_, exit);
  if (owner_ != nullptr) std::exchange(owner_, nullptr)->process_finished(id_);
  listener_ = nullptr;
}

// --- control from the owner ------------------------------------------------------

void ManagedProcess::terminate(std::chrono::milliseconds grace) {
  listener_ = nullptr;
  if (finished_ || abandoned_) return;
  if (reaped_on_loop()) {
    // Only pipes held outside the group are left: stop waiting for them.
    for (OutputStream& stream : streams_) {
      if (!stream.at_eof) end_stream(stream);
    }
    return;
  }
  for (OutputStream& stream : streams_) {
    stream.budget->detach();
    read_more(stream);  // drain regardless of receipts still held
  }
  (void)signal(SIGTERM);
  escalate_to_kill_after(grace);
}

ProcessStatus ManagedProcess::abandon(std::chrono::milliseconds reap_timeout) {
  if (!abandoned_) {
    abandoned_ = true;
    listener_ = nullptr;
    owner_ = nullptr;
    error_code ignored;
    for (OutputStream& stream : streams_) {
      stream.budget->detach();
      stream.pipe.close(ignored);
      stream.at_eof = true;
    }
    exit_watch_.close(ignored);
    timeout_timer_.cancel();
    kill_timer_.cancel();
    orphaned_output_timer_.cancel();
    {
      std::lock_guard lock(mutex_);
      child_.kill_and_reap(reap_timeout);
    }
    stop_stdin(StdinState::kExited);
  }
  return status();
}

// --- calls from any thread -------------------------------------------------------

ProcessStatus ManagedProcess::status() const {
  std::lock_guard lock(mutex_);
  return ProcessStatus{id_, child_.pid(), !child_.reaped(), child_.exit_code(),
                       child_.start_time_ms()};
}

Status ManagedProcess::signal(int signal) {
  std::lock_guard lock(mutex_);
  if (child_.reaped()) return exited_error();
  return child_.signal_group(signal);
}

Error ManagedProcess::exited_error() const {
  return make_error(ErrorCode::kFailedPrecondition,
                    "process " + std::to_string(id_) + " has exited");
}

// --- stdin -----------------------------------------------------------------------

Result<std::size_t> ManagedProcess::write_stdin(Bytes data) {
  std::lock_guard lock(mutex_);
  const std::string name = "stdin of process " + std::to_string(id_);
  switch (stdin_state_) {
    case StdinState::kOpen:
      break;
    case StdinState::kExited:
      return exited_error();
    case StdinState::kClosing:
    case StdinState::kClosed:
      return make_error(ErrorCode::kFailedPrecondition, name + " was closed");
    case StdinState::kBroken:
      return make_error(ErrorCode::kFailedPrecondition,
                        name + " is closed: the process stopped reading it (broken pipe)");
  }
  // A full queue accepts nothing (0), which is not an error: the caller retries later.
  const std::size_t accepted = std::min(data.size(), limits_.max_stdin_queue - stdin_queued_);
  if (accepted == 0) return std::size_t{0};
  stdin_queue_.emplace_back(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(accepted));
  stdin_queued_ += accepted;
  schedule_stdin_locked();
  return accepted;
}

Status ManagedProcess::close_stdin() {
  std::lock_guard lock(mutex_);
  if (stdin_state_ == StdinState::kExited) return exited_error();
  if (stdin_state_ == StdinState::kOpen) {
    stdin_state_ = StdinState::kClosing;  // closed by the writer once the queue is empty
    schedule_stdin_locked();
  }
  return ok_status();
}

void ManagedProcess::schedule_stdin_locked() {
  if (stdin_write_scheduled_) return;
  stdin_write_scheduled_ = true;
  asio::post(context_, [self = shared_from_this()] { self->write_stdin_front(); });
}

// Loop thread. The front chunk stays put while it is written: other threads
// only push_back, which leaves references to the deque's elements valid.
void ManagedProcess::write_stdin_front() {
  std::unique_lock lock(mutex_);
  const bool writable = stdin_state_ == StdinState::kOpen || stdin_state_ == StdinState::kClosing;
  if (!writable || abandoned_) {
    stdin_write_scheduled_ = false;
    return;
  }
  if (stdin_queue_.empty()) {
    stdin_write_scheduled_ = false;
    if (stdin_state_ == StdinState::kClosing) {
      stdin_state_ = StdinState::kClosed;
      lock.unlock();
      error_code ignored;
      stdin_pipe_.close(ignored);  // the child sees EOF
    }
    return;
  }
  const std::vector<std::uint8_t>& front = stdin_queue_.front();
  const asio::const_buffer pending(front.data() + stdin_front_offset_,
                                   front.size() - stdin_front_offset_);
  lock.unlock();
  stdin_pipe_.async_write_some(
      pending, [self = shared_from_this()](const error_code& error, std::size_t bytes) {
        self->on_stdin_written(error, bytes);
      });
}

void ManagedProcess::on_stdin_written(const error_code& error, std::size_t bytes) {
  {
    std::lock_guard lock(mutex_);
    if (error) {
      stdin_write_scheduled_ = false;
      if (error == asio::error::operation_aborted) return;  // exited or abandoned
      // EPIPE and the like: the child closed its stdin. What is queued can
      // never be read; drop it and refuse further writes.
      stdin_state_ = StdinState::kBroken;
      stdin_queue_.clear();
      stdin_queued_ = 0;
      stdin_front_offset_ = 0;
    } else if (stdin_queue_.empty()) {
      stdin_write_scheduled_ = false;  // the queue was dropped (exit) meanwhile
      return;
    } else {
      stdin_front_offset_ += bytes;
      stdin_queued_ -= bytes;
      if (stdin_front_offset_ == stdin_queue_.front().size()) {
        stdin_queue_.pop_front();
        stdin_front_offset_ = 0;
      }
    }
  }
  if (error) {
    error_code ignored;
    stdin_pipe_.close(ignored);
    return;
  }
  write_stdin_front();
}

// Loop thread: the process is gone (or abandoned); its stdin with it.
void ManagedProcess::stop_stdin(StdinState final_state) {
  // Close first: that cancels a write in flight before its buffer is freed.
  error_code ignored;
  stdin_pipe_.close(ignored);
  std::lock_guard lock(mutex_);
  stdin_state_ = final_state;
  stdin_queue_.clear();
  stdin_queued_ = 0;
  stdin_front_offset_ = 0;
}

}  // namespace theater::process
