#include "server/api.h"

#include <algorithm>
#include <set>

#include "chain/event_log.h"

namespace theater::server {

void ActorDirectory::add(const std::string& id, StartedActor actor) {
  std::lock_guard lock(mutex_);
  if (actors_.insert_or_assign(id, std::move(actor)).second) order_.push_back(id);
  if (order_.size() > kMaxActors) {
    actors_.erase(order_.front());
    order_.erase(order_.begin());
  }
}

std::optional<StartedActor> ActorDirectory::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = actors_.find(id);
  if (it == actors_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ActorDirectory::ids() const {
  std::lock_guard lock(mutex_);
  return order_;
}

Result<std::string> resolve_prefix(std::string_view prefix,
                                   const std::vector<std::string>& candidates) {
  std::set<std::string> matches;
  for (const std::string& id : candidates) {
    if (id == prefix) return id;
    if (id.compare(0, prefix.size(), prefix) == 0) matches.insert(id);
  }
  if (matches.empty()) {
    return make_error(ErrorCode::kNotFound, "no actor " + std::string(prefix));
  }
  if (matches.size() > 1) {
    std::string names;
    for (const std::string& id : matches) names += (names.empty() ? "" : ", ") + id;
    return make_error(ErrorCode::kInvalidArgument,
                      "ambiguous actor id prefix " + std::string(prefix) + ": " + names);
  }
  return *matches.begin();
}

Result<std::string> ApiContext::resolve(std::string_view prefix, bool persisted) const {
  std::vector<std::string> known = directory.ids();
  for (const runtime::ActorSummary& actor : runtime.list()) known.push_back(actor.id);
  auto found = resolve_prefix(prefix, known);
  if (found.ok() || found.error().code != ErrorCode::kNotFound || !persisted) return found;
  auto reader = chain::EventLogReader::open(event_log_path());
  if (!reader.ok()) return found;
  auto stored = (*reader)->list_actors();
  if (!stored.ok()) return found;
  return resolve_prefix(prefix, *stored);
}

}  // namespace theater::server
