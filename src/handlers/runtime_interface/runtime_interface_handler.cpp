#include "handlers/runtime_interface/runtime_interface_handler.h"

#include <mutex>

#include "abi/abi.h"
#include "abi/engine_binding.h"

namespace theater::handlers {
namespace {

using handler::Bytes;
using handler::ChainEvent;

// Type "runtime": no keys, always granted, no permission_policy may name it.
const config::HandlerSchema& runtime_schema() {
  static const config::HandlerSchema schema =
      config::HandlerSchema::without_keys("runtime", /*always_granted=*/true);
  return schema;
}

class RuntimeInstance final : public handler::HandlerInstance {
 public:
  Status start(handler::ActorHandle actor, std::stop_token) override {
    std::lock_guard lock(mutex_);
    actor_ = std::move(actor);
    started_ = true;
    return {};
  }
  void stop(std::chrono::milliseconds) override {
    std::lock_guard lock(mutex_);
    started_ = false;
  }
  // The handle, or a clear error before start() / after stop().
  Result<handler::ActorHandle> actor() {
    std::lock_guard lock(mutex_);
    if (!started_)
      return make_error(ErrorCode::kFailedPrecondition, "the runtime handler has not started");
    return actor_;
  }

 private:
  std::mutex mutex_;
  handler::ActorHandle actor_;
  bool started_ = false;
};

nlohmann::json bytes_json(const std::optional<Bytes>& bytes) {
  if (!bytes) return nullptr;
  return nlohmann::json::binary(*bytes);
}

Status log(wasm::HostCall& call, std::string message) {
  THEATER_ASSIGN_OR_RETURN(RuntimeInstance * self,
                           handler::instance_of<RuntimeInstance>(call, runtime_schema().type));
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, self->actor());
  THEATER_RETURN_IF_ERROR(
      actor.record("theater:simple/runtime/log", message, {{"message", message}}));
  return actor.log(message);
}

Result<std::vector<ChainEvent>> get_chain(wasm::HostCall& call) {
  THEATER_ASSIGN_OR_RETURN(RuntimeInstance * self,
                           handler::instance_of<RuntimeInstance>(call, runtime_schema().type));
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, self->actor());
  THEATER_ASSIGN_OR_RETURN(std::vector<ChainEvent> events, actor.events());
  THEATER_RETURN_IF_ERROR(
      actor.record("theater:simple/runtime/get-chain", std::nullopt, {{"events", events.size()}}));
  return events;
}

Result<abi::Outcome<abi::Unit, std::string>> shutdown(wasm::HostCall& call,
                                                      std::optional<Bytes> data) {
  THEATER_ASSIGN_OR_RETURN(RuntimeInstance * self,
                           handler::instance_of<RuntimeInstance>(call, runtime_schema().type));
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, self->actor());
  THEATER_RETURN_IF_ERROR(
      actor.record("theater:simple/runtime/shutdown", std::nullopt, {{"data", bytes_json(data)}}));
  Status requested = actor.shutdown(std::move(data));
  if (!requested.ok()) return abi::Outcome<abi::Unit, std::string>::err(requested.error().message);
  return abi::Outcome<abi::Unit, std::string>::ok();
}

}  // namespace

const config::HandlerSchema& RuntimeInterfaceHandler::schema() const {
  return runtime_schema();
}

Status RuntimeInterfaceHandler::add_host_functions(wasm::HostImports& imports) const {
  THEATER_RETURN_IF_ERROR(
      imports.add(abi::host_function<void(std::string)>(kInterface, "log", log)));
  THEATER_RETURN_IF_ERROR(imports.add(
      abi::host_function<std::vector<ChainEvent>()>(kInterface, "get-chain", get_chain)));
  return imports.add(abi::host_function<abi::Outcome<abi::Unit, std::string>(std::optional<Bytes>)>(
      kInterface, "shutdown", shutdown));
}

Result<std::unique_ptr<handler::HandlerInstance>> RuntimeInterfaceHandler::create_instance(
    const handler::InstanceSetup&) const {
  return std::unique_ptr<handler::HandlerInstance>(std::make_unique<RuntimeInstance>());
}

}  // namespace theater::handlers
