// Endpoint: one actor's receiving side of the message server. It bounds what
// is queued for the actor (mailbox_size messages delivered and not yet
// handled) and keeps the requests the actor received and has not answered.
//
// Bound policy: a counted delivery (send, request, channel message) to a
// full endpoint is refused intact; the sender waits for room
// (wait_for_room) in its blocking section, up to its send timeout. Notices
// the runtime owes an actor (a channel's close, an accept message) are not
// counted and never refused for room: they are retried once the actor's
// mailbox has space, so a peer always hears that its channel closed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "handler_api/actor_handle.h"
#include "handlers/message_server/message_config.h"
#include "handlers/message_server/pending_answer.h"

namespace theater::handlers {

using RequestAnswer = PendingAnswer<handler::Bytes>;

// A request an actor received: who asked, and the slot its reply goes to.
struct ReceivedRequest {
  std::string id;
  std::string from;
  std::shared_ptr<RequestAnswer> answer;
  bool deferred = false;  // handle-request returned none
  std::uint64_t seq = 0;  // arrival order, set by the endpoint
};

class Endpoint : public std::enable_shared_from_this<Endpoint> {
 public:
  Endpoint(std::string actor_id, handler::ActorHandle actor, MessageSettings settings)
      : id_(std::move(actor_id)), actor_(std::move(actor)), settings_(settings) {}

  const std::string& id() const { return id_; }
  const handler::ActorHandle& actor() const { return actor_; }
  const MessageSettings& settings() const { return settings_; }

  // --- deliveries -----------------------------------------------------------
  // Read before try_deliver; wait_for_room wakes once it changed.
  std::uint64_t room_generation() const;
  // Queues a counted delivery (its done must call release()). Refused intact
  // with kResourceExhausted when full, kUnavailable when the actor stopped.
  Status try_deliver(handler::CallbackCall& call);
  // Waits until the room generation moved past `seen` (room, or closed),
  // `deadline` passed or `stop` fired.
  void wait_for_room(std::uint64_t seen, std::chrono::steady_clock::time_point deadline,
                     std::stop_token stop);
  // try_deliver, waiting for room while the mailbox is full, up to `timeout`
  // (the sender's send_timeout_ms) or until `stop` fires; the error then
  // names the full mailbox and the wait.
  Status deliver_waiting(handler::CallbackCall& call, std::chrono::milliseconds timeout,
                         std::stop_token stop);
  // A counted delivery ended (ran, failed, or was dropped by a stopping actor).
  void release();
  // An uncounted notice: queued now, or once the actor's mailbox has room.
  void deliver_notice(handler::CallbackCall call);
  std::size_t queued() const;

  // --- requests received ----------------------------------------------------
  Status add_request(ReceivedRequest request);
  // Removes and returns it; null when there is none (see expired_reason).
  std::shared_ptr<RequestAnswer> take_request(const std::string& request_id);
  void mark_deferred(const std::string& request_id);
  // Deferred requests not answered yet, oldest first.
  std::vector<std::string> outstanding() const;
  // The requester gave up: a later reply is dropped, and the reason remembered.
  void forget_request(const std::string& request_id, std::string reason);
  std::optional<std::string> expired_reason(const std::string& request_id) const;

  // The actor stops: no more deliveries; every request it still holds is
  // answered with an error naming that.
  void close();

 private:
  void wake_senders();

  const std::string id_;
  const handler::ActorHandle actor_;
  const MessageSettings settings_;

  mutable std::mutex mutex_;
  std::condition_variable_any room_cv_;
  std::uint64_t room_generation_ = 0;
  std::size_t queued_ = 0;
  bool closed_ = false;
  std::map<std::string, ReceivedRequest> requests_;
  std::uint64_t next_request_seq_ = 0;
  // Requests whose requester gave up, with why (bounded, oldest dropped).
  std::deque<std::pair<std::string, std::string>> expired_;
  static constexpr std::size_t kMaxExpired = 1024;
};

}  // namespace theater::handlers
