#include "handler_api/actor_handle.h"

namespace theater::handler {

const char* to_string(ActorStatus status) {
  switch (status) {
    case ActorStatus::kStarting:
      return "starting";
    case ActorStatus::kRunning:
      return "running";
    case ActorStatus::kPaused:
      return "paused";
    case ActorStatus::kStopping:
      return "stopping";
    case ActorStatus::kStopped:
      return "stopped";
    case ActorStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

chain::CborWriter begin_call_data(std::string_view export_name, size_t record_bytes) {
  // The bytes to_cbor_data makes of {"export": ..., "params": ...}: keys in order.
  chain::CborWriter data(export_name.size() + record_bytes + 32);
  data.map(2).text("export").text(export_name).text("params");
  return data;
}

Result<std::shared_ptr<ActorCore>> ActorHandle::core() const {
  std::shared_ptr<ActorCore> core = core_.lock();
  if (!core) return make_error(ErrorCode::kUnavailable, "the actor is gone");
  return core;
}

std::string ActorHandle::id() const {
  auto core = core_.lock();
  return core ? core->id() : std::string();
}

Status ActorHandle::submit(CallbackCall& call) const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->submit(std::move(call));
}

void ActorHandle::notify_when_space(std::function<void()> wake) const {
  auto core = this->core();
  if (!core.ok()) {
    wake();  // the actor is gone: the next submit says so
    return;
  }
  (*core)->notify_when_space(std::move(wake));
}

Result<ActorStatus> ActorHandle::status() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->status();
}

Result<State> ActorHandle::state() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->state();
}

Result<std::vector<ChainEvent>> ActorHandle::events() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->events();
}

Result<ActorMetrics> ActorHandle::metrics() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->metrics();
}

Status ActorHandle::pause() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->pause();
}

Status ActorHandle::resume() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->resume();
}

Status ActorHandle::shutdown(std::optional<Bytes> data) const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->shutdown(std::move(data));
}

Status ActorHandle::terminate() const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->terminate();
}

Status ActorHandle::record(std::string event_type, std::optional<std::string> description,
                           const nlohmann::json& data) const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  core->record(std::move(event_type), std::move(description), data);
  return {};
}

Result<Bytes> ActorHandle::record_cbor(std::string event_type,
                                       std::optional<std::string> description,
                                       std::vector<uint8_t> data) const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->record_cbor(std::move(event_type), std::move(description), std::move(data));
}

Result<bool> ActorHandle::exports(std::string_view export_name) const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  return core->exports(export_name);
}

Status ActorHandle::log(std::string_view line) const {
  THEATER_ASSIGN_OR_RETURN(auto core, this->core());
  core->log(line);
  return {};
}

}  // namespace theater::handler
