// TheaterRuntime's side of handler::Supervision: what the supervisor handler
// asks about its actor's children. Every call checks that the child is the
// caller's own.
#include "runtime/theater_runtime.h"
#include "store/reference.h"

namespace theater::runtime {
namespace {

TheaterRuntime::SpawnOptions child_options(const std::string& parent_id,
                                           const handler::ChildSpec& spec) {
  TheaterRuntime::SpawnOptions options;
  options.parent_id = parent_id;
  if (spec.replace_state || spec.initial_state) options.initial_state = spec.initial_state;
  return options;
}

Error not_a_child(const std::string& parent_id, const std::string& child_id) {
  return make_error(ErrorCode::kNotFound,
                    "no running child " + child_id + " of actor " + parent_id);
}

}  // namespace

Status TheaterRuntime::check_child(const std::string& parent_id,
                                   const std::string& child_id) const {
  std::lock_guard lock(mutex_);
  auto it = actors_.find(child_id);
  if (it == actors_.end() || it->second.parent != parent_id)
    return not_a_child(parent_id, child_id);
  return {};
}

Result<config::Manifest> TheaterRuntime::parse_child_manifest(
    std::string_view reference, const std::filesystem::path& base_dir) {
  if (!store::is_reference(reference)) {
    return config::parse_manifest_reference(reference, base_dir, registry_.schemas());
  }
  THEATER_ASSIGN_OR_RETURN(store::Bytes text, store::resolve(*content_store_, reference));
  return config::parse_manifest_string(
      std::string_view(reinterpret_cast<const char*>(text.data()), text.size()), base_dir,
      registry_.schemas(), std::string(reference));
}

Result<std::string> TheaterRuntime::spawn_child(const std::string& parent_id,
                                                const handler::ChildSpec& spec) {
  return spawn(spec.manifest, child_options(parent_id, spec));
}

std::vector<std::string> TheaterRuntime::children(const std::string& parent_id) const {
  std::lock_guard lock(mutex_);
  auto it = actors_.find(parent_id);
  if (it == actors_.end()) return {};
  return {it->second.children.begin(), it->second.children.end()};
}

Result<chain::ChainContinuation> TheaterRuntime::stop_child(const std::string& parent_id,
                                                            const std::string& child_id) {
  THEATER_RETURN_IF_ERROR(check_child(parent_id, child_id));
  ActorExit exit;
  exit.kind = ActorExit::Kind::kStopped;
  auto chain_end = stop_actor(child_id, exit, /*notify_parent=*/false);
  if (!chain_end) {
    return make_error(ErrorCode::kFailedPrecondition, "child " + child_id + " is already stopping");
  }
  return *chain_end;
}

Status TheaterRuntime::restart_child(const std::string& parent_id, const std::string& child_id,
                                     const handler::ChildSpec& spec,
                                     handler::ChildRestart& restart) {
  {
    std::lock_guard lock(mutex_);
    if (actors_.count(child_id)) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "child " + child_id + " is still running: stop it before restarting it");
    }
  }
  auto id = spawn_as(child_id, spec.manifest, child_options(parent_id, spec), restart);
  if (id.ok()) return {};
  // The failed start recorded its events (restart, load, failure, stop):
  // the next attempt links to the last of them.
  auto chain_end = stored_chain_end(child_id);
  if (chain_end.ok()) restart.chain_end = *chain_end;
  return id.error();
}

Status TheaterRuntime::restart(const std::string& id, const config::Manifest& manifest,
                               const SpawnOptions& options) {
  const bool supervised = options.parent_id.has_value() || [&] {
    std::lock_guard lock(mutex_);
    auto it = actors_.find(id);
    return it != actors_.end() && it->second.parent.has_value();
  }();
  if (supervised) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "actor " + id + " is a supervised child: its supervisor restarts it");
  }
  std::optional<chain::ChainContinuation> chain_end;
  if (find(id)) {
    ActorExit exit;
    exit.kind = ActorExit::Kind::kStopped;
    chain_end = stop_actor(id, exit);
  }
  if (!chain_end) {
    THEATER_ASSIGN_OR_RETURN(chain::ChainContinuation stored, stored_chain_end(id));
    chain_end = stored;
  }
  handler::ChildRestart restart{*chain_end, "restarted on request", 1};
  THEATER_ASSIGN_OR_RETURN(std::string restarted, spawn_as(id, manifest, options, restart));
  (void)restarted;
  return {};
}

Result<std::unique_ptr<chain::Subscription>> TheaterRuntime::subscribe(
    const std::string& id) const {
  auto actor = find(id);
  if (!actor) return make_error(ErrorCode::kNotFound, "no running actor " + id);
  return actor->chain().subscribe();
}

Result<chain::ChainContinuation> TheaterRuntime::stored_chain_end(const std::string& id) {
  THEATER_RETURN_IF_ERROR(flush_events());
  THEATER_ASSIGN_OR_RETURN(std::vector<chain::Event> events, log_->read_events(id));
  if (events.empty()) return make_error(ErrorCode::kNotFound, "no stored chain of " + id);
  return chain::ChainContinuation{events.size(), events.back().hash};
}

Result<handler::ActorHandle> TheaterRuntime::child(const std::string& parent_id,
                                                   const std::string& child_id) const {
  THEATER_RETURN_IF_ERROR(check_child(parent_id, child_id));
  auto actor = find(child_id);
  if (!actor) return not_a_child(parent_id, child_id);
  return actor->handle();
}

void TheaterRuntime::fail(const std::string& actor_id, const Error& why) {
  ActorExit exit;
  exit.kind = ActorExit::Kind::kFailed;
  exit.error = why;
  request_stop(actor_id, std::move(exit));
}

void TheaterRuntime::watch(const std::string& parent_id, handler::ChildWatcher* watcher) {
  std::lock_guard lock(watch_mutex_);
  watchers_[parent_id] = watcher;
}

void TheaterRuntime::unwatch(const std::string& parent_id) {
  std::lock_guard lock(watch_mutex_);
  watchers_.erase(parent_id);
}

bool TheaterRuntime::watched(const std::string& parent) const {
  std::lock_guard lock(watch_mutex_);
  return watchers_.count(parent) != 0;
}

void TheaterRuntime::tell_watcher(const std::string& parent, const std::string& child,
                                  const handler::ChildEnd& end) {
  std::lock_guard lock(watch_mutex_);
  auto it = watchers_.find(parent);
  if (it != watchers_.end()) it->second->on_child_ended(child, end);
}

}  // namespace theater::runtime
