// A runtime with the supervisor tests' parent (tests/guests/supervisor/
// supervisor_actor.c) and worker actors: manifests written to THEATER_HOME,
// commands sent to actors as handle-send calls, chains read back.
#pragma once

#include <nlohmann/json.hpp>

#include "../../support/wait.h"
#include "../runtime/runtime_fixture.h"
#include "chain/event_log.h"

namespace theater::runtime::testing {

using handler::Bytes;
using std::chrono::seconds;

inline constexpr const char* kHandleSend = "theater:simple/message-server-client#handle-send";

class SupervisorTest : public RuntimeTest {
 protected:
  void write(const std::string& file, const std::string& body) {
    std::ofstream(home_ / file) << body;
  }
  // Writes <file>: a worker, with `extra` top-level keys (e.g. restart).
  void write_worker(const std::string& file = "worker.toml", const std::string& extra = "") {
    write(file, "name = \"worker\"\n" + extra + "component = \"" +
                    guest("supervisor_worker_actor") + "\"\n");
  }
  // Writes <file>: a supervisor whose [[handler]] entry adds `settings`.
  // `top`: top-level keys and tables before it (e.g. [limits]).
  void write_supervisor(const std::string& file, const std::string& settings,
                        const std::string& top = "") {
    write(file, "name = \"" + file + "\"\ncomponent = \"" + guest("supervisor_parent_actor") +
                    "\"\n" + top + "[[handler]]\ntype = \"supervisor\"\n" + settings);
  }
  // A top-level supervisor; `state`: its initial state, as bytes.
  Result<std::string> start_supervisor(const std::string& settings,
                                       std::optional<std::string> state = std::nullopt,
                                       const std::string& top = "") {
    write_supervisor("supervisor.toml", settings, top);
    THEATER_ASSIGN_OR_RETURN(
        config::Manifest m,
        config::parse_manifest_file(home_ / "supervisor.toml", runtime_->handler_schemas()));
    TheaterRuntime::SpawnOptions options;
    if (state) options.initial_state = handler::State(Bytes(state->begin(), state->end()));
    return runtime_->spawn(m, options);
  }

  // Sends a command to an actor's handle-send and waits for it; the actor's
  // state afterwards as text (the parent keeps its answer there).
  std::string send(const std::string& id, const std::string& command,
                   std::chrono::seconds wait = seconds(60)) {
    auto handle = runtime_->handle(id);
    if (!handle.ok()) return "no actor: " + handle.error().message;
    auto done = handle->call_and_wait<std::tuple<Bytes>>(
        kHandleSend, std::tuple<Bytes>(Bytes(command.begin(), command.end())), {}, wait);
    if (!done.ok()) return "call failed: " + done.error().message;
    return state_text(id);
  }
  // Sends a command that makes the actor fail; returns once the call ended.
  void crash(const std::string& id, const std::string& command = "trap") {
    auto handle = runtime_->handle(id);
    ASSERT_TRUE(handle.ok());
    auto done = handle->call_and_wait<std::tuple<Bytes>>(
        kHandleSend, std::tuple<Bytes>(Bytes(command.begin(), command.end())), {}, seconds(60));
    ASSERT_FALSE(done.ok());
  }
  std::string state_text(const std::string& id) {
    auto handle = runtime_->handle(id);
    if (!handle.ok()) return "no actor";
    auto state = handle->state();
    if (!state.ok() || !*state) return "none";
    return std::string((*state)->begin(), (*state)->end());
  }
  // The id a parent answered with "ok:<id>".
  static std::string answered_id(const std::string& answer) {
    return answer.rfind("ok:", 0) == 0 ? answer.substr(3) : "";
  }

  // The actor's stored events of `type` (flushed first), their data decoded.
  std::vector<nlohmann::json> events_of(const std::string& id, const std::string& type) {
    std::vector<nlohmann::json> out;
    if (!runtime_->flush_events().ok()) return out;
    auto reader = chain::EventLogReader::open(home_ / "theater.db");
    if (!reader.ok()) return out;
    auto events = (*reader)->read_events(id);
    if (!events.ok()) return out;
    for (const chain::Event& e : *events)
      if (e.event_type == type) out.push_back(nlohmann::json::from_cbor(e.data));
    return out;
  }
  size_t restarts_of(const std::string& id) {
    return events_of(id, "theater-runtime/restart").size();
  }
  bool running(const std::string& id) {
    auto status = runtime_->status(id);
    return status.ok() && *status == handler::ActorStatus::kRunning;
  }
  // Waits until the child was restarted `count` times in all and runs again.
  bool wait_restarted(const std::string& id, size_t count) {
    return theater::testing::wait_until([&] { return running(id) && restarts_of(id) == count; });
  }
  std::vector<std::string> children_of(const std::string& parent) {
    std::vector<std::string> out;
    for (const ActorSummary& s : runtime_->list())
      if (s.parent == parent) out.push_back(s.id);
    return out;
  }
  size_t logs_containing(const std::string& text) {
    size_t n = 0;
    for (const std::string& line : observer_.logs())
      if (line.find(text) != std::string::npos) ++n;
    return n;
  }
  bool wait_log_containing(const std::string& text) {
    return theater::testing::wait_until([&] { return logs_containing(text) > 0; });
  }
};

}  // namespace theater::runtime::testing
