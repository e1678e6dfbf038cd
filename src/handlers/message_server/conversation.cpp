#include "handlers/message_server/conversation.h"

#include "handlers/message_server/delivery.h"
#include "handlers/message_server/message_records.h"

namespace theater::handlers {
namespace {

using message_wit::ChannelAccept;

}  // namespace

void record_dropped_reply(const handler::ActorHandle& giver, const std::string& request_id,
                          const std::string& reason) {
  (void)giver.record(std::string(kMessageEventPrefix) + "late-reply-dropped", std::nullopt,
                     {{"request_id", request_id}, {"reason", reason}});
}

Status check_message_size(std::string_view what, std::size_t bytes, std::size_t limit) {
  if (bytes <= limit) return {};
  return make_error(ErrorCode::kInvalidArgument,
                    std::string(what) + " of " + std::to_string(bytes) +
                        " bytes exceeds max_message_size (" + std::to_string(limit) + " bytes)");
}

handler::CallbackCall request_delivery(const std::shared_ptr<Endpoint>& to,
                                       const std::string& request_id, handler::Bytes msg,
                                       std::vector<std::uint8_t> call_data,
                                       std::shared_ptr<RequestAnswer> answer) {
  std::weak_ptr<Endpoint> weak_to = to;
  auto answered = [answer, weak_to, request_id, target = to->id()](
                      Result<std::tuple<std::tuple<std::optional<handler::Bytes>>>> outcome) {
    auto to = weak_to.lock();
    if (!outcome.ok()) {
      if (to) (void)to->take_request(request_id);
      (void)answer->settle(
          make_error(outcome.error().code, "actor " + target + " failed while handling request " +
                                               request_id + ": " + outcome.error().message));
      return;
    }
    std::optional<handler::Bytes>& response = std::get<0>(std::get<0>(*outcome));
    if (!response) {  // deferred: respond-to-request answers it later
      if (to) to->mark_deferred(request_id);
      return;
    }
    if (to) (void)to->take_request(request_id);
    if (!answer->settle(std::move(*response)) && to) {
      record_dropped_reply(to->actor(), request_id,
                           "it was already answered, or its requester stopped waiting");
    }
  };
  return make_delivery<std::tuple<std::string, handler::Bytes>,
                       std::tuple<std::optional<handler::Bytes>>>(
      to, message_wit::kHandleRequest, std::tuple(request_id, std::move(msg)), std::move(call_data),
      std::move(answered));
}

handler::CallbackCall channel_open_delivery(const std::shared_ptr<Endpoint>& to,
                                            const std::string& channel_id, handler::Bytes initial,
                                            std::vector<std::uint8_t> call_data,
                                            std::shared_ptr<AcceptAnswer> answer) {
  std::weak_ptr<Endpoint> weak_to = to;
  auto decided = [answer, weak_to, channel_id,
                  target = to->id()](Result<std::tuple<std::tuple<ChannelAccept>>> outcome) {
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
  return make_delivery<std::tuple<std::string, handler::Bytes>, std::tuple<ChannelAccept>>(
      to, message_wit::kHandleChannelOpen, std::tuple(channel_id, std::move(initial)),
      std::move(call_data), std::move(decided));
}

Result<handler::Bytes> record_accept_message(const Endpoint& acceptor,
                                             const std::string& channel_id, std::size_t size,
                                             const std::string& to) {
  return acceptor.actor().record_cbor(
      std::string(kMessageEventPrefix) + "channel-accepted", std::nullopt,
      cbor_map({{"channel", channel_id}, {"size", std::uint64_t{size}}, {"to", to}}));
}

void notify_close(Endpoint& to, const std::string& channel_id, const std::string& from,
                  std::span<const std::uint8_t> cause) {
  auto exported = to.actor().exports(message_wit::kHandleChannelClose);
  if (!exported.ok() || !*exported) return;
  to.deliver_notice(make_notice(message_wit::kHandleChannelClose, std::tuple(channel_id),
                                delivery_call_data(message_wit::kHandleChannelClose, from, cause,
                                                   {{"channel", channel_id}})));
}

void tell_other_side_closed(const MessageRouter& router, const Channel& channel,
                            const std::string& closer, std::span<const std::uint8_t> cause,
                            const std::string& reason) {
  const std::string& other = channel.other(closer);
  if (channel.outside && channel.outside->id() == other) {
    channel.outside->closed(reason);
    return;
  }
  if (auto to = router.find(other)) notify_close(*to, channel.id, closer, cause);
}

}  // namespace theater::handlers
