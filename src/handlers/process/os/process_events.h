// What the process layer reports to its owner, and how.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "handlers/process/os/output_budget.h"
#include "handlers/process/os/output_framer.h"
#include "handlers/process/os/process_options.h"

namespace theater::process {

struct ProcessStatus {
  ProcessId id = 0;
  pid_t os_pid = -1;  // for the event chain only; never shown to actors as their id
  bool running = false;
  // The exit code, or the negated signal number (e.g. -9); set once reaped.
  std::optional<std::int32_t> exit_code;
  std::int64_t start_time_ms = 0;  // since the Unix epoch
};

struct ProcessExit {
  // The exit code, or the negated signal number when a signal ended it.
  std::int32_t exit_code = 0;
  // The execution timeout fired (SIGTERM, then SIGKILL after the grace period).
  bool timed_out = false;
};

// Hears from the processes of one table. Every call happens on the process
// event loop thread, one at a time, and never after ProcessTable::shutdown()
// has returned. Calls must be quick (queue the work and return) and may call
// back into the table. For each process: the pieces of one stream arrive in
// order, and on_exit comes last, after every piece of both streams.
class ProcessListener {
 public:
  virtual ~ProcessListener() = default;

  // One framed piece. Its bytes count against the process's
  // max_output_buffer until `receipt` is destroyed or acknowledged: keep it
  // with the piece until the consumer is done (for an actor: until its
  // handle-stdout/handle-stderr call has returned). Holding receipts is how a
  // slow consumer slows the child down; nothing is ever dropped.
  virtual void on_output(ProcessId id, StreamId stream, std::vector<std::uint8_t> piece,
                         DeliveryReceipt receipt) noexcept = 0;

  // json mode: a line that is not valid JSON (or too long) was not delivered.
  virtual void on_rejected_line(ProcessId id, StreamId stream, RejectedLine line) noexcept = 0;

  virtual void on_exit(ProcessId id, ProcessExit exit) noexcept = 0;
};

}  // namespace theater::process
