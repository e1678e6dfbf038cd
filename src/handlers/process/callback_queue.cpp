#include "handlers/process/callback_queue.h"

#include "handlers/process/callback_data.h"
#include "handlers/process/process_records.h"

namespace theater::handlers {
namespace {

using OutputParams = std::tuple<std::uint64_t, std::vector<std::uint8_t>>;
using ExitParams = std::tuple<std::uint64_t, std::int32_t>;

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

CallbackQueue::Hold::Hold(std::shared_ptr<CallbackQueue> queue) : queue_(std::move(queue)) {
  std::lock_guard lock(queue_->mutex_);
  ++queue_->holds_;
}

CallbackQueue::Hold::~Hold() {
  if (!queue_) return;  // moved from
  {
    std::lock_guard lock(queue_->mutex_);
    --queue_->holds_;
  }
  queue_->pump();
}

CallbackQueue::CallbackQueue(handler::ActorHandle actor, process::EventLoop& loop,
                             BlockingWorker& worker)
    : actor_(std::move(actor)), loop_(loop), worker_(worker) {}

CallbackQueue::~CallbackQueue() = default;

void CallbackQueue::set_exports(CallbackExports exports) {
  std::lock_guard lock(mutex_);
  exports_ = exports;
}

void CallbackQueue::close() {
  std::deque<Item> dropped;
  std::optional<Item> in_flight;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(queue_);
    in_flight.swap(current_);
    queued_rejections_ = 0;
    skipped_.clear();
  }
  // Receipts go with `dropped` and `in_flight`, outside the lock.
}

// --- listener (event loop thread) ----------------------------------------------------

void CallbackQueue::on_output(process::ProcessId id, process::StreamId stream,
                              std::vector<std::uint8_t> piece,
                              process::DeliveryReceipt receipt) noexcept {
  Output out{id, stream, std::move(receipt), output_call(id, stream, std::move(piece))};
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    push_locked(std::move(out));
  }
  pump();
}

handler::CallbackCall CallbackQueue::output_call(process::ProcessId id, process::StreamId stream,
                                                 std::vector<std::uint8_t> piece) {
  const char* callback = stream == process::StreamId::kStdout ? kHandleStdout : kHandleStderr;
  std::vector<std::uint8_t> call_data = output_call_data(callback, id, piece);
  return handler::make_recorded_call<OutputParams>(callback, OutputParams(id, std::move(piece)),
                                                   std::move(call_data), call_done(), {});
}

handler::CallbackCall CallbackQueue::exit_call(process::ProcessId id,
                                               const process::ProcessExit& exit) {
  std::vector<std::uint8_t> call_data = exit_call_data(kHandleExit, id, exit.exit_code);
  handler::CallbackCall call = handler::make_recorded_call<ExitParams>(
      kHandleExit, ExitParams(id, exit.exit_code), std::move(call_data), call_done(), {});
  // The exit event is recorded on the actor's thread right before its
  // callback: no hop through the blocking worker on the way to handle-exit.
  call.before = [actor = actor_, id, exit] { records::record_exit(actor, id, exit); };
  return call;
}

std::function<void(Result<std::tuple<>>)> CallbackQueue::call_done() {
  return [weak = weak_from_this()](const Result<std::tuple<>>&) {
    if (auto self = weak.lock()) self->on_call_done();
  };
}

void CallbackQueue::on_rejected_line(process::ProcessId id, process::StreamId stream,
                                     process::RejectedLine line) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    const StreamKey key{id, stream};
    if (queued_rejections_ < kMaxQueuedRejections) queue_skipped_locked(key);
    if (queued_rejections_ < kMaxQueuedRejections) {
      push_locked(Rejected{id, stream, std::move(line)});
    } else {
      ++skipped_[key];
    }
  }
  pump();
}

void CallbackQueue::on_exit(process::ProcessId id, process::ProcessExit exit) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    // Counts still pending go first, whatever the bound: at most two per process.
    queue_skipped_locked({id, process::StreamId::kStdout});
    queue_skipped_locked({id, process::StreamId::kStderr});
    push_locked(Exit{id, exit, std::nullopt});
  }
  pump();
}

void CallbackQueue::push_locked(Item item) {
  if (!std::holds_alternative<Output>(item) && !std::holds_alternative<Exit>(item)) {
    ++queued_rejections_;
  }
  queue_.push_back(std::move(item));
}

CallbackQueue::Item CallbackQueue::pop_locked() {
  Item item = std::move(queue_.front());
  queue_.pop_front();
  if (!std::holds_alternative<Output>(item) && !std::holds_alternative<Exit>(item)) {
    --queued_rejections_;
  }
  return item;
}

void CallbackQueue::queue_skipped_locked(const StreamKey& key) {
  auto it = skipped_.find(key);
  if (it == skipped_.end()) return;
  push_locked(Skipped{key.first, key.second, it->second});
  skipped_.erase(it);
}

// --- dispatching ---------------------------------------------------------------------------

void CallbackQueue::pump() {
  const bool on_loop = loop_.in_loop_thread();
  for (;;) {
    std::optional<Item> item;
    {
      std::lock_guard lock(mutex_);
      if (closed_ || busy_ || holds_ > 0 || queue_.empty()) return;
      busy_ = true;
      item.emplace(pop_locked());
    }
    // Recording may block on the event log: never on the loop thread.
    if (on_loop && records_here(*item)) {
      worker_.post([self = shared_from_this(), item = std::make_shared<Item>(std::move(*item))] {
        self->step_finished(self->dispatch(std::move(*item)));
      });
      return;
    }
    if (dispatch(std::move(*item))) return;
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
}

bool CallbackQueue::records_here(const Item& item) {
  if (std::holds_alternative<Output>(item)) return false;
  if (!std::holds_alternative<Exit>(item)) return true;
  std::lock_guard lock(mutex_);
  return !exports_.handle_exit;
}

void CallbackQueue::step_finished(bool busy) {
  if (busy) return;
  {
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
  pump();
}

bool CallbackQueue::dispatch(Item item) {
  CallbackExports exports;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    exports = exports_;
  }
  const bool wants_call = std::visit(
      Overloaded{
          [&](const Output& out) {
            return out.stream == process::StreamId::kStdout ? exports.handle_stdout
                                                            : exports.handle_stderr;
          },
          [&](const Rejected& rejected) {
            records::record_invalid_json(actor_, rejected.id, rejected.stream, rejected.line);
            return false;
          },
          [&](const Skipped& skipped) {
            records::record_invalid_json_skipped(actor_, skipped.id, skipped.stream, skipped.count);
            return false;
          },
          [&](const Exit& exit) {
            // With a handle-exit call, the call records the exit itself (see exit_call).
            if (!exports.handle_exit) records::record_exit(actor_, exit.id, exit.exit);
            return exports.handle_exit;
          }},
      item);
  if (!wants_call) return false;  // an Output dropped here releases its receipt
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    current_.emplace(std::move(item));
  }
  return submit_current();
}

bool CallbackQueue::submit_current() {
  std::optional<handler::CallbackCall> call;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || !current_) return false;
    if (Output* out = std::get_if<Output>(&*current_)) {
      call.swap(out->call);
    } else {
      Exit& ended = std::get<Exit>(*current_);
      if (!ended.call) ended.call = exit_call(ended.id, ended.exit);
      call.swap(ended.call);
    }
  }
  if (!call) return false;  // broken invariant guard: a call is in flight already
  const Status submitted = actor_.submit(*call);
  if (submitted.ok()) return true;
  if (submitted.error().code == ErrorCode::kResourceExhausted) return wait_for_space(call);
  // The actor takes no calls any more (it is stopping or gone): drop the item.
  std::optional<Item> dropped;
  std::lock_guard lock(mutex_);
  dropped.swap(current_);
  return false;
}

bool CallbackQueue::wait_for_space(std::optional<handler::CallbackCall>& call) {
  {
    // Refused calls come back intact: keep it (and hold its bytes back).
    std::lock_guard lock(mutex_);
    if (closed_ || !current_) return false;
    std::visit(
        [&](auto& item) {
          if constexpr (requires { item.call; }) item.call.swap(call);
        },
        *current_);
  }
  // Runs on the thread that freed the space (usually the actor's own, between
  // two calls), which then dispatches what follows, as after a call's done.
  actor_.notify_when_space([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->step_finished(self->submit_current());
  });
  return true;
}

// May run under the actor's call (its `done`), on any thread.
void CallbackQueue::on_call_done() {
  std::optional<Item> finished;
  {
    std::lock_guard lock(mutex_);
    finished.swap(current_);
    busy_ = false;
  }
  finished.reset();  // releases the receipt: the child may write more
  pump();
}

}  // namespace theater::handlers
