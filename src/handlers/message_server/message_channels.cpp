// MessageServerInstance's channels: open (asking the target), send on, close,
// and closing them all when the actor stops.
#include "common/uuid.h"
#include "handlers/message_server/delivery.h"
#include "handlers/message_server/message_instance.h"
#include "handlers/message_server/message_records.h"
#include "handlers/message_server/message_wit.h"

namespace theater::handlers {
namespace {

using message_wit::ChannelAccept;
using std::chrono::steady_clock;
using Span = std::span<const std::uint8_t>;
using AcceptAnswer = PendingAnswer<ChannelAccept>;

// Tells `to` that `channel_id` is closed, as caused by event `cause` of `from`.
void notify_close(Endpoint& to, const std::string& channel_id, const std::string& from,
                  const Bytes& cause) {
  auto exported = to.actor().exports(message_wit::kHandleChannelClose);
  if (!exported.ok() || !*exported) return;
  to.deliver_notice(make_notice(message_wit::kHandleChannelClose, std::tuple(channel_id),
                                delivery_call_data(message_wit::kHandleChannelClose, from, cause,
                                                   {{"channel", channel_id}})));
}

}  // namespace

Result<std::string> MessageServerInstance::open_channel(wasm::HostCall& call, std::string target,
                                                        Bytes initial) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  if (Status size = check_size("an initial message", initial.size()); !size.ok())
    return refused("open-channel", size.error());
  auto to = target_of(target, message_wit::kHandleChannelOpen);
  if (!to.ok()) return refused("open-channel", to.error());
  auto edge = WaitEdge::begin(*router_, actor_id_, target);
  if (!edge.ok()) return refused("open-channel", edge.error());

  const std::string channel_id = random_uuid();
  THEATER_ASSIGN_OR_RETURN(
      Bytes cause, record_cause("open-channel", cbor_map({{"channel", channel_id},
                                                          {"size", std::uint64_t{initial.size()}},
                                                          {"to", target}})));
  auto finish = [&](Result<std::string> outcome) -> Result<std::string> {
    nlohmann::json data = {{"channel", channel_id}, {"to", target}, {"opened", outcome.ok()}};
    if (!outcome.ok()) data["error"] = outcome.error().message;
    record("open-channel-result", data);
    return outcome;
  };
  auto answer = std::make_shared<AcceptAnswer>();
  std::weak_ptr<Endpoint> weak_to = *to;
  const std::string opener = actor_id_;
  auto decided = [answer, weak_to, channel_id, target,
                  opener](Result<std::tuple<std::tuple<ChannelAccept>>> outcome) {
    if (!outcome.ok()) {
      (void)answer->settle(make_error(outcome.error().code,
                                      "actor " + target + " failed while deciding on channel " +
                                          channel_id + ": " + outcome.error().message));
      return;
    }
    ChannelAccept accept = std::get<0>(std::get<0>(*outcome));
    const bool accepted = accept.accepted;
    if (answer->settle(std::move(accept)) || !accepted) return;
    // Accepted after the opener gave up: the channel never opened; say so to the target.
    auto to = weak_to.lock();
    if (!to) return;
    auto closed = to->actor().record_cbor(
        std::string(kMessageEventPrefix) + "late-reply-dropped", std::nullopt,
        cbor_map({{"channel", channel_id}, {"reason", "its opener stopped waiting"}}));
    if (closed.ok()) notify_close(*to, channel_id, target, *closed);
  };
  auto data = delivery_call_data(message_wit::kHandleChannelOpen, actor_id_, cause,
                                 {{"channel", channel_id}, {"msg", Span(initial)}});
  auto delivery = make_delivery<std::tuple<std::string, Bytes>, std::tuple<ChannelAccept>>(
      *to, message_wit::kHandleChannelOpen, std::tuple(channel_id, std::move(initial)),
      std::move(data), std::move(decided));
  if (Status queued = deliver(call, **to, delivery); !queued.ok()) return finish(queued.error());

  const auto deadline = steady_clock::now() + settings_.request_timeout;
  std::optional<Result<ChannelAccept>> got;
  Status parked = call.blocking([&](std::stop_token stop) { got = answer->wait(deadline, stop); });
  if (!got && !answer->abandon()) got = answer->wait(steady_clock::now(), {});
  if (!got) {
    if (!parked.ok()) return finish(parked.error());
    return finish(make_error(ErrorCode::kDeadlineExceeded,
                             "actor " + target + " did not answer the opening of channel " +
                                 channel_id + " within request_timeout_ms (" +
                                 std::to_string(settings_.request_timeout.count()) + " ms)"));
  }
  if (!got->ok()) return finish(got->error());
  ChannelAccept& accept = **got;
  if (!accept.accepted) {
    return finish(make_error(ErrorCode::kPermissionDenied,
                             "actor " + target + " refused channel " + channel_id));
  }
  if (Status added = router_->add_channel({channel_id, actor_id_, target}); !added.ok())
    return finish(added.error());
  if (accept.message) {
    // The accept message comes from the target: its chain holds the cause.
    auto accepted = (*to)->actor().record_cbor(
        std::string(kMessageEventPrefix) + "channel-accepted", std::nullopt,
        cbor_map({{"channel", channel_id},
                  {"size", std::uint64_t{accept.message->size()}},
                  {"to", actor_id_}}));
    if (accepted.ok() && call.has_export(message_wit::kHandleChannelMessage)) {
      auto notice_data =
          delivery_call_data(message_wit::kHandleChannelMessage, target, *accepted,
                             {{"channel", channel_id}, {"msg", Span(*accept.message)}});
      self.endpoint->deliver_notice(make_notice(message_wit::kHandleChannelMessage,
                                                std::tuple(channel_id, std::move(*accept.message)),
                                                std::move(notice_data)));
    }
  }
  return finish(channel_id);
}

Status MessageServerInstance::send_on_channel(wasm::HostCall& call, std::string channel_id,
                                              Bytes msg) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  std::optional<Channel> channel = router_->find_channel(channel_id);
  if (!channel) {
    return refused("send-on-channel",
                   make_error(ErrorCode::kNotFound, "no open channel " + channel_id));
  }
  if (!channel->has(actor_id_)) {
    return refused(
        "send-on-channel",
        make_error(ErrorCode::kPermissionDenied,
                   "actor " + actor_id_ + " is not a participant of channel " + channel_id));
  }
  if (Status size = check_size("a channel message", msg.size()); !size.ok())
    return refused("send-on-channel", size.error());
  const std::string& other = channel->other(actor_id_);
  auto to = target_of(other, message_wit::kHandleChannelMessage);
  if (!to.ok()) return refused("send-on-channel", to.error());
  THEATER_ASSIGN_OR_RETURN(
      Bytes cause,
      record_cause(
          "channel-send",
          cbor_map({{"channel", channel_id}, {"size", std::uint64_t{msg.size()}}, {"to", other}})));
  auto data = delivery_call_data(message_wit::kHandleChannelMessage, actor_id_, cause,
                                 {{"channel", channel_id}, {"msg", Span(msg)}});
  auto delivery = make_delivery<std::tuple<std::string, Bytes>>(
      *to, message_wit::kHandleChannelMessage, std::tuple(channel_id, std::move(msg)),
      std::move(data));
  Status queued = deliver(call, **to, delivery);
  if (!queued.ok())
    record("channel-send-failed", {{"channel", channel_id}, {"error", queued.error().message}});
  return queued;
}

Status MessageServerInstance::close_channel(std::string channel_id) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  // Who may close it is checked before anything else changes.
  std::optional<Channel> channel = router_->find_channel(channel_id);
  if (!channel) {
    return refused("close-channel",
                   make_error(ErrorCode::kNotFound, "no open channel " + channel_id));
  }
  if (!channel->has(actor_id_)) {
    return refused("close-channel",
                   make_error(ErrorCode::kPermissionDenied,
                              "actor " + actor_id_ + " is not a participant of channel " +
                                  channel_id + " and may not close it"));
  }
  if (!router_->remove_channel(channel_id)) {
    return refused("close-channel", make_error(ErrorCode::kNotFound,
                                               "channel " + channel_id + " is already closed"));
  }
  const std::string& other = channel->other(actor_id_);
  THEATER_ASSIGN_OR_RETURN(
      Bytes cause,
      record_cause("close-channel", cbor_map({{"channel", channel_id}, {"to", other}})));
  if (auto to = router_->find(other)) notify_close(*to, channel_id, actor_id_, cause);
  return {};
}

void MessageServerInstance::close_channels_on_stop() {
  for (const Channel& channel : router_->remove_channels_of(actor_id_)) {
    const std::string& other = channel.other(actor_id_);
    auto cause = record_cause(
        "channel-closed",
        cbor_map({{"channel", channel.id}, {"reason", "the actor stopped"}, {"to", other}}));
    if (!cause.ok()) continue;
    if (auto to = router_->find(other)) notify_close(*to, channel.id, actor_id_, *cause);
  }
}

}  // namespace theater::handlers
