#include "handlers/supervisor/supervisor_instance.h"

#include <algorithm>

#include "config/manifest.h"

namespace theater::handlers {
namespace {

constexpr const char* kEventPrefix = "theater:simple/supervisor/";

const char* end_name(handler::ChildEnd::Kind kind) {
  switch (kind) {
    case handler::ChildEnd::Kind::kExited:
      return "exited";
    case handler::ChildEnd::Kind::kFailed:
      return "failed";
    case handler::ChildEnd::Kind::kStopped:
      return "stopped";
  }
  return "ended";
}

std::string reason_of(const handler::ChildEnd& end) {
  if (end.kind == handler::ChildEnd::Kind::kFailed && end.error) return end.error->message;
  return end_name(end.kind);
}

}  // namespace

SupervisorInstance::SupervisorInstance(std::string actor_id, std::filesystem::path base_dir,
                                       handler::Supervision& supervision,
                                       SupervisorSettings settings)
    : actor_id_(std::move(actor_id)),
      base_dir_(std::move(base_dir)),
      supervision_(supervision),
      settings_(settings),
      intensity_(settings.max_restarts, settings.restart_window) {}

SupervisorInstance::~SupervisorInstance() {
  stop(std::chrono::milliseconds(0));
}

Status SupervisorInstance::start(handler::ActorHandle actor, std::stop_token) {
  {
    std::lock_guard lock(mutex_);
    actor_ = std::move(actor);
    started_ = true;
  }
  worker_ = std::thread([this] { work_loop(); });
  supervision_.watch(actor_id_, this);
  return {};
}

void SupervisorInstance::stop(std::chrono::milliseconds) {
  // First, so that no call into on_child_ended runs or follows (it takes mutex_).
  supervision_.unwatch(actor_id_);
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    started_ = false;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Status SupervisorInstance::check_started() {
  auto handle = actor();
  if (!handle.ok()) return handle.error();
  return {};
}

Result<handler::ActorHandle> SupervisorInstance::actor() {
  std::lock_guard lock(mutex_);
  if (!started_) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        closing_ ? "the supervisor handler has stopped" : "the supervisor handler has not started");
  }
  return actor_;
}

void SupervisorInstance::record(const char* what, const nlohmann::json& data) {
  handler::ActorHandle handle;
  {
    std::lock_guard lock(mutex_);
    handle = actor_;
  }
  (void)handle.record(std::string(kEventPrefix) + what, std::nullopt, data);
}

Error SupervisorInstance::refuse_unknown(const char* call, const std::string& child_id) {
  record("not-a-child", {{"call", call}, {"child", child_id}});
  return make_error(ErrorCode::kNotFound,
                    std::string(call) + ": " + child_id + " is not a child of this actor");
}

// --- host calls ----------------------------------------------------------------

Result<std::string> SupervisorInstance::spawn(const std::string& manifest,
                                              std::optional<handler::Bytes> init, bool resume) {
  THEATER_RETURN_IF_ERROR(check_started());
  const char* call = resume ? "resume" : "spawn";
  auto refuse = [&](const Error& error) -> Error {
    record("spawn-error", {{"call", call}, {"error", error.message}});
    return error;
  };
  auto parsed = supervision_.parse_child_manifest(manifest, base_dir_);
  if (!parsed.ok()) return refuse(parsed.error());
  handler::ChildSpec spec{std::move(*parsed), std::move(init), resume};
  const RestartType type = restart_type_of(spec.manifest.restart);

  std::lock_guard ops(ops_mutex_);
  size_t live = 0;  // running or being restarted: every record but the ended ones kept
  {
    std::lock_guard lock(mutex_);
    live = children_.size() - ended_kept_.size();
  }
  if (live >= settings_.max_children) {
    return refuse(make_error(
        ErrorCode::kResourceExhausted,
        "the actor already has " + std::to_string(live) + " children, its max_children"));
  }
  auto id = supervision_.spawn_child(actor_id_, spec);
  if (!id.ok()) return refuse(id.error());
  record(call, {{"child", *id}, {"manifest", spec.manifest.source}, {"restart", to_string(type)}});
  std::lock_guard lock(mutex_);
  Child child;
  child.spec = std::move(spec);
  child.type = type;
  child.order = next_order_++;
  start_order_.emplace(child.order, *id);
  auto [it, inserted] = children_.insert_or_assign(*id, std::move(child));
  if (auto early = unclaimed_ends_.find(*id); early != unclaimed_ends_.end()) {
    // It ended before we recorded it: handle that end now.
    it->second.running = false;
    it->second.chain_end = early->second.chain_end;
    pending_.push_back(Ended{*id, early->second, it->second.generation});
    unclaimed_ends_.erase(early);
    wake_.notify_all();
  }
  return *id;
}

std::vector<std::string> SupervisorInstance::list_children() {
  std::vector<std::string> running = supervision_.children(actor_id_);
  record("list-children", {{"children", running.size()}});
  return running;
}

std::optional<bool> SupervisorInstance::child_running(const std::string& child_id) const {
  std::lock_guard lock(mutex_);
  auto it = children_.find(child_id);
  if (it == children_.end()) return std::nullopt;
  return it->second.running;
}

Status SupervisorInstance::stop_child(const std::string& child_id) {
  THEATER_RETURN_IF_ERROR(check_started());
  std::lock_guard ops(ops_mutex_);
  const std::optional<bool> running = child_running(child_id);
  if (!running) return refuse_unknown("stop-child", child_id);
  if (*running) {
    auto stopped = supervision_.stop_child(actor_id_, child_id);
    if (!stopped.ok()) return stopped.error();
  }
  record("stop-child", {{"child", child_id}});
  std::lock_guard lock(mutex_);
  forget(child_id);
  return {};
}

Status SupervisorInstance::restart_child(const std::string& child_id) {
  THEATER_RETURN_IF_ERROR(check_started());
  std::lock_guard ops(ops_mutex_);
  const std::optional<bool> running = child_running(child_id);
  if (!running) return refuse_unknown("restart-child", child_id);
  if (*running) {
    auto stopped = supervision_.stop_child(actor_id_, child_id);
    if (!stopped.ok()) return stopped.error();
    std::lock_guard lock(mutex_);
    Child& child = children_.at(child_id);
    child.running = false;
    child.chain_end = *stopped;
  }
  handler::ChildSpec spec;
  handler::ChildRestart restart;
  {
    std::lock_guard lock(mutex_);
    Child& child = children_.at(child_id);
    child.running = true;
    child.generation++;
    spec = child.spec;
    restart = {child.chain_end, "restart-child", 1};
    ended_kept_.erase(std::remove(ended_kept_.begin(), ended_kept_.end(), child_id),
                      ended_kept_.end());
  }
  Status restarted = supervision_.restart_child(actor_id_, child_id, spec, restart);
  record("restart-child", {{"child", child_id},
                           {"ok", restarted.ok()},
                           {"error", restarted.ok() ? "" : restarted.error().message}});
  if (!restarted.ok()) {
    std::lock_guard lock(mutex_);
    Child& child = children_.at(child_id);
    child.running = false;
    child.chain_end = restart.chain_end;
    keep_ended(child_id);
  }
  return restarted;
}

Result<handler::State> SupervisorInstance::child_state(const std::string& child_id) {
  THEATER_RETURN_IF_ERROR(check_started());
  auto child = supervision_.child(actor_id_, child_id);
  if (!child.ok()) return refuse_unknown("get-child-state", child_id);
  record("get-child-state", {{"child", child_id}});
  return child->state();
}

Result<std::vector<handler::ChainEvent>> SupervisorInstance::child_events(
    const std::string& child_id) {
  THEATER_RETURN_IF_ERROR(check_started());
  auto child = supervision_.child(actor_id_, child_id);
  if (!child.ok()) return refuse_unknown("get-child-events", child_id);
  THEATER_ASSIGN_OR_RETURN(std::vector<handler::ChainEvent> events, child->events());
  record("get-child-events", {{"child", child_id}, {"events", events.size()}});
  return events;
}

// --- ends and restarts ---------------------------------------------------------

void SupervisorInstance::on_child_ended(const std::string& child_id, const handler::ChildEnd& end) {
  std::lock_guard lock(mutex_);
  if (closing_) return;
  auto it = children_.find(child_id);
  if (it == children_.end()) {
    if (unclaimed_ends_.size() < kMaxEndedKept) unclaimed_ends_.emplace(child_id, end);
    return;
  }
  it->second.running = false;
  it->second.chain_end = end.chain_end;
  pending_.push_back(Ended{child_id, end, it->second.generation});
  wake_.notify_all();
}

void SupervisorInstance::work_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return closing_ || !pending_.empty(); });
    if (closing_) return;
    Ended ended = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    handle_end(ended);
    lock.lock();
  }
}

void SupervisorInstance::handle_end(const Ended& ended) {
  const std::string reason = reason_of(ended.end);
  uint32_t attempt = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = children_.find(ended.child_id);
    if (it == children_.end() || it->second.generation != ended.generation || it->second.running ||
        escalated_) {
      return;  // stopped, restarted or dropped since
    }
    Child& child = it->second;
    const bool restart =
        settings_.strategy != Strategy::kNone && should_restart(child.type, ended.end.kind);
    if (!restart) {
      if (child.type == RestartType::kTemporary) {
        forget(ended.child_id);
      } else {
        keep_ended(ended.child_id);
      }
      return;
    }
    if (!intensity_.admit(std::chrono::steady_clock::now())) {
      escalated_ = true;
    } else {
      attempt =
          child.restarts.next_attempt(std::chrono::steady_clock::now(), settings_.restart_window);
    }
  }
  if (attempt == 0) {
    escalate("more than " + std::to_string(settings_.max_restarts) + " restarts in " +
             std::to_string(settings_.restart_window.count()) + " ms; the last: child " +
             ended.child_id + " " + reason);
    return;
  }
  if (!wait_backoff(backoff_delay(settings_.restart_backoff, attempt))) return;
  apply_strategy(ended.child_id, reason, attempt);
}

bool SupervisorInstance::wait_backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  if (delay.count() > 0) wake_.wait_for(lock, delay, [&] { return closing_; });
  return !closing_;
}

void SupervisorInstance::apply_strategy(const std::string& child_id, const std::string& reason,
                                        uint32_t attempt) {
  std::lock_guard ops(ops_mutex_);
  std::vector<std::string> order;
  std::vector<std::string> targets;
  {
    std::lock_guard lock(mutex_);
    order = in_start_order();
    auto ended = std::find(order.begin(), order.end(), child_id);
    if (ended == order.end()) return;
    for (size_t i :
         restarted_by(settings_.strategy, static_cast<size_t>(ended - order.begin()), order.size()))
      targets.push_back(order[i]);
  }
  // The others go first, the last started first (as OTP stops them).
  for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
    if (*it == child_id) continue;
    bool running = false;
    {
      std::lock_guard lock(mutex_);
      running = children_.at(*it).running;
    }
    if (!running) continue;
    auto stopped = supervision_.stop_child(actor_id_, *it);
    std::lock_guard lock(mutex_);
    Child& sibling = children_.at(*it);
    if (stopped.ok()) {
      sibling.running = false;
      sibling.chain_end = *stopped;
      sibling.generation++;  // its stop is ours: no end of it to handle
    }
    if (sibling.type == RestartType::kTemporary) forget(*it);
  }
  for (const std::string& target : targets) {
    bool ended = false;
    {
      std::lock_guard lock(mutex_);
      auto it = children_.find(target);
      ended = it != children_.end() && !it->second.running;
    }
    if (!ended) continue;  // ended on its own meanwhile: its own end restarts it
    restart_one(target, target == child_id ? reason : "sibling " + child_id + " restarted",
                attempt);
  }
}

void SupervisorInstance::restart_one(const std::string& child_id, const std::string& reason,
                                     uint32_t attempt) {
  handler::ChildSpec spec;
  handler::ChildRestart restart;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (escalated_ || closing_) return;
    Child& child = children_.at(child_id);
    child.running = true;
    generation = ++child.generation;
    spec = child.spec;
    restart = {child.chain_end, reason, attempt};
    ended_kept_.erase(std::remove(ended_kept_.begin(), ended_kept_.end(), child_id),
                      ended_kept_.end());
  }
  Status restarted = supervision_.restart_child(actor_id_, child_id, spec, restart);
  record("restart", {{"child", child_id},
                     {"reason", reason},
                     {"attempt", attempt},
                     {"strategy", to_string(settings_.strategy)},
                     {"error", restarted.ok() ? "" : restarted.error().message}});
  if (restarted.ok()) return;
  // A restart whose init failed is the child failing again: the intensity
  // decides whether it is tried once more.
  std::lock_guard lock(mutex_);
  Child& child = children_.at(child_id);
  if (child.generation != generation) return;
  child.running = false;
  child.chain_end = restart.chain_end;
  handler::ChildEnd end;
  end.kind = handler::ChildEnd::Kind::kFailed;
  end.error = restarted.error();
  end.chain_end = restart.chain_end;
  pending_.push_back(Ended{child_id, end, generation});
  wake_.notify_all();
}

void SupervisorInstance::escalate(const std::string& why) {
  {
    std::lock_guard ops(ops_mutex_);
    std::vector<std::string> order;
    {
      std::lock_guard lock(mutex_);
      order = in_start_order();
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      bool running = false;
      {
        std::lock_guard lock(mutex_);
        running = children_.at(*it).running;
      }
      if (running) (void)supervision_.stop_child(actor_id_, *it);
    }
  }
  record("escalate", {{"reason", why}});
  supervision_.fail(
      actor_id_, make_error(ErrorCode::kFailedPrecondition, "restart intensity exceeded: " + why));
}

// --- bookkeeping (mutex_ held) -------------------------------------------------

std::vector<std::string> SupervisorInstance::in_start_order() const {
  std::vector<std::string> order;
  order.reserve(start_order_.size());
  for (const auto& [position, id] : start_order_) order.push_back(id);
  return order;
}

void SupervisorInstance::forget(const std::string& child_id) {
  auto it = children_.find(child_id);
  if (it == children_.end()) return;
  start_order_.erase(it->second.order);
  children_.erase(it);
  ended_kept_.erase(std::remove(ended_kept_.begin(), ended_kept_.end(), child_id),
                    ended_kept_.end());
}

void SupervisorInstance::keep_ended(const std::string& child_id) {
  if (std::find(ended_kept_.begin(), ended_kept_.end(), child_id) == ended_kept_.end())
    ended_kept_.push_back(child_id);
  while (ended_kept_.size() > kMaxEndedKept) {
    const std::string oldest = ended_kept_.front();
    forget(oldest);  // also pops it
  }
}

}  // namespace theater::handlers
