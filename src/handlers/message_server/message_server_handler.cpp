#include "handlers/message_server/message_server_handler.h"

#include "abi/engine_binding.h"
#include "handler_api/host_answer.h"
#include "handlers/message_server/message_instance.h"
#include "handlers/message_server/message_wit.h"

namespace theater::handlers {
namespace {

using handler::Answer;
using message_wit::kHostInterface;

template <class Method, class... Args>
auto on_instance(wasm::HostCall& call, Method method, Args&&... args) {
  return handler::answer_on_instance<MessageServerInstance>(call, message_server_schema().type,
                                                            method, std::forward<Args>(args)...);
}

Answer<abi::Unit> send(wasm::HostCall& call, std::string target, Bytes msg) {
  return on_instance(call, &MessageServerInstance::send, call, std::move(target), std::move(msg));
}

Answer<Bytes> request(wasm::HostCall& call, std::string target, Bytes msg) {
  return on_instance(call, &MessageServerInstance::request, call, std::move(target),
                     std::move(msg));
}

Answer<std::string> open_channel(wasm::HostCall& call, std::string target, Bytes initial) {
  return on_instance(call, &MessageServerInstance::open_channel, call, std::move(target),
                     std::move(initial));
}

Answer<abi::Unit> send_on_channel(wasm::HostCall& call, std::string channel, Bytes msg) {
  return on_instance(call, &MessageServerInstance::send_on_channel, call, std::move(channel),
                     std::move(msg));
}

Answer<abi::Unit> close_channel(wasm::HostCall& call, std::string channel) {
  return on_instance(call, &MessageServerInstance::close_channel, std::move(channel));
}

// list<string> has no err case: without an instance the list is empty (the
// guest's other calls say why).
std::vector<std::string> list_outstanding_requests(wasm::HostCall& call) {
  Answer<std::vector<std::string>> listed =
      on_instance(call, &MessageServerInstance::list_outstanding_requests);
  return listed.is_err() ? std::vector<std::string>{} : std::move(listed.value());
}

Answer<abi::Unit> respond_to_request(wasm::HostCall& call, std::string request_id, Bytes response) {
  return on_instance(call, &MessageServerInstance::respond_to_request, std::move(request_id),
                     std::move(response));
}

Answer<abi::Unit> cancel_request(wasm::HostCall& call, std::string request_id) {
  return on_instance(call, &MessageServerInstance::cancel_request, std::move(request_id));
}

}  // namespace

std::vector<std::string> MessageServerHandler::imports() const {
  return {kHostInterface};
}

std::vector<std::string> MessageServerHandler::exports() const {
  return {message_wit::kClientInterface};
}

Status MessageServerHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  using Unit = abi::Unit;
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<Unit>(std::string, Bytes)>(kHostInterface, "send", send)));
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<Answer<Bytes>(std::string, Bytes)>(kHostInterface, "request", request)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<Answer<std::string>(std::string, Bytes)>(
      kHostInterface, "open-channel", open_channel)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<Answer<Unit>(std::string, Bytes)>(
      kHostInterface, "send-on-channel", send_on_channel)));
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<Answer<Unit>(std::string)>(kHostInterface, "close-channel", close_channel)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<std::vector<std::string>()>(
      kHostInterface, "list-outstanding-requests", list_outstanding_requests)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<Answer<Unit>(std::string, Bytes)>(
      kHostInterface, "respond-to-request", respond_to_request)));
  return imports.add(
      host_function<Answer<Unit>(std::string)>(kHostInterface, "cancel-request", cancel_request));
}

Result<std::unique_ptr<handler::HandlerInstance>> MessageServerHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.manifest == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, "the message server needs the actor's manifest");
  }
  THEATER_ASSIGN_OR_RETURN(config::HandlerConfig entry,
                           config::read_handler_config(*setup.manifest, schema()));
  return std::unique_ptr<handler::HandlerInstance>(std::make_unique<MessageServerInstance>(
      router_, setup.actor_id, MessageSettings::from(entry.settings)));
}

handler::RuntimeService* MessageServerHandler::runtime_service(std::string_view name) const {
  return name == handler::ExternalMessaging::kServiceName ? outside_.get() : nullptr;
}

}  // namespace theater::handlers
