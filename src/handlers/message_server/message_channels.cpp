// MessageServerInstance's channels: open (asking the target), send on, close,
// and closing them all when the actor stops.
#include "common/uuid.h"
#include "handlers/message_server/conversation.h"
#include "handlers/message_server/delivery.h"
#include "handlers/message_server/message_instance.h"
#include "handlers/message_server/message_records.h"
#include "handlers/message_server/message_wit.h"

namespace theater::handlers {
namespace {

using message_wit::ChannelAccept;
using std::chrono::steady_clock;
using Span = std::span<const std::uint8_t>;

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
  auto data = delivery_call_data(message_wit::kHandleChannelOpen, actor_id_, cause,
                                 {{"channel", channel_id}, {"msg", Span(initial)}});
  auto delivery =
      channel_open_delivery(*to, channel_id, std::move(initial), std::move(data), answer);
  if (Status queued = deliver(call, **to, delivery); !queued.ok()) return finish(queued.error());

  const auto deadline = steady_clock::now() + settings_.request_timeout;
  std::optional<Result<ChannelAccept>> got;
  Status parked = call.blocking([&](std::stop_token stop) { got = answer->wait(deadline, stop); });
  if (!got) got = answer->give_up();  // unless it just came
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
  if (Status added = router_->add_channel({channel_id, actor_id_, target, nullptr}); !added.ok())
    return finish(added.error());
  if (accept.message) {
    // The accept message comes from the target: its chain holds the cause.
    auto accepted = record_accept_message(**to, channel_id, accept.message->size(), actor_id_);
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
  if (channel->outside && channel->outside->id() == other)
    return send_outside(*channel->outside, channel_id, std::move(msg));
  auto to = target_of(other, message_wit::kHandleChannelMessage);
  if (!to.ok()) return refused("send-on-channel", to.error());
  THEATER_ASSIGN_OR_RETURN(Bytes cause, record_channel_send(channel_id, msg.size(), other));
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

Result<Bytes> MessageServerInstance::record_channel_send(const std::string& channel_id,
                                                         std::size_t size,
                                                         const std::string& to) const {
  return record_cause(
      "channel-send",
      cbor_map({{"channel", channel_id}, {"size", std::uint64_t{size}}, {"to", to}}));
}

// The other side is outside any actor: the message goes to its listener at
// once (it has no mailbox to wait on); its refusal is this call's error.
Status MessageServerInstance::send_outside(OutsidePeer& peer, const std::string& channel_id,
                                           Bytes msg) {
  THEATER_ASSIGN_OR_RETURN(Bytes cause, record_channel_send(channel_id, msg.size(), peer.id()));
  (void)cause;  // the outside side keeps no chain to link it from
  Status given = peer.deliver(channel_id, std::move(msg));
  if (!given.ok())
    record("channel-send-failed", {{"channel", channel_id}, {"error", given.error().message}});
  return given;
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
  tell_other_side_closed(*router_, *channel, actor_id_, cause,
                         "actor " + actor_id_ + " closed channel " + channel_id);
  return {};
}

void MessageServerInstance::close_channels_on_stop() {
  for (const Channel& channel : router_->remove_channels_of(actor_id_)) {
    const std::string& other = channel.other(actor_id_);
    auto cause = record_cause(
        "channel-closed",
        cbor_map({{"channel", channel.id}, {"reason", "the actor stopped"}, {"to", other}}));
    if (!cause.ok()) continue;
    tell_other_side_closed(*router_, channel, actor_id_, *cause, "actor " + actor_id_ + " stopped");
  }
}

}  // namespace theater::handlers
