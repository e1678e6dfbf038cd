#include "handlers/process/process_handler.h"

#include "abi/engine_binding.h"
#include "handler_api/host_answer.h"

namespace theater::handlers {
namespace {

using Bytes = std::vector<std::uint8_t>;
using handler::Answer;

template <class Method, class... Args>
auto on_instance(wasm::HostCall& call, Method method, Args&&... args) {
  return handler::answer_on_instance<ProcessInstance>(call, process_schema().type, method,
                                                      std::forward<Args>(args)...);
}

Answer<std::uint64_t> os_spawn(wasm::HostCall& call, process_wit::ProcessConfig config) {
  const CallbackExports exports{call.has_export(kHandleStdout), call.has_export(kHandleStderr),
                                call.has_export(kHandleExit)};
  return on_instance(call, &ProcessInstance::spawn, config, exports);
}

Answer<std::uint32_t> os_write_stdin(wasm::HostCall& call, std::uint64_t pid, Bytes data) {
  return on_instance(call, &ProcessInstance::write_stdin, pid, data);
}

Answer<abi::Unit> os_close_stdin(wasm::HostCall& call, std::uint64_t pid) {
  return on_instance(call, &ProcessInstance::close_stdin, pid);
}

Answer<process_wit::ProcessStatus> os_status(wasm::HostCall& call, std::uint64_t pid) {
  return on_instance(call, &ProcessInstance::status, pid);
}

Answer<abi::Unit> os_signal(wasm::HostCall& call, std::uint64_t pid, std::uint32_t signal) {
  return on_instance(call, &ProcessInstance::signal, pid, signal);
}

Answer<abi::Unit> os_kill(wasm::HostCall& call, std::uint64_t pid) {
  return on_instance(call, &ProcessInstance::kill, pid);
}

}  // namespace

Status ProcessHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  using process_wit::ProcessConfig;
  using process_wit::ProcessStatus;
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<Answer<std::uint64_t>(ProcessConfig)>(kInterface, "os-spawn", os_spawn)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<Answer<std::uint32_t>(std::uint64_t, Bytes)>(
      kInterface, "os-write-stdin", os_write_stdin)));
  THEATER_RETURN_IF_ERROR(imports.add(host_function<Answer<abi::Unit>(std::uint64_t)>(
      kInterface, "os-close-stdin", os_close_stdin)));
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<Answer<ProcessStatus>(std::uint64_t)>(kInterface, "os-status", os_status)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<abi::Unit>(std::uint64_t, std::uint32_t)>(
          kInterface, "os-signal", os_signal)));
  return imports.add(
      host_function<Answer<abi::Unit>(std::uint64_t)>(kInterface, "os-kill", os_kill));
}

Result<std::unique_ptr<handler::HandlerInstance>> ProcessHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.permissions == nullptr || setup.manifest == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the process handler needs the actor's manifest and permissions");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the process handler");
  }
  THEATER_ASSIGN_OR_RETURN(config::HandlerConfig entry,
                           config::read_handler_config(*setup.manifest, schema()));
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<ProcessServices> shared, services());
  return std::unique_ptr<handler::HandlerInstance>(std::make_unique<ProcessInstance>(
      std::move(shared),
      SpawnPolicy(ProcessPermissions(*grant), ProcessSettings::from(entry.settings))));
}

Result<std::shared_ptr<ProcessServices>> ProcessHandler::services() const {
  std::lock_guard lock(mutex_);
  if (!services_) {
    THEATER_ASSIGN_OR_RETURN(std::unique_ptr<process::ProcessService> service,
                             process::ProcessService::start());
    auto shared = std::make_shared<ProcessServices>();
    shared->service = std::move(service);
    services_ = std::move(shared);
  }
  return services_;
}

}  // namespace theater::handlers
