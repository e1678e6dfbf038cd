#include "handlers/supervisor/supervisor_handler.h"

#include "abi/abi.h"
#include "abi/engine_binding.h"
#include "handlers/supervisor/supervisor_config.h"
#include "handlers/supervisor/supervisor_instance.h"

namespace theater::handlers {
namespace {

using handler::Bytes;
using handler::ChainEvent;
template <class T>
using Outcome = abi::Outcome<T, std::string>;

Result<SupervisorInstance*> instance(wasm::HostCall& call) {
  return handler::instance_of<SupervisorInstance>(call, supervisor_schema().type);
}

// Runs `work` (which waits on children) in a blocking section, and turns its
// error into the guest's err(...).
template <class T, class Work>
Result<Outcome<T>> blocking(wasm::HostCall& call, Work work) {
  std::optional<Result<T>> result;
  THEATER_RETURN_IF_ERROR(call.blocking([&](std::stop_token) { result.emplace(work()); }));
  if (!result->ok()) return Outcome<T>::err((*result).error().message);
  if constexpr (std::is_same_v<T, abi::Unit>) {
    return Outcome<T>::ok();
  } else {
    return Outcome<T>::ok(std::move(**result));
  }
}

Result<abi::Unit> as_unit(Status status) {
  if (!status.ok()) return status.error();
  return abi::Unit{};
}

Result<Outcome<std::string>> spawn(wasm::HostCall& call, std::string manifest,
                                   std::optional<Bytes> init) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  return blocking<std::string>(call, [&] { return self->spawn(manifest, std::move(init), false); });
}

Result<Outcome<std::string>> resume(wasm::HostCall& call, std::string manifest,
                                    std::optional<Bytes> state) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  return blocking<std::string>(call, [&] { return self->spawn(manifest, std::move(state), true); });
}

Result<std::vector<std::string>> list_children(wasm::HostCall& call) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  THEATER_RETURN_IF_ERROR(self->check_started());
  return self->list_children();
}

Result<Outcome<abi::Unit>> stop_child(wasm::HostCall& call, std::string child_id) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  return blocking<abi::Unit>(call, [&] { return as_unit(self->stop_child(child_id)); });
}

Result<Outcome<abi::Unit>> restart_child(wasm::HostCall& call, std::string child_id) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  return blocking<abi::Unit>(call, [&] { return as_unit(self->restart_child(child_id)); });
}

Result<Outcome<std::optional<Bytes>>> get_child_state(wasm::HostCall& call, std::string child_id) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  auto state = self->child_state(child_id);
  if (!state.ok()) return Outcome<std::optional<Bytes>>::err(state.error().message);
  return Outcome<std::optional<Bytes>>::ok(std::move(*state));
}

Result<Outcome<std::vector<ChainEvent>>> get_child_events(wasm::HostCall& call,
                                                          std::string child_id) {
  THEATER_ASSIGN_OR_RETURN(SupervisorInstance * self, instance(call));
  // Reading a persisted chain waits for the event log to commit.
  return blocking<std::vector<ChainEvent>>(call, [&] { return self->child_events(child_id); });
}

}  // namespace

const config::HandlerSchema& SupervisorHandler::schema() const {
  return supervisor_schema();
}

Status SupervisorHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  using ManifestCall = Outcome<std::string>(std::string, std::optional<Bytes>);
  using ChildCall = Outcome<abi::Unit>(std::string);
  THEATER_RETURN_IF_ERROR(imports.add(host_function<ManifestCall>(kInterface, "spawn", spawn)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<ManifestCall>(kInterface, "resume", resume)));
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<std::vector<std::string>()>(kInterface, "list-children", list_children)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<ChildCall>(kInterface, "stop-child", stop_child)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<ChildCall>(kInterface, "restart-child", restart_child)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<Outcome<std::optional<Bytes>>(std::string)>(
      kInterface, "get-child-state", get_child_state)));
  return imports.add(host_function<Outcome<std::vector<ChainEvent>>(std::string)>(
      kInterface, "get-child-events", get_child_events));
}

Result<std::unique_ptr<handler::HandlerInstance>> SupervisorHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.permissions == nullptr || setup.manifest == nullptr || setup.supervision == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the supervisor handler needs the actor's manifest, permissions and the "
                      "runtime's supervision");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the supervisor handler");
  }
  THEATER_ASSIGN_OR_RETURN(config::HandlerConfig entry,
                           config::read_handler_config(*setup.manifest, schema()));
  THEATER_ASSIGN_OR_RETURN(SupervisorSettings settings, SupervisorSettings::read(entry, *grant));
  return std::unique_ptr<handler::HandlerInstance>(std::make_unique<SupervisorInstance>(
      setup.actor_id, setup.manifest->base_dir, *setup.supervision, settings));
}

}  // namespace theater::handlers
