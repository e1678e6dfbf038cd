// Helpers for the process tests: looking at /proc, bounded polling, and a
// listener that records everything it hears.
#pragma once

#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../support/proc_inspect.h"
#include "../../support/wait.h"
#include "handlers/process/os/process_events.h"

namespace theater::process::support {

using namespace std::chrono_literals;
using namespace theater::testing::proc;

using theater::testing::wait_until;

inline std::string as_text(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// Records every call; by default acknowledges each piece at once.
class RecordingListener : public ProcessListener {
 public:
  struct Record {
    std::vector<std::string> out;
    std::vector<std::string> err;
    std::vector<RejectedLine> rejected;
    std::optional<ProcessExit> exit;
    bool output_after_exit = false;
  };

  void on_output(ProcessId id, StreamId stream, std::vector<std::uint8_t> piece,
                 DeliveryReceipt receipt) noexcept override {
    std::lock_guard lock(mutex_);
    note_call_locked();
    Record& record = records_[id];
    if (record.exit) record.output_after_exit = true;
    (stream == StreamId::kStdout ? record.out : record.err).push_back(as_text(piece));
    changed_.notify_all();
  }

  void on_rejected_line(ProcessId id, StreamId, RejectedLine line) noexcept override {
    std::lock_guard lock(mutex_);
    note_call_locked();
    records_[id].rejected.push_back(std::move(line));
    changed_.notify_all();
  }

  void on_exit(ProcessId id, ProcessExit exit) noexcept override {
    std::lock_guard lock(mutex_);
    note_call_locked();
    records_[id].exit = exit;
    changed_.notify_all();
  }

  std::optional<ProcessExit> wait_for_exit(ProcessId id, std::chrono::milliseconds timeout = 30s) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return records_[id].exit.has_value(); });
    return records_[id].exit;
  }

  // Until `count` stdout pieces of `id` have arrived.
  bool wait_for_output(ProcessId id, std::size_t count, std::chrono::milliseconds timeout = 30s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return records_[id].out.size() >= count; });
  }

  Record record(ProcessId id) {
    std::lock_guard lock(mutex_);
    return records_[id];
  }

  std::string joined_stdout(ProcessId id) {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const auto& piece : records_[id].out) all += piece;
    return all;
  }

  // From now on any call is a violation (the owner shut the table down).
  void forbid_calls() {
    std::lock_guard lock(mutex_);
    forbidden_ = true;
  }
  bool called_when_forbidden() {
    std::lock_guard lock(mutex_);
    return violated_;
  }

 private:
  void note_call_locked() {
    if (forbidden_) violated_ = true;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<ProcessId, Record> records_;
  bool forbidden_ = false;
  bool violated_ = false;
};

}  // namespace theater::process::support
