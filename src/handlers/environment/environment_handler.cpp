#include "handlers/environment/environment_handler.h"

#include "abi/engine_binding.h"
#include "handlers/environment/environment_instance.h"

namespace theater::handlers {
namespace {

// None of the three has an error case in the WIT: a call the handler cannot
// answer (not started, the chain refused the record) traps, naming why.
template <class Method, class... Args>
auto on_instance(wasm::HostCall& call, Method method, Args&&... args)
    -> decltype((std::declval<EnvironmentInstance&>().*method)(args...)) {
  auto self = handler::instance_of<EnvironmentInstance>(call, environment_schema().type);
  if (!self.ok()) return self.error();
  return ((*self)->*method)(std::forward<Args>(args)...);
}

Result<std::optional<std::string>> get_var(wasm::HostCall& call, std::string name) {
  return on_instance(call, &EnvironmentInstance::get_var, name);
}

Result<EnvironmentVars> list_vars(wasm::HostCall& call) {
  return on_instance(call, &EnvironmentInstance::list_vars);
}

Result<bool> exists(wasm::HostCall& call, std::string name) {
  return on_instance(call, &EnvironmentInstance::exists, name);
}

}  // namespace

Status EnvironmentHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<std::optional<std::string>(std::string)>(kInterface, "get-var", get_var)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<EnvironmentVars()>(kInterface, "list-vars", list_vars)));
  return imports.add(host_function<bool(std::string)>(kInterface, "exists", exists));
}

Result<std::unique_ptr<handler::HandlerInstance>> EnvironmentHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.permissions == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the environment handler needs the actor's permissions");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the environment handler");
  }
  return std::unique_ptr<handler::HandlerInstance>(std::make_unique<EnvironmentInstance>(
      EnvironmentInstance::visible_host_variables(EnvironmentPermissions::from(*grant))));
}

}  // namespace theater::handlers
