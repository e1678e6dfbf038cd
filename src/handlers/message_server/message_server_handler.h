// The message server (wit/message-server.wit): send, request, channels and
// deferred replies between actors, and the message-server-client callbacks
// it calls. Registered once per runtime; it holds the runtime's one
// MessageRouter, and each actor gets its own MessageServerInstance. It
// offers the runtime's owner ExternalMessaging over the same router.
#pragma once

#include <memory>

#include "handler_api/handler.h"
#include "handlers/message_server/message_config.h"
#include "handlers/message_server/outside_messaging.h"
#include "handlers/message_server/router.h"

namespace theater::handlers {

class MessageServerHandler final : public handler::Handler {
 public:
  const config::HandlerSchema& schema() const override { return message_server_schema(); }
  std::vector<std::string> imports() const override;
  std::vector<std::string> exports() const override;
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
  // ExternalMessaging, for callers outside any actor (outside_messaging.h).
  handler::RuntimeService* runtime_service(std::string_view name) const override;

 private:
  const std::shared_ptr<MessageRouter> router_ = std::make_shared<MessageRouter>();
  const std::unique_ptr<OutsideMessaging> outside_ = std::make_unique<OutsideMessaging>(router_);
};

}  // namespace theater::handlers
