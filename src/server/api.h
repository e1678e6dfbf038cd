// What the API's routes share: the runtime, the actors this server started
// (their manifests, for inspect and restart), id resolution and the live
// event streams. Routes are added per endpoint group (routes.h).
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/manifest.h"
#include "runtime/theater_runtime.h"

namespace theater::server {

class EventStreams;

// An actor started through POST /v1/actors: what a restart starts again.
struct StartedActor {
  config::Manifest manifest;
  std::string manifest_text;  // the TOML, inline or read from its file
  std::optional<handler::State> initial_state;
};

class ActorDirectory {
 public:
  void add(const std::string& id, StartedActor actor);
  std::optional<StartedActor> find(const std::string& id) const;
  std::vector<std::string> ids() const;

 private:
  // Bounded like the runtime's table of finished actors: the oldest goes.
  static constexpr size_t kMaxActors = 10000;
  mutable std::mutex mutex_;
  std::map<std::string, StartedActor> actors_;
  std::vector<std::string> order_;
};

struct ApiContext {
  explicit ApiContext(runtime::TheaterRuntime& theater) : runtime(theater) {}

  runtime::TheaterRuntime& runtime;
  ActorDirectory directory;
  EventStreams* streams = nullptr;
  const std::atomic<bool>* shutting_down = nullptr;

  // The actor an id or unique id prefix names, among the actors the runtime
  // runs or knows as finished and those this server started; with
  // `persisted`, also those with a chain in the event log (earlier runs).
  // kNotFound when none, kInvalidArgument naming the candidates when several.
  Result<std::string> resolve(std::string_view prefix, bool persisted) const;
  std::filesystem::path event_log_path() const { return runtime.home() / "theater.db"; }
};

// Picks the one id that `prefix` names among `candidates` (an exact match wins).
Result<std::string> resolve_prefix(std::string_view prefix,
                                   const std::vector<std::string>& candidates);

}  // namespace theater::server
