#include "handlers/random/random_handler.h"

#include "abi/engine_binding.h"
#include "handler_api/host_answer.h"
#include "handlers/random/random_instance.h"

namespace theater::handlers {
namespace {

using Bytes = std::vector<std::uint8_t>;
using handler::Answer;

template <class Method, class... Args>
auto on_instance(wasm::HostCall& call, Method method, Args&&... args) {
  return handler::answer_on_instance<RandomInstance>(call, random_schema().type, method,
                                                     std::forward<Args>(args)...);
}

Answer<Bytes> random_bytes(wasm::HostCall& call, std::uint32_t length) {
  return on_instance(call, &RandomInstance::random_bytes, length);
}

Answer<std::uint64_t> random_range(wasm::HostCall& call, std::uint64_t min, std::uint64_t max) {
  return on_instance(call, &RandomInstance::random_range, min, max);
}

Answer<double> random_float(wasm::HostCall& call) {
  return on_instance(call, &RandomInstance::random_float);
}

Answer<std::string> generate_uuid(wasm::HostCall& call) {
  return on_instance(call, &RandomInstance::generate_uuid);
}

}  // namespace

Status RandomHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<Answer<Bytes>(std::uint32_t)>(kInterface, "random-bytes", random_bytes)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<std::uint64_t>(std::uint64_t, std::uint64_t)>(
          kInterface, "random-range", random_range)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<double>()>(kInterface, "random-float", random_float)));
  return imports.add(
      host_function<Answer<std::string>()>(kInterface, "generate-uuid", generate_uuid));
}

Result<std::unique_ptr<handler::HandlerInstance>> RandomHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.permissions == nullptr || setup.manifest == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the random handler needs the actor's manifest and permissions");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the random handler");
  }
  THEATER_ASSIGN_OR_RETURN(config::HandlerConfig entry,
                           config::read_handler_config(*setup.manifest, schema()));
  return std::unique_ptr<handler::HandlerInstance>(std::make_unique<RandomInstance>(
      RandomPermissions::from(*grant), RandomSettings::from(entry.settings)));
}

}  // namespace theater::handlers
