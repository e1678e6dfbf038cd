#include "handlers/message_server/outside_messaging.h"

#include "common/uuid.h"
#include "handlers/message_server/conversation.h"
#include "handlers/message_server/delivery.h"
#include "handlers/message_server/message_records.h"
#include "handlers/message_server/message_wit.h"

namespace theater::handlers {
namespace {

using handler::OutsideCallOptions;
using std::chrono::steady_clock;
using Span = std::span<const std::uint8_t>;

constexpr std::string_view kSenderPrefix = "client:";
constexpr std::span<const std::uint8_t> kNoCause;  // an outside sender has no chain

std::chrono::milliseconds reply_timeout(const OutsideCallOptions& options, const Endpoint& to) {
  return options.reply_timeout.value_or(to.settings().request_timeout);
}

std::string timeout_text(const OutsideCallOptions& options, const Endpoint& to) {
  return std::to_string(reply_timeout(options, to).count()) + " ms (" +
         (options.reply_timeout ? "the caller's timeout" : "request_timeout_ms") + ")";
}

// Queues `delivery`, waiting for room up to the target's send_timeout_ms;
// the caller giving up is kCancelled.
Status deliver(Endpoint& to, handler::CallbackCall& delivery, const OutsideCallOptions& options) {
  Status queued = to.deliver_waiting(delivery, to.settings().send_timeout, options.stop);
  if (!queued.ok() && queued.error().code == ErrorCode::kResourceExhausted &&
      options.stop.stop_requested()) {
    return make_error(ErrorCode::kCancelled,
                      "the sender gave up waiting for room in the mailbox of actor " + to.id());
  }
  return queued;
}

// The outside side of one channel.
class OutsideChannel final : public handler::ExternalChannel {
 public:
  OutsideChannel(std::shared_ptr<MessageRouter> router, std::string id, std::string target,
                 std::shared_ptr<OutsidePeer> peer)
      : router_(std::move(router)),
        id_(std::move(id)),
        target_(std::move(target)),
        peer_(std::move(peer)) {}
  ~OutsideChannel() override { close(); }

  const std::string& id() const override { return id_; }

  Status send(Bytes msg, std::stop_token stop) override {
    std::optional<Channel> channel = router_->find_channel(id_);
    if (!channel || channel->outside != peer_)
      return make_error(ErrorCode::kFailedPrecondition, "channel " + id_ + " is closed");
    THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Endpoint> to,
                             router_->reachable(target_, message_wit::kHandleChannelMessage));
    THEATER_RETURN_IF_ERROR(
        check_message_size("a channel message", msg.size(), to->settings().max_message_size));
    auto data = delivery_call_data(message_wit::kHandleChannelMessage, peer_->id(), kNoCause,
                                   {{"channel", id_}, {"msg", Span(msg)}});
    auto delivery = make_delivery<std::tuple<std::string, Bytes>>(
        to, message_wit::kHandleChannelMessage, std::tuple(id_, std::move(msg)), std::move(data));
    OutsideCallOptions options;
    options.stop = std::move(stop);
    return deliver(*to, delivery, options);
  }

  void close() override {
    peer_->close_quietly();
    if (!router_->remove_channel(id_)) return;  // closed already, by either side
    if (auto to = router_->find(target_)) notify_close(*to, id_, peer_->id(), kNoCause);
  }

 private:
  const std::shared_ptr<MessageRouter> router_;
  const std::string id_;
  const std::string target_;
  const std::shared_ptr<OutsidePeer> peer_;
};

}  // namespace

handler::OutsideSender OutsideMessaging::new_sender() {
  return {std::string(kSenderPrefix) + std::to_string(++next_sender_)};
}

Result<std::shared_ptr<Endpoint>> OutsideMessaging::target_of(const handler::OutsideSender& from,
                                                              const std::string& target,
                                                              std::string_view export_name,
                                                              std::string_view what,
                                                              std::size_t size) const {
  if (!from.id.starts_with(kSenderPrefix)) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "an outside sender is made by new_sender() (client:<n>), not \"" + from.id + "\"");
  }
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Endpoint> to, router_->reachable(target, export_name));
  THEATER_RETURN_IF_ERROR(check_message_size(what, size, to->settings().max_message_size));
  return to;
}

Status OutsideMessaging::send(const handler::OutsideSender& from, const std::string& target,
                              Bytes msg, const OutsideCallOptions& options) {
  THEATER_ASSIGN_OR_RETURN(
      std::shared_ptr<Endpoint> to,
      target_of(from, target, message_wit::kHandleSend, "a message", msg.size()));
  auto data = delivery_call_data(message_wit::kHandleSend, from.id, kNoCause, {{"msg", Span(msg)}});
  auto delivery = make_delivery<std::tuple<Bytes>>(to, message_wit::kHandleSend,
                                                   std::tuple(std::move(msg)), std::move(data));
  return deliver(*to, delivery, options);
}

Result<Bytes> OutsideMessaging::request(const handler::OutsideSender& from,
                                        const std::string& target, Bytes msg,
                                        const OutsideCallOptions& options) {
  THEATER_ASSIGN_OR_RETURN(
      std::shared_ptr<Endpoint> to,
      target_of(from, target, message_wit::kHandleRequest, "a request", msg.size()));
  const std::string request_id = from.id + "/" + std::to_string(++next_request_);
  auto answer = std::make_shared<RequestAnswer>();
  THEATER_RETURN_IF_ERROR(to->add_request({request_id, from.id, answer}));
  auto data = delivery_call_data(message_wit::kHandleRequest, from.id, kNoCause,
                                 {{"msg", Span(msg)}, {"request_id", request_id}});
  auto delivery = request_delivery(to, request_id, std::move(msg), std::move(data), answer);
  if (Status queued = deliver(*to, delivery, options); !queued.ok()) {
    (void)to->take_request(request_id);
    return queued.error();
  }

  std::optional<Result<Bytes>> got =
      answer->wait(steady_clock::now() + reply_timeout(options, *to), options.stop);
  if (!got) got = answer->give_up();  // unless it just came
  if (got) return std::move(*got);
  const Error why =
      options.stop.stop_requested()
          ? make_error(ErrorCode::kCancelled, "request " + request_id + " to actor " + target +
                                                  ": its requester gave up waiting")
          : make_error(ErrorCode::kDeadlineExceeded,
                       "request " + request_id + " to actor " + target + " timed out after " +
                           timeout_text(options, *to) + " waiting for its reply");
  to->forget_request(request_id, "its requester gave up: " + why.message);
  return why;
}

Result<std::unique_ptr<handler::ExternalChannel>> OutsideMessaging::open_channel(
    const handler::OutsideSender& from, const std::string& target, Bytes initial,
    handler::ChannelListener listener, const OutsideCallOptions& options) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Endpoint> to,
                           target_of(from, target, message_wit::kHandleChannelOpen,
                                     "an initial message", initial.size()));
  const std::string channel_id = random_uuid();
  auto answer = std::make_shared<AcceptAnswer>();
  auto data = delivery_call_data(message_wit::kHandleChannelOpen, from.id, kNoCause,
                                 {{"channel", channel_id}, {"msg", Span(initial)}});
  auto delivery =
      channel_open_delivery(to, channel_id, std::move(initial), std::move(data), answer);
  THEATER_RETURN_IF_ERROR(deliver(*to, delivery, options));

  auto got = answer->wait(steady_clock::now() + reply_timeout(options, *to), options.stop);
  if (!got) got = answer->give_up();  // unless it just came
  if (!got) {
    if (options.stop.stop_requested()) {
      return make_error(ErrorCode::kCancelled, "the opening of channel " + channel_id +
                                                   " to actor " + target + " was given up");
    }
    return make_error(ErrorCode::kDeadlineExceeded,
                      "actor " + target + " did not answer the opening of channel " + channel_id +
                          " within " + timeout_text(options, *to));
  }
  if (!got->ok()) return got->error();
  message_wit::ChannelAccept& accept = **got;
  if (!accept.accepted) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + target + " refused channel " + channel_id);
  }
  auto peer = std::make_shared<OutsidePeer>(from.id, std::move(listener));
  // What the actor sends once the channel exists waits behind its accept message.
  auto held = peer->hold();
  if (Status added = router_->add_channel({channel_id, from.id, target, peer}); !added.ok()) {
    notify_close(*to, channel_id, from.id, kNoCause);  // it accepted a channel that never opened
    return added.error();
  }
  if (accept.message) {
    auto cause = record_accept_message(*to, channel_id, accept.message->size(), from.id);
    if (cause.ok()) (void)peer->deliver(channel_id, std::move(*accept.message));
  }
  return std::unique_ptr<handler::ExternalChannel>(
      std::make_unique<OutsideChannel>(router_, channel_id, target, std::move(peer)));
}

}  // namespace theater::handlers
