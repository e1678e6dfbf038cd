// TheaterRuntime::messaging(): the ExternalMessaging a handler offers,
// behind a MessagingGate that checks targets against the actor table.
#include "runtime/messaging_gate.h"
#include "runtime/theater_runtime.h"

namespace theater::runtime {

Result<handler::ExternalMessaging*> TheaterRuntime::messaging() {
  if (!messaging_) {
    return make_error(ErrorCode::kUnavailable,
                      "this runtime has no handler that offers messaging from outside actors "
                      "(the message-server handler is not registered)");
  }
  return messaging_.get();
}

void TheaterRuntime::open_messaging() {
  const handler::Handler* provider =
      registry_.service_provider(handler::ExternalMessaging::kServiceName);
  if (provider == nullptr) return;
  auto* offered = static_cast<handler::ExternalMessaging*>(
      provider->runtime_service(handler::ExternalMessaging::kServiceName));
  messaging_ = std::make_unique<MessagingGate>(
      *offered, [this, type = provider->type()](const std::string& target) {
        return check_message_target(target, type);
      });
}

Status TheaterRuntime::check_message_target(const std::string& id,
                                            const std::string& provider_type) const {
  std::shared_ptr<actor::Actor> target = find(id);
  if (!target) return make_error(ErrorCode::kNotFound, "no running actor " + id);
  if (target->handler_instance(provider_type) == nullptr) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "actor " + id + " takes no messages: it has no " + provider_type +
                          " handler (its manifest grants none, or its module uses none of its "
                          "interfaces)");
  }
  return ok_status();
}

}  // namespace theater::runtime
