#include "handlers/timing/timing_handler.h"

#include "abi/engine_binding.h"
#include "handler_api/host_answer.h"
#include "handlers/timing/timing_instance.h"

namespace theater::handlers {
namespace {

using handler::Answer;

// now has no error case in the WIT: a call the handler cannot answer (not
// started, the chain refused the record) traps, naming why.
Result<std::uint64_t> now(wasm::HostCall& call) {
  THEATER_ASSIGN_OR_RETURN(TimingInstance * self,
                           handler::instance_of<TimingInstance>(call, timing_schema().type));
  return self->now();
}

Answer<abi::Unit> sleep(wasm::HostCall& call, std::uint64_t duration_ms) {
  return handler::answer_on_instance<TimingInstance>(call, timing_schema().type,
                                                     &TimingInstance::sleep, call, duration_ms);
}

Answer<abi::Unit> deadline(wasm::HostCall& call, std::uint64_t timestamp_ms) {
  return handler::answer_on_instance<TimingInstance>(call, timing_schema().type,
                                                     &TimingInstance::deadline, call, timestamp_ms);
}

}  // namespace

Status TimingHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  THEATER_RETURN_IF_ERROR(imports.add(host_function<std::uint64_t()>(kInterface, "now", now)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<abi::Unit>(std::uint64_t)>(kInterface, "sleep", sleep)));
  return imports.add(
      host_function<Answer<abi::Unit>(std::uint64_t)>(kInterface, "deadline", deadline));
}

Result<std::unique_ptr<handler::HandlerInstance>> TimingHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.permissions == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the timing handler needs the actor's permissions");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the timing handler");
  }
  return std::unique_ptr<handler::HandlerInstance>(
      std::make_unique<TimingInstance>(TimingPermissions::from(*grant)));
}

}  // namespace theater::handlers
