// CallbackQueue: one actor's FIFO between its processes and its
// process-handlers exports. It is the ProcessListener of the actor's table.
//
// Order: everything the OS layer reports (pieces, invalid json lines, exits)
// is queued in the order reported and dispatched one item at a time: the next
// item starts only once the actor's call for the previous one has returned.
// So each stream's callbacks arrive in order and every handle-stdout and
// handle-stderr of a process precedes its handle-exit, as wit/process.wit
// promises, and events this queue records sit between the calls around them.
//
// Backpressure: a piece's DeliveryReceipt is kept until the actor's call for
// it has returned, so a slow actor stops its child through the OS layer's
// max_output_buffer. Pieces are therefore bounded in bytes by the budget; each
// is held twice (moved into the call's params, and copied into its wasm/call
// event data, both prepared on the event loop so that the actor's thread only
// runs the call), so the memory is at most about 1 x max_output_buffer per
// process beyond the budget itself.
// Invalid json lines carry no receipt: at most kMaxQueuedRejections wait
// here; beyond that they are counted and the count is recorded in one event.
// A call the actor refuses because its mailbox is full is kept, with its
// piece and receipt, and submitted again when the actor says there is room
// (ActorHandle::notify_when_space: no polling); one the actor refuses because
// it is stopping is dropped with the rest. (A process started in init is no
// special case: the actor accepts calls from the moment init begins.)
//
// Threads: the listener methods run on the process event loop, which must
// never block, so items that record chain events are handed to the
// BlockingWorker when dispatched from there; everything else runs on whatever
// thread finished the previous item (usually the actor's own).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "handler_api/actor_handle.h"
#include "handlers/process/blocking_worker.h"
#include "handlers/process/os/event_loop.h"
#include "handlers/process/os/process_events.h"

namespace theater::handlers {

inline constexpr const char* kHandleStdout = "theater:simple/process-handlers#handle-stdout";
inline constexpr const char* kHandleStderr = "theater:simple/process-handlers#handle-stderr";
inline constexpr const char* kHandleExit = "theater:simple/process-handlers#handle-exit";

// Which process-handlers callbacks the actor exports; output for a callback
// it lacks is read and dropped (the actor asked for nothing).
struct CallbackExports {
  bool handle_stdout = false;
  bool handle_stderr = false;
  bool handle_exit = false;
};

class CallbackQueue final : public process::ProcessListener,
                            public std::enable_shared_from_this<CallbackQueue> {
 public:
  static constexpr std::size_t kMaxQueuedRejections = 256;

  CallbackQueue(handler::ActorHandle actor, process::EventLoop& loop, BlockingWorker& worker);
  ~CallbackQueue() override;
  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;

  void set_exports(CallbackExports exports);

  // While a Hold lives nothing is dispatched: a host call takes one so that
  // its own event (spawn, kill...) precedes what its process reports.
  class Hold {
   public:
    explicit Hold(std::shared_ptr<CallbackQueue> queue);
    Hold(Hold&&) = default;
    Hold& operator=(Hold&&) = delete;
    ~Hold();

   private:
    std::shared_ptr<CallbackQueue> queue_;
  };
  [[nodiscard]] Hold hold() { return Hold(shared_from_this()); }

  // Drops everything queued (releasing its receipts) and dispatches nothing
  // more. A call already in the actor's mailbox is the actor's to discard
  // (a stopping actor ends queued calls without running them).
  void close();

  // process::ProcessListener (event loop thread).
  void on_output(process::ProcessId id, process::StreamId stream, std::vector<std::uint8_t> piece,
                 process::DeliveryReceipt receipt) noexcept override;
  void on_rejected_line(process::ProcessId id, process::StreamId stream,
                        process::RejectedLine line) noexcept override;
  void on_exit(process::ProcessId id, process::ProcessExit exit) noexcept override;

 private:
  // A piece's call is built when the piece arrives, on the event loop (which
  // has time to spare), so the actor's thread only runs it. A refused call
  // comes back intact and is kept for the retry.
  struct Output {
    process::ProcessId id;
    process::StreamId stream;
    process::DeliveryReceipt receipt;
    std::optional<handler::CallbackCall> call;  // empty while in the actor's mailbox
  };
  struct Rejected {
    process::ProcessId id;
    process::StreamId stream;
    process::RejectedLine line;
  };
  struct Skipped {
    process::ProcessId id;
    process::StreamId stream;
    std::size_t count;
  };
  struct Exit {
    process::ProcessId id;
    process::ProcessExit exit;
    std::optional<handler::CallbackCall> call;  // built when first submitted
  };
  using Item = std::variant<Output, Rejected, Skipped, Exit>;
  using StreamKey = std::pair<process::ProcessId, process::StreamId>;

  handler::CallbackCall output_call(process::ProcessId id, process::StreamId stream,
                                    std::vector<std::uint8_t> piece);
  handler::CallbackCall exit_call(process::ProcessId id, const process::ProcessExit& exit);
  // True when dispatching `item` records chain events itself (so not on the loop thread).
  bool records_here(const Item& item);
  std::function<void(Result<std::tuple<>>)> call_done();
  void push_locked(Item item);
  Item pop_locked();
  void queue_skipped_locked(const StreamKey& key);
  void pump();
  // Starts `item`. True while it is still busy (a call in flight or waiting
  // for room in the mailbox): its completion resumes the pump.
  bool dispatch(Item item);
  // Submits the call for current_. True when it is in flight or will be retried.
  bool submit_current();
  // The mailbox was full: keep `call` for current_ and submit it when woken.
  bool wait_for_space(std::optional<handler::CallbackCall>& call);
  void on_call_done();
  void step_finished(bool busy);

  handler::ActorHandle actor_;
  process::EventLoop& loop_;
  BlockingWorker& worker_;

  std::mutex mutex_;
  std::deque<Item> queue_;
  std::size_t queued_rejections_ = 0;  // Rejected and Skipped items in queue_
  std::map<StreamKey, std::size_t> skipped_;
  CallbackExports exports_;
  int holds_ = 0;
  bool busy_ = false;  // an item is being dispatched, or its call is in flight
  bool closed_ = false;
  std::optional<Item> current_;  // the item whose call is in flight (receipt included)
};

}  // namespace theater::handlers
