// MessageRouter: what the message server knows across actors, one per
// runtime (held by the handler, shared by its instances): which actors take
// messages (their endpoints), who is waiting for whom (the wait-for graph
// that refuses deadlocks), and the open channels. Per-actor state lives in
// each instance and its Endpoint; only these cross-actor tables are shared,
// each under one lock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "handlers/message_server/endpoint.h"
#include "handlers/message_server/outside_peer.h"

namespace theater::handlers {

struct Channel {
  std::string id;
  std::string opener;
  std::string acceptor;
  // Set when the opener is outside any actor (ExternalMessaging): what the
  // acceptor sends or a close goes to it, not to an endpoint.
  std::shared_ptr<OutsidePeer> outside;

  bool has(const std::string& actor_id) const { return actor_id == opener || actor_id == acceptor; }
  const std::string& other(const std::string& actor_id) const {
    return actor_id == opener ? acceptor : opener;
  }
};

class MessageRouter {
 public:
  // --- endpoints --------------------------------------------------------------
  void attach(std::shared_ptr<Endpoint> endpoint);
  void detach(const std::string& actor_id);
  std::shared_ptr<Endpoint> find(const std::string& actor_id) const;
  // The target's endpoint, when it runs and exports `export_name`: else
  // kNotFound (no endpoint), kUnavailable (stopped) or kFailedPrecondition
  // (no such export), naming the target.
  Result<std::shared_ptr<Endpoint>> reachable(const std::string& target,
                                              std::string_view export_name) const;

  // --- the wait-for graph -------------------------------------------------------
  // `waiter` is about to wait for `target` (its reply, or room in its
  // mailbox). Refused, naming the cycle, when `target` is `waiter` or waits
  // (through others) for it: that wait could only end at its timeout.
  Status begin_wait(const std::string& waiter, const std::string& target);
  void end_wait(const std::string& waiter);

  // --- channels -------------------------------------------------------------------
  Status add_channel(Channel channel);
  std::optional<Channel> find_channel(const std::string& channel_id) const;
  std::optional<Channel> remove_channel(const std::string& channel_id);
  // Every channel `actor_id` takes part in, removed.
  std::vector<Channel> remove_channels_of(const std::string& actor_id);

  static constexpr std::size_t kMaxChannels = 1u << 20;

 private:
  mutable std::shared_mutex endpoints_mutex_;
  std::map<std::string, std::shared_ptr<Endpoint>, std::less<>> endpoints_;

  std::mutex waits_mutex_;
  std::map<std::string, std::string> waits_for_;  // waiter -> target (an actor waits for one)

  mutable std::mutex channels_mutex_;
  std::map<std::string, Channel> channels_;
  std::multimap<std::string, std::string> channels_by_actor_;
};

// RAII for one edge of the wait-for graph.
class WaitEdge {
 public:
  static Result<WaitEdge> begin(MessageRouter& router, const std::string& waiter,
                                const std::string& target);
  WaitEdge(WaitEdge&& other) noexcept : router_(other.router_), waiter_(std::move(other.waiter_)) {
    other.router_ = nullptr;
  }
  WaitEdge(const WaitEdge&) = delete;
  WaitEdge& operator=(const WaitEdge&) = delete;
  WaitEdge& operator=(WaitEdge&&) = delete;
  ~WaitEdge() {
    if (router_) router_->end_wait(waiter_);
  }

 private:
  WaitEdge(MessageRouter* router, std::string waiter)
      : router_(router), waiter_(std::move(waiter)) {}
  MessageRouter* router_;
  std::string waiter_;
};

}  // namespace theater::handlers
