#include "handlers/message_server/endpoint.h"

#include <algorithm>

namespace theater::handlers {

std::uint64_t Endpoint::room_generation() const {
  std::lock_guard lock(mutex_);
  return room_generation_;
}

Status Endpoint::try_deliver(handler::CallbackCall& call) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return make_error(ErrorCode::kUnavailable, "actor " + id_ + " has stopped");
    if (queued_ >= settings_.mailbox_size) {
      return make_error(ErrorCode::kResourceExhausted, "the mailbox of actor " + id_ +
                                                           " is full (" + std::to_string(queued_) +
                                                           " messages queued, its mailbox_size)");
    }
    ++queued_;
  }
  Status submitted = actor_.submit(call);
  if (submitted.ok()) return submitted;
  {
    std::lock_guard lock(mutex_);
    --queued_;
  }
  if (submitted.error().code == ErrorCode::kResourceExhausted) {
    // The actor's own queue (shared with every other producer) is full: the
    // sender waits until it has room, like for our bound.
    std::weak_ptr<Endpoint> weak = weak_from_this();
    actor_.notify_when_space([weak] {
      if (auto self = weak.lock()) self->wake_senders();
    });
    return make_error(ErrorCode::kResourceExhausted,
                      "the mailbox of actor " + id_ + " is full: " + submitted.error().message);
  }
  return make_error(submitted.error().code,
                    "actor " + id_ + " takes no messages: " + submitted.error().message);
}

Status Endpoint::deliver_waiting(handler::CallbackCall& call, std::chrono::milliseconds timeout,
                                 std::stop_token stop) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::uint64_t seen = room_generation();
    Status queued = try_deliver(call);
    if (queued.ok() || queued.error().code != ErrorCode::kResourceExhausted) return queued;
    if (stop.stop_requested() || std::chrono::steady_clock::now() >= deadline) {
      return make_error(ErrorCode::kResourceExhausted,
                        queued.error().message + "; it had no room within send_timeout_ms (" +
                            std::to_string(timeout.count()) + " ms)");
    }
    wait_for_room(seen, deadline, stop);
  }
}

void Endpoint::wait_for_room(std::uint64_t seen, std::chrono::steady_clock::time_point deadline,
                             std::stop_token stop) {
  std::unique_lock lock(mutex_);
  room_cv_.wait_until(lock, stop, deadline, [&] { return room_generation_ != seen; });
}

void Endpoint::release() {
  {
    std::lock_guard lock(mutex_);
    if (queued_ > 0) --queued_;
    ++room_generation_;
  }
  room_cv_.notify_all();
}

void Endpoint::wake_senders() {
  {
    std::lock_guard lock(mutex_);
    ++room_generation_;
  }
  room_cv_.notify_all();
}

std::size_t Endpoint::queued() const {
  std::lock_guard lock(mutex_);
  return queued_;
}

void Endpoint::deliver_notice(handler::CallbackCall call) {
  Status submitted = actor_.submit(call);
  if (submitted.ok() || submitted.error().code != ErrorCode::kResourceExhausted) {
    // Not taken and not for room (the actor stopped): the notice has no
    // reader any more, and its call was never made.
    return;
  }
  auto kept = std::make_shared<handler::CallbackCall>(std::move(call));
  std::weak_ptr<Endpoint> weak = weak_from_this();
  actor_.notify_when_space([weak, kept] {
    if (auto self = weak.lock()) self->deliver_notice(std::move(*kept));
  });
}

// --- requests ----------------------------------------------------------------

Status Endpoint::add_request(ReceivedRequest request) {
  std::lock_guard lock(mutex_);
  if (closed_) return make_error(ErrorCode::kUnavailable, "actor " + id_ + " has stopped");
  request.seq = next_request_seq_++;
  std::string id = request.id;
  requests_.emplace(std::move(id), std::move(request));
  return {};
}

std::shared_ptr<RequestAnswer> Endpoint::take_request(const std::string& request_id) {
  std::lock_guard lock(mutex_);
  auto it = requests_.find(request_id);
  if (it == requests_.end()) return nullptr;
  std::shared_ptr<RequestAnswer> answer = std::move(it->second.answer);
  requests_.erase(it);
  return answer;
}

void Endpoint::mark_deferred(const std::string& request_id) {
  std::lock_guard lock(mutex_);
  if (auto it = requests_.find(request_id); it != requests_.end()) it->second.deferred = true;
}

std::vector<std::string> Endpoint::outstanding() const {
  std::vector<const ReceivedRequest*> deferred;
  std::lock_guard lock(mutex_);
  for (const auto& [id, request] : requests_)
    if (request.deferred) deferred.push_back(&request);
  std::sort(deferred.begin(), deferred.end(),
            [](const ReceivedRequest* a, const ReceivedRequest* b) { return a->seq < b->seq; });
  std::vector<std::string> ids;
  ids.reserve(deferred.size());
  for (const ReceivedRequest* request : deferred) ids.push_back(request->id);
  return ids;
}

void Endpoint::forget_request(const std::string& request_id, std::string reason) {
  std::lock_guard lock(mutex_);
  requests_.erase(request_id);
  expired_.emplace_back(request_id, std::move(reason));
  if (expired_.size() > kMaxExpired) expired_.pop_front();
}

std::optional<std::string> Endpoint::expired_reason(const std::string& request_id) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, reason] : expired_)
    if (id == request_id) return reason;
  return std::nullopt;
}

void Endpoint::close() {
  std::map<std::string, ReceivedRequest> unanswered;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ++room_generation_;
    unanswered.swap(requests_);
  }
  room_cv_.notify_all();
  for (auto& [id, request] : unanswered) {
    (void)request.answer->settle(make_error(
        ErrorCode::kUnavailable, "actor " + id_ + " stopped before answering request " + id));
  }
}

}  // namespace theater::handlers
