#include "handlers/message_server/message_instance.h"

#include "chain/event.h"
#include "common/uuid.h"
#include "handlers/message_server/conversation.h"
#include "handlers/message_server/delivery.h"
#include "handlers/message_server/message_records.h"
#include "handlers/message_server/message_wit.h"

namespace theater::handlers {
namespace {

using std::chrono::steady_clock;
using Span = std::span<const std::uint8_t>;

std::string ms_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

nlohmann::json outcome_json(const Result<Bytes>& outcome) {
  if (outcome.ok()) return {{"response", nlohmann::json::binary(*outcome)}};
  return {{"error", outcome.error().message}};
}

}  // namespace

MessageServerInstance::MessageServerInstance(std::shared_ptr<MessageRouter> router,
                                             std::string actor_id, MessageSettings settings)
    : router_(std::move(router)), actor_id_(std::move(actor_id)), settings_(settings) {}

Status MessageServerInstance::start(handler::ActorHandle actor, std::stop_token) {
  auto endpoint = std::make_shared<Endpoint>(actor_id_, actor, settings_);
  {
    std::lock_guard lock(mutex_);
    started_ = Started{std::move(actor), endpoint};
  }
  router_->attach(std::move(endpoint));
  return {};
}

void MessageServerInstance::stop(std::chrono::milliseconds) {
  std::optional<Started> self;
  {
    std::lock_guard lock(mutex_);
    self = started_;
  }
  if (!self) return;
  router_->detach(actor_id_);
  self->endpoint->close();
  close_channels_on_stop();
  std::lock_guard lock(mutex_);
  started_.reset();
}

Result<MessageServerInstance::Started> MessageServerInstance::started() const {
  std::lock_guard lock(mutex_);
  if (!started_) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "the message server has not started for actor " + actor_id_ + " (or it has stopped)");
  }
  return *started_;
}

// --- helpers -------------------------------------------------------------------

Result<std::shared_ptr<Endpoint>> MessageServerInstance::target_of(
    const std::string& target, std::string_view export_name) const {
  return router_->reachable(target, export_name);
}

Status MessageServerInstance::check_size(std::string_view what, std::size_t bytes) const {
  return check_message_size(what, bytes, settings_.max_message_size);
}

Error MessageServerInstance::refused(std::string_view operation, const Error& error) const {
  record("refused", {{"operation", operation}, {"error", error.message}});
  return error;
}

void MessageServerInstance::record(std::string_view what, const nlohmann::json& data) const {
  auto self = started();
  if (!self.ok()) return;
  (void)self->actor.record(std::string(kMessageEventPrefix) + std::string(what), std::nullopt,
                           data);
}

Result<Bytes> MessageServerInstance::record_cause(std::string_view what,
                                                  std::vector<std::uint8_t> cbor) const {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  return self.actor.record_cbor(std::string(kMessageEventPrefix) + std::string(what), std::nullopt,
                                std::move(cbor));
}

Status MessageServerInstance::deliver(wasm::HostCall& call, Endpoint& to,
                                      handler::CallbackCall& delivery) {
  Status queued = to.try_deliver(delivery);
  if (queued.ok() || queued.error().code != ErrorCode::kResourceExhausted) return queued;
  // Full: wait for room (backpressure), unless that wait would close a cycle.
  THEATER_ASSIGN_OR_RETURN(WaitEdge edge, WaitEdge::begin(*router_, actor_id_, to.id()));
  THEATER_RETURN_IF_ERROR(call.blocking([&](std::stop_token stop) {
    queued = to.deliver_waiting(delivery, settings_.send_timeout, stop);
  }));
  return queued;
}

// --- send ----------------------------------------------------------------------

Status MessageServerInstance::send(wasm::HostCall& call, std::string target, Bytes msg) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  if (Status size = check_size("a message", msg.size()); !size.ok())
    return refused("send", size.error());
  auto to = target_of(target, message_wit::kHandleSend);
  if (!to.ok()) return refused("send", to.error());
  THEATER_ASSIGN_OR_RETURN(
      Bytes cause,
      record_cause("send", cbor_map({{"size", std::uint64_t{msg.size()}}, {"to", target}})));
  auto data = delivery_call_data(message_wit::kHandleSend, actor_id_, cause, {{"msg", Span(msg)}});
  auto delivery = make_delivery<std::tuple<Bytes>>(*to, message_wit::kHandleSend,
                                                   std::tuple(std::move(msg)), std::move(data));
  Status queued = deliver(call, **to, delivery);
  if (!queued.ok()) record("send-failed", {{"to", target}, {"error", queued.error().message}});
  return queued;
}

// --- request -------------------------------------------------------------------

Result<Bytes> MessageServerInstance::request(wasm::HostCall& call, std::string target, Bytes msg) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  if (Status size = check_size("a request", msg.size()); !size.ok())
    return refused("request", size.error());
  auto to = target_of(target, message_wit::kHandleRequest);
  if (!to.ok()) return refused("request", to.error());
  auto edge = WaitEdge::begin(*router_, actor_id_, target);
  if (!edge.ok()) return refused("request", edge.error());

  const std::string request_id = actor_id_ + "/" + std::to_string(++next_request_);
  THEATER_ASSIGN_OR_RETURN(Bytes cause,
                           record_cause("request", cbor_map({{"request_id", request_id},
                                                             {"size", std::uint64_t{msg.size()}},
                                                             {"to", target}})));
  auto answer = std::make_shared<RequestAnswer>();
  auto finish = [&](Result<Bytes> outcome) -> Result<Bytes> {
    nlohmann::json data = outcome_json(outcome);
    data["request_id"] = request_id;
    data["from"] = target;
    record("request-answered", data);
    return outcome;
  };
  if (Status added = (*to)->add_request({request_id, actor_id_, answer}); !added.ok())
    return finish(added.error());

  auto data = delivery_call_data(message_wit::kHandleRequest, actor_id_, cause,
                                 {{"msg", Span(msg)}, {"request_id", request_id}});
  auto delivery = request_delivery(*to, request_id, std::move(msg), std::move(data), answer);
  if (Status queued = deliver(call, **to, delivery); !queued.ok()) {
    (void)(*to)->take_request(request_id);
    return finish(queued.error());
  }

  const auto deadline = steady_clock::now() + settings_.request_timeout;
  std::optional<Result<Bytes>> got;
  Status parked = call.blocking([&](std::stop_token stop) { got = answer->wait(deadline, stop); });
  if (!got) got = answer->give_up();  // unless it just came
  if (!got) {
    const Error why =
        parked.ok() ? make_error(ErrorCode::kDeadlineExceeded,
                                 "request " + request_id + " to actor " + target +
                                     " timed out after " + ms_text(settings_.request_timeout) +
                                     " (request_timeout_ms) waiting for its reply")
                    : parked.error();
    (*to)->forget_request(request_id, "its requester gave up: " + why.message);
    (void)finish(why);
    return why;
  }
  return finish(std::move(*got));
}

// --- answering requests ----------------------------------------------------------

Result<std::vector<std::string>> MessageServerInstance::list_outstanding_requests() {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  std::vector<std::string> ids = self.endpoint->outstanding();
  record("list-outstanding-requests", {{"requests", ids}});
  return ids;
}

Status MessageServerInstance::respond_to_request(std::string request_id, Bytes response) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  if (Status size = check_size("a response", response.size()); !size.ok())
    return refused("respond-to-request", size.error());
  const std::size_t bytes = response.size();
  std::shared_ptr<RequestAnswer> answer = self.endpoint->take_request(request_id);
  if (!answer) {
    if (auto why = self.endpoint->expired_reason(request_id)) {
      record_dropped_reply(self.actor, request_id, *why);
      return make_error(
          ErrorCode::kDeadlineExceeded,
          "request " + request_id + " is no longer awaited (" + *why + "); the reply was dropped");
    }
    return refused("respond-to-request",
                   make_error(ErrorCode::kNotFound,
                              "actor " + actor_id_ + " has no outstanding request " + request_id));
  }
  if (!answer->settle(std::move(response))) {
    record_dropped_reply(self.actor, request_id, "its requester stopped waiting");
    return make_error(ErrorCode::kDeadlineExceeded,
                      "request " + request_id + " is no longer awaited; the reply was dropped");
  }
  record("respond-to-request", {{"request_id", request_id}, {"size", bytes}});
  return {};
}

Status MessageServerInstance::cancel_request(std::string request_id) {
  THEATER_ASSIGN_OR_RETURN(Started self, started());
  std::shared_ptr<RequestAnswer> answer = self.endpoint->take_request(request_id);
  if (!answer) {
    return refused("cancel-request",
                   make_error(ErrorCode::kNotFound,
                              "actor " + actor_id_ + " has no outstanding request " + request_id));
  }
  (void)answer->settle(make_error(
      ErrorCode::kCancelled, "request " + request_id + " was cancelled by actor " + actor_id_));
  record("cancel-request", {{"request_id", request_id}});
  return {};
}

}  // namespace theater::handlers
