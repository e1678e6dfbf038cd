#include "handlers/message_server/router.h"

namespace theater::handlers {

void MessageRouter::attach(std::shared_ptr<Endpoint> endpoint) {
  std::unique_lock lock(endpoints_mutex_);
  std::string id = endpoint->id();
  endpoints_[std::move(id)] = std::move(endpoint);
}

void MessageRouter::detach(const std::string& actor_id) {
  std::unique_lock lock(endpoints_mutex_);
  endpoints_.erase(actor_id);
}

std::shared_ptr<Endpoint> MessageRouter::find(const std::string& actor_id) const {
  std::shared_lock lock(endpoints_mutex_);
  auto it = endpoints_.find(actor_id);
  return it == endpoints_.end() ? nullptr : it->second;
}

Result<std::shared_ptr<Endpoint>> MessageRouter::reachable(const std::string& target,
                                                           std::string_view export_name) const {
  std::shared_ptr<Endpoint> to = find(target);
  if (!to) {
    return make_error(ErrorCode::kNotFound,
                      "no actor " + target +
                          " takes messages (it is not running, or its manifest has no "
                          "message-server handler)");
  }
  auto exported = to->actor().exports(export_name);
  if (!exported.ok())
    return make_error(ErrorCode::kUnavailable, "actor " + target + " has stopped");
  if (!*exported) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "actor " + target + " does not export " + std::string(export_name));
  }
  return to;
}

Status MessageRouter::begin_wait(const std::string& waiter, const std::string& target) {
  std::lock_guard lock(waits_mutex_);
  // Each actor waits for at most one other (a waiting call holds its actor),
  // so the cycle, if any, is the path from target back to waiter.
  std::vector<const std::string*> path{&waiter, &target};
  const std::string* at = &target;
  bool cycle_found = false;
  for (std::size_t steps = 0; steps <= waits_for_.size(); ++steps) {
    if (*at == waiter) {
      cycle_found = true;
      break;
    }
    auto next = waits_for_.find(*at);
    if (next == waits_for_.end()) break;
    at = &next->second;
    path.push_back(at);
  }
  if (!cycle_found) {
    waits_for_[waiter] = target;
    return {};
  }
  std::string cycle;
  for (const std::string* actor : path) cycle += (cycle.empty() ? "" : " -> ") + *actor;
  return make_error(ErrorCode::kFailedPrecondition,
                    "refused: waiting would deadlock, each actor in this cycle would wait for the "
                    "next: " +
                        cycle);
}

void MessageRouter::end_wait(const std::string& waiter) {
  std::lock_guard lock(waits_mutex_);
  waits_for_.erase(waiter);
}

Result<WaitEdge> WaitEdge::begin(MessageRouter& router, const std::string& waiter,
                                 const std::string& target) {
  THEATER_RETURN_IF_ERROR(router.begin_wait(waiter, target));
  return WaitEdge(&router, waiter);
}

// --- channels ------------------------------------------------------------------

Status MessageRouter::add_channel(Channel channel) {
  std::lock_guard lock(channels_mutex_);
  if (channels_.size() >= kMaxChannels) {
    return make_error(
        ErrorCode::kResourceExhausted,
        "too many open channels (" + std::to_string(kMaxChannels) + "); close some first");
  }
  channels_by_actor_.emplace(channel.opener, channel.id);
  if (channel.acceptor != channel.opener) channels_by_actor_.emplace(channel.acceptor, channel.id);
  std::string id = channel.id;
  channels_.emplace(std::move(id), std::move(channel));
  return {};
}

std::optional<Channel> MessageRouter::find_channel(const std::string& channel_id) const {
  std::lock_guard lock(channels_mutex_);
  auto it = channels_.find(channel_id);
  if (it == channels_.end()) return std::nullopt;
  return it->second;
}

std::optional<Channel> MessageRouter::remove_channel(const std::string& channel_id) {
  std::lock_guard lock(channels_mutex_);
  auto it = channels_.find(channel_id);
  if (it == channels_.end()) return std::nullopt;
  Channel channel = std::move(it->second);
  channels_.erase(it);
  for (const std::string* actor : {&channel.opener, &channel.acceptor}) {
    auto [begin, end] = channels_by_actor_.equal_range(*actor);
    for (auto at = begin; at != end;)
      at = at->second == channel_id ? channels_by_actor_.erase(at) : std::next(at);
  }
  return channel;
}

std::vector<Channel> MessageRouter::remove_channels_of(const std::string& actor_id) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(channels_mutex_);
    auto [begin, end] = channels_by_actor_.equal_range(actor_id);
    for (auto at = begin; at != end; ++at) ids.push_back(at->second);
  }
  std::vector<Channel> removed;
  for (const std::string& id : ids)
    if (auto channel = remove_channel(id)) removed.push_back(std::move(*channel));
  return removed;
}

}  // namespace theater::handlers
