#include "runtime/child_reports.h"

#include "abi/abi.h"

namespace theater::runtime {
namespace {

// wit/types.wit actor-error-kind and actor-error.
enum class ActorErrorKind {
  kOperationTimeout,
  kChannelClosed,
  kShuttingDown,
  kFunctionNotFound,
  kTypeMismatch,
  kInternal,
  kSerializationError,
  kUpdateComponentError,
  kPaused,
  kTrap,
  kOutOfFuel,
};

struct ActorError {
  ActorErrorKind kind = ActorErrorKind::kInternal;
  std::string message;
  std::optional<handler::Bytes> data;
};
THEATER_ABI_ENUM(ActorErrorKind, kOperationTimeout, kChannelClosed, kShuttingDown,
                 kFunctionNotFound, kTypeMismatch, kInternal, kSerializationError,
                 kUpdateComponentError, kPaused, kTrap, kOutOfFuel);
THEATER_ABI_RECORD(ActorError, kind, message, data);

constexpr const char* kChildExit = "theater:simple/supervisor-handlers#handle-child-exit";
constexpr const char* kChildError = "theater:simple/supervisor-handlers#handle-child-error";
constexpr const char* kChildExternalStop =
    "theater:simple/supervisor-handlers#handle-child-external-stop";

ActorErrorKind kind_of(const Error& error) {
  switch (error.code) {
    case ErrorCode::kDeadlineExceeded:
      return ActorErrorKind::kOperationTimeout;
    case ErrorCode::kTrap:
      return ActorErrorKind::kTrap;
    case ErrorCode::kNotFound:
      return ActorErrorKind::kFunctionNotFound;
    case ErrorCode::kUnavailable:
      return ActorErrorKind::kShuttingDown;
    default:
      return ActorErrorKind::kInternal;
  }
}

void submit(actor::Actor& parent, handler::CallbackCall call) {
  Status status = parent.submit(std::move(call));  // a refused report is recorded, not retried
  if (!status.ok()) {
    parent.record("theater-runtime/child-report-refused", std::nullopt,
                  {{"error", status.error().message}});
  }
}

}  // namespace

void report_child_exit(actor::Actor& parent, const std::string& child_id, const ActorExit& exit) {
  nlohmann::json record = {{"child", child_id}, {"kind", to_string(exit.kind)}};
  if (exit.kind == ActorExit::Kind::kStopped || exit.kind == ActorExit::Kind::kTerminated) {
    if (!parent.exports(kChildExternalStop)) return;
    submit(parent, handler::make_callback_call<std::tuple<std::string>>(
                       kChildExternalStop, std::tuple(child_id), record, nullptr, {}));
    return;
  }
  if (exit.kind == ActorExit::Kind::kFailed) {
    report_child_error(parent, child_id,
                       exit.error.value_or(make_error(ErrorCode::kInternal, "the child failed")));
    return;
  }
  if (!parent.exports(kChildExit)) return;
  submit(parent,
         handler::make_callback_call<std::tuple<std::string, std::optional<handler::Bytes>>>(
             kChildExit, std::tuple(child_id, exit.data), record, nullptr, {}));
}

void report_child_error(actor::Actor& parent, const std::string& child_id, const Error& error) {
  if (!parent.exports(kChildError)) return;
  ActorError wit_error{kind_of(error), error.message.empty() ? "unknown error" : error.message,
                       std::nullopt};
  submit(parent, handler::make_callback_call<std::tuple<std::string, ActorError>>(
                     kChildError, std::tuple(child_id, wit_error),
                     {{"child", child_id}, {"error", error.message}}, nullptr, {}));
}

}  // namespace theater::runtime
