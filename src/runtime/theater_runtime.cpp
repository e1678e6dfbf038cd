#include "runtime/theater_runtime.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "common/theater_home.h"
#include "common/uuid.h"
#include "config/effective_permissions.h"
#include "runtime/builtin_handlers.h"
#include "runtime/child_reports.h"
#include "store/reference.h"
#include "wasi/wasi.h"
#include "wasm/v8/v8_engine.h"

namespace theater::runtime {
namespace {

using handler::ActorStatus;

// Committing the event log's queue; it holds at most a few thousand events.
constexpr std::chrono::seconds kFlushTimeout{10};

ActorExit exit_of(ActorExit::Kind kind) {
  ActorExit exit;
  exit.kind = kind;
  return exit;
}

handler::ChildEnd child_end_of(const ActorExit& exit, const chain::ChainContinuation& chain_end) {
  handler::ChildEnd end;
  end.chain_end = chain_end;
  switch (exit.kind) {
    case ActorExit::Kind::kShutdown:
    case ActorExit::Kind::kExited:
      end.kind = handler::ChildEnd::Kind::kExited;
      break;
    case ActorExit::Kind::kFailed:
      end.kind = handler::ChildEnd::Kind::kFailed;
      end.error = exit.error.value_or(make_error(ErrorCode::kInternal, "the child failed"));
      break;
    case ActorExit::Kind::kStopped:
    case ActorExit::Kind::kTerminated:
      end.kind = handler::ChildEnd::Kind::kStopped;
      break;
  }
  return end;
}

// The initial state: the caller's when given (merged over the manifest's
// when asked: objects key by key, anything else replaces it), else the
// manifest's (its JSON, read from the content store when it names it there).
// Stored as JSON text bytes.
Result<handler::State> initial_state(const std::optional<std::string>& manifest_json,
                                     const std::optional<std::string>& override_json, bool merge) {
  std::optional<nlohmann::json> state;
  if (manifest_json) state = nlohmann::json::parse(*manifest_json, nullptr, false);
  if (override_json) {
    nlohmann::json over = nlohmann::json::parse(*override_json, nullptr, false);
    if (over.is_discarded()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "the initial state override is not valid JSON");
    }
    if (merge && state && state->is_object() && over.is_object()) {
      for (auto& [key, value] : over.items()) (*state)[key] = value;
    } else {
      state = std::move(over);
    }
  }
  if (!state) return handler::State();
  std::string text = state->dump();
  return handler::State(handler::Bytes(text.begin(), text.end()));
}

}  // namespace

const char* to_string(ActorExit::Kind kind) {
  switch (kind) {
    case ActorExit::Kind::kShutdown:
      return "shutdown";
    case ActorExit::Kind::kExited:
      return "exited";
    case ActorExit::Kind::kFailed:
      return "failed";
    case ActorExit::Kind::kStopped:
      return "stopped";
    case ActorExit::Kind::kTerminated:
      return "terminated";
  }
  return "unknown";
}

Result<std::filesystem::path> RuntimeOptions::default_home() {
  return theater_home();
}

Result<std::unique_ptr<TheaterRuntime>> TheaterRuntime::create(RuntimeOptions options,
                                                               RuntimeObserver* observer) {
  if (options.home.empty()) {
    THEATER_ASSIGN_OR_RETURN(options.home, RuntimeOptions::default_home());
  }
  std::unique_ptr<TheaterRuntime> runtime(
      new TheaterRuntime(std::move(options), observer));  // NOLINT
  THEATER_RETURN_IF_ERROR(runtime->init());
  return runtime;
}

TheaterRuntime::TheaterRuntime(RuntimeOptions options, RuntimeObserver* observer)
    : options_(std::move(options)), observer_(observer) {}

Status TheaterRuntime::init() {
  std::error_code ec;
  std::filesystem::create_directories(options_.home, ec);
  if (ec)
    return make_error(ErrorCode::kInternal,
                      "cannot create " + options_.home.string() + ": " + ec.message());
  THEATER_ASSIGN_OR_RETURN(log_, chain::EventLog::open(options_.home / "theater.db"));
  THEATER_ASSIGN_OR_RETURN(content_store_,
                           store::ContentStore::open(store::ContentStore::path_in(options_.home)));
  origins_ = std::make_unique<store::OriginWriter>(*content_store_);
  THEATER_ASSIGN_OR_RETURN(engine_, wasm::create_v8_engine(options_.engine));
  THEATER_RETURN_IF_ERROR(register_builtin_handlers(registry_, BuiltinServices{content_store_}));
  if (options_.register_handlers) THEATER_RETURN_IF_ERROR(options_.register_handlers(registry_));
  auto imports = std::make_shared<wasm::HostImports>();
  THEATER_RETURN_IF_ERROR(registry_.add_host_functions(*imports));
  THEATER_RETURN_IF_ERROR(
      wasi::add_wasi_imports(*imports, [](wasm::HostCall& call) -> wasi::WasiContext* {
        auto* actor =
            dynamic_cast<actor::Actor*>(static_cast<handler::ActorServices*>(call.user_data()));
        return actor ? &actor->wasi() : nullptr;
      }));
  imports_ = std::move(imports);
  open_messaging();
  control_thread_ = std::thread([this] { control_loop(); });
  return {};
}

TheaterRuntime::~TheaterRuntime() {
  std::vector<std::string> top_level;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, entry] : actors_)
      if (!entry.parent) top_level.push_back(id);
  }
  for (const std::string& id : top_level) stop_actor(id, exit_of(ActorExit::Kind::kStopped));
  if (control_thread_.joinable()) {
    {
      std::lock_guard lock(control_mutex_);
      control_stopping_ = true;
    }
    control_cv_.notify_all();
    control_thread_.join();
  }
  // Actors stopped by the control thread meanwhile are gone too; anything left
  // (a child whose parent entry vanished) is stopped here.
  std::vector<std::string> rest;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, entry] : actors_) rest.push_back(id);
  }
  for (const std::string& id : rest) stop_actor(id, exit_of(ActorExit::Kind::kStopped));
  if (origins_) (void)origins_->flush();
  if (log_) (void)log_->flush(kFlushTimeout);
  engine_.reset();
}

// --- spawning ----------------------------------------------------------------

Result<std::shared_ptr<wasm::Module>> TheaterRuntime::load_module(
    const config::Manifest& manifest) {
  if (store::is_reference(manifest.component)) return load_stored_module(manifest.component);
  // A component whose file did not change (same size and modification time)
  // is not read and hashed again.
  std::error_code ec;
  const auto size = std::filesystem::file_size(manifest.component, ec);
  const auto mtime = std::filesystem::last_write_time(manifest.component, ec);
  if (!ec) {
    std::lock_guard lock(mutex_);
    auto it = components_.find(manifest.component);
    if (it != components_.end() && it->second.size == size && it->second.mtime == mtime)
      return it->second.module;
  }
  std::ifstream in(manifest.component, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "cannot read component " + manifest.component);
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto module = engine_->compile(bytes);
  if (!module.ok()) return module.error().context(manifest.component);
  // Kept where a chain's module_sha256 finds it again (once per new module).
  THEATER_RETURN_IF_ERROR(content_store_->keep_module((*module)->sha256_hex(), bytes));
  if (!ec) {
    std::lock_guard lock(mutex_);
    if (components_.size() >= kMaxComponents) components_.clear();  // bounded: start over
    components_[manifest.component] = ComponentEntry{size, mtime, *module};
  }
  return *module;
}

Result<std::shared_ptr<wasm::Module>> TheaterRuntime::load_stored_module(
    const std::string& reference) {
  THEATER_ASSIGN_OR_RETURN(store::Reference parsed, store::parse_reference(reference));
  std::string hash = parsed.hash;
  if (hash.empty()) {
    THEATER_ASSIGN_OR_RETURN(std::optional<std::string> target,
                             content_store_->label_target(parsed.store_id, parsed.label));
    if (!target) {
      return make_error(ErrorCode::kNotFound, "component " + reference + ": store " +
                                                  parsed.store_id + " has no label \"" +
                                                  parsed.label + "\"");
    }
    hash = *target;
  }
  const std::string cache_key = "store:" + hash;
  {
    std::lock_guard lock(mutex_);
    auto it = components_.find(cache_key);
    if (it != components_.end()) return it->second.module;
  }
  auto bytes = content_store_->get(parsed.store_id, hash);
  if (!bytes.ok()) return bytes.error().context("component " + reference);
  auto module = engine_->compile(*bytes);
  if (!module.ok()) return module.error().context(reference);
  THEATER_RETURN_IF_ERROR(content_store_->keep_module((*module)->sha256_hex(), *bytes));
  std::lock_guard lock(mutex_);
  if (components_.size() >= kMaxComponents) components_.clear();
  components_[cache_key] = ComponentEntry{0, {}, *module};
  return *module;
}

Result<std::optional<std::string>> TheaterRuntime::stored_init_state(
    const config::Manifest& manifest) {
  if (!manifest.init_state_reference) return manifest.init_state_json;
  const std::string& reference = *manifest.init_state_reference;
  auto bytes = store::resolve(*content_store_, reference);
  if (!bytes.ok()) return bytes.error().context("init_state");
  std::string text(bytes->begin(), bytes->end());
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "init_state: " + reference + " is not valid JSON");
  }
  return std::optional<std::string>(json.dump());
}

Result<actor::ActorConfig> TheaterRuntime::actor_config(const config::Manifest& manifest,
                                                        const SpawnOptions& options,
                                                        const std::string& id) {
  config::EffectivePermissions parent = config::EffectivePermissions::root();
  if (options.parent_id) {
    auto parent_permissions = permissions_of(*options.parent_id);
    if (!parent_permissions)
      return make_error(ErrorCode::kNotFound, "no running actor " + *options.parent_id);
    parent = std::move(*parent_permissions);
  }
  THEATER_ASSIGN_OR_RETURN(
      config::EffectivePermissions permissions,
      config::EffectivePermissions::for_child(parent, manifest, registry_.schemas()));
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<wasm::Module> module, load_module(manifest));
  // Granted: named by a [[handler]] of the manifest (select() lets an
  // always-granted handler through without) and allowed by the effective
  // permissions.
  auto granted = [&](std::string_view type) {
    const handler::Handler* handler = registry_.find(type);
    return handler != nullptr && manifest.find_handler(type) != nullptr &&
           permissions.grants(handler->schema());
  };
  THEATER_ASSIGN_OR_RETURN(std::vector<const handler::Handler*> handlers,
                           registry_.select(module->info(), granted));
  THEATER_ASSIGN_OR_RETURN(std::optional<std::string> manifest_state, stored_init_state(manifest));
  THEATER_ASSIGN_OR_RETURN(
      handler::State state,
      initial_state(manifest_state, options.init_state_json, options.merge_init_state));
  // Where this actor came from, findable by its id (and from its chain's
  // actor-load event by hash): its manifest and module in `manifests`.
  std::string manifest_sha256 = origins_->queue(id, manifest.text, module->sha256_hex());
  if (options.initial_state) state = *options.initial_state;

  actor::ActorConfig config;
  config.id = id;
  config.manifest = manifest;
  config.manifest_sha256 = std::move(manifest_sha256);
  config.permissions = std::move(permissions);
  config.module = std::move(module);
  config.imports = imports_;
  config.handlers = std::move(handlers);
  config.initial_state = std::move(state);
  config.init_timeout = manifest.limits.init_timeout;
  config.call_timeout = manifest.limits.call_timeout;
  config.max_memory_bytes = manifest.limits.memory_limit_mb ? *manifest.limits.memory_limit_mb << 20
                                                            : options_.default_memory_limit;
  config.log = log_.get();
  config.listener = this;
  config.supervision = this;
  return config;
}

Result<std::string> TheaterRuntime::spawn(const config::Manifest& manifest,
                                          const SpawnOptions& options) {
  return spawn_as(random_uuid(), manifest, options, std::nullopt);
}

Result<std::string> TheaterRuntime::spawn_as(const std::string& id,
                                             const config::Manifest& manifest,
                                             const SpawnOptions& options,
                                             std::optional<handler::ChildRestart> restart) {
  auto config = actor_config(manifest, options, id);
  if (!config.ok()) return config.error().context("spawning " + manifest.name);
  config->restart = std::move(restart);
  if (options.before_init) options.before_init(id);
  {
    // Children it spawns during its init are its own from the start.
    std::lock_guard lock(mutex_);
    starting_[id] = Starting{config->permissions, {}, {}};
  }
  auto actor = actor::Actor::create(*engine_, std::move(*config));
  std::set<std::string> children_from_init;
  std::vector<Starting::EndedChild> ended_during_init;
  {
    std::lock_guard lock(mutex_);
    children_from_init = std::move(starting_[id].children);
    ended_during_init = std::move(starting_[id].ended_children);
    starting_.erase(id);
  }
  auto stop_children_from_init = [&] {
    for (const std::string& child : children_from_init)
      stop_actor(child, exit_of(ActorExit::Kind::kStopped));
  };
  if (!actor.ok()) {
    stop_children_from_init();
    std::lock_guard lock(mutex_);
    early_stops_.erase(id);
    return actor.error().context("spawning " + manifest.name);
  }
  std::optional<ActorExit> stop_requested;
  {
    std::unique_lock lock(mutex_);
    if (options.parent_id && !adopt(*options.parent_id, id)) {
      // The parent began to stop while the child ran its init: the child
      // would outlive its subtree's stop, so it goes at once.
      early_stops_.erase(id);
      lock.unlock();
      (*actor)->stop(options_.stop_grace);
      stop_children_from_init();
      return make_error(ErrorCode::kUnavailable, "spawning " + manifest.name + ": its parent " +
                                                     *options.parent_id + " is stopping");
    }
    actors_[id] = Entry{std::move(*actor), options.parent_id, std::move(children_from_init)};
    // An actor may ask to stop during its own init (runtime.shutdown), before
    // it was in the table: honour that now.
    if (auto it = early_stops_.find(id); it != early_stops_.end()) {
      stop_requested = std::move(it->second);
      early_stops_.erase(it);
    }
  }
  for (const Starting::EndedChild& ended : ended_during_init)
    report_exit(ended.id, id, ended.exit, ended.chain_end);
  if (stop_requested) run_control([this, id, exit = *stop_requested] { stop_actor(id, exit); });
  return id;
}

// --- stopping ----------------------------------------------------------------

Status TheaterRuntime::stop(const std::string& id) {
  if (!find(id)) return make_error(ErrorCode::kNotFound, "no running actor " + id);
  stop_actor(id, exit_of(ActorExit::Kind::kStopped));
  return {};
}

Status TheaterRuntime::terminate(const std::string& id) {
  auto actor = find(id);
  if (!actor) return make_error(ErrorCode::kNotFound, "no running actor " + id);
  (void)actor->terminate();  // interrupts the running call; the stop follows on the control thread
  return {};
}

Result<handler::ActorStatus> TheaterRuntime::wait_until_ended(
    const std::string& id, std::chrono::milliseconds timeout) const {
  {
    std::unique_lock lock(mutex_);
    if (!ended_.wait_for(lock, timeout, [&] { return !actors_.contains(id); })) {
      return make_error(ErrorCode::kDeadlineExceeded, "actor " + id + " still runs after " +
                                                          std::to_string(timeout.count()) + " ms");
    }
  }
  return status(id);
}

std::optional<chain::ChainContinuation> TheaterRuntime::stop_actor(const std::string& id,
                                                                   ActorExit exit,
                                                                   bool notify_parent) {
  std::shared_ptr<actor::Actor> actor;
  std::set<std::string> children;
  std::optional<std::string> parent;
  {
    std::lock_guard lock(mutex_);
    auto it = actors_.find(id);
    if (it == actors_.end() || it->second.stopping) return std::nullopt;
    it->second.stopping = true;
    actor = it->second.actor;
    children = it->second.children;
    parent = it->second.parent;
  }
  for (const std::string& child : children) stop_actor(child, exit_of(ActorExit::Kind::kStopped));
  actor->stop(options_.stop_grace, exit.kind == ActorExit::Kind::kFailed);
  {
    std::lock_guard lock(mutex_);
    actors_.erase(id);
    if (parent) {
      if (auto it = actors_.find(*parent); it != actors_.end()) it->second.children.erase(id);
      if (auto it = starting_.find(*parent); it != starting_.end()) it->second.children.erase(id);
    }
    finished_[id] = actor->status();
    finished_order_.push_back(id);
    if (finished_order_.size() > kMaxFinished) {
      finished_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  }
  ended_.notify_all();
  const chain::ChainContinuation chain_end{actor->chain().size(),
                                           actor->chain().head().value_or(chain::EventHash{})};
  if (notify_parent) report_exit(id, parent, exit, chain_end);
  return chain_end;
}

void TheaterRuntime::report_exit(const std::string& id, const std::optional<std::string>& parent,
                                 const ActorExit& exit, const chain::ChainContinuation& chain_end) {
  if (parent) {
    std::shared_ptr<actor::Actor> parent_actor;
    bool parent_stopping = false;
    {
      std::lock_guard lock(mutex_);
      if (auto it = actors_.find(*parent); it != actors_.end()) {
        parent_actor = it->second.actor;
        parent_stopping = it->second.stopping;
      } else if (auto starting = starting_.find(*parent); starting != starting_.end()) {
        // Still in its init: its notice waits until spawn has registered it.
        starting->second.ended_children.push_back({id, exit, chain_end});
        return;
      }
    }
    if (parent_actor) {
      // A stopping parent is stopping its children itself: no notice.
      if (parent_stopping) return;
      report_child_exit(*parent_actor, id, exit);
      tell_watcher(*parent, id, child_end_of(exit, chain_end));
      return;
    }
  }
  if (observer_) observer_->on_actor_exit(id, exit);
}

// --- requests from actors ----------------------------------------------------

void TheaterRuntime::on_log(const std::string& actor_id, std::string_view source,
                            std::string_view line) {
  if (observer_) observer_->on_log(actor_id, source, line);
}

void TheaterRuntime::on_shutdown_request(const std::string& actor_id,
                                         std::optional<handler::Bytes> data,
                                         std::optional<int32_t> exit_code) {
  ActorExit exit = exit_of(exit_code ? ActorExit::Kind::kExited : ActorExit::Kind::kShutdown);
  exit.data = std::move(data);
  exit.exit_code = exit_code;
  request_stop(actor_id, std::move(exit));
}

void TheaterRuntime::request_stop(const std::string& actor_id, ActorExit exit) {
  {
    std::lock_guard lock(mutex_);
    if (!actors_.count(actor_id)) {
      // Still inside spawn (the request came from its init): spawn carries it
      // out once the actor is registered. A failed spawn discards it.
      if (early_stops_.size() < kMaxFinished) early_stops_.emplace(actor_id, std::move(exit));
      return;
    }
  }
  run_control([this, actor_id, exit = std::move(exit)] { stop_actor(actor_id, exit); });
}

void TheaterRuntime::on_terminate_request(const std::string& actor_id) {
  request_stop(actor_id, exit_of(ActorExit::Kind::kTerminated));
}

void TheaterRuntime::on_events_lost(const std::string& actor_id, const Error& error) {
  if (observer_) observer_->on_events_lost(actor_id, error);
  ActorExit exit = exit_of(ActorExit::Kind::kFailed);
  exit.error = error;
  exit.events_lost = true;
  request_stop(actor_id, std::move(exit));
}

void TheaterRuntime::on_call_failed(const std::string& actor_id, const std::string& export_name,
                                    const Error& error) {
  std::optional<std::string> parent;
  {
    std::lock_guard lock(mutex_);
    auto it = actors_.find(actor_id);
    if (it == actors_.end()) return;
    parent = it->second.parent;
  }
  if (parent && watched(*parent)) {
    // A supervised child ends with its failed call: paused at once (no call
    // queued behind the failed one runs), stopped as Failed, its supervisor
    // hears one handle-child-error, then applies its strategy.
    if (auto child = find(actor_id)) (void)child->pause();
    ActorExit exit = exit_of(ActorExit::Kind::kFailed);
    exit.error = error.context(export_name);
    request_stop(actor_id, std::move(exit));
    return;
  }
  if (parent) {
    if (auto parent_actor = find(*parent)) {
      report_child_error(*parent_actor, actor_id, error);
      return;
    }
  }
  if (observer_) observer_->on_actor_error(actor_id, export_name, error);
}

void TheaterRuntime::run_control(std::function<void()> job) {
  std::lock_guard lock(control_mutex_);
  if (control_stopping_) return;  // the destructor stops every actor anyway
  if (control_jobs_.size() >= kMaxControlJobs) {
    // Refuse rather than grow without bound; the actor keeps running and the
    // refusal is visible.
    std::fprintf(stderr,
                 "theater: runtime control queue full (%zu jobs); a stop request was refused\n",
                 control_jobs_.size());
    return;
  }
  control_jobs_.push_back(std::move(job));
  control_cv_.notify_one();
}

void TheaterRuntime::control_loop() {
  std::unique_lock lock(control_mutex_);
  for (;;) {
    control_cv_.wait(lock, [&] { return control_stopping_ || !control_jobs_.empty(); });
    if (control_jobs_.empty()) return;  // stopping, and nothing left
    std::function<void()> job = std::move(control_jobs_.front());
    control_jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

// --- queries -------------------------------------------------------------------

std::optional<config::EffectivePermissions> TheaterRuntime::permissions_of(
    const std::string& id) const {
  std::lock_guard lock(mutex_);
  if (auto it = actors_.find(id); it != actors_.end()) return it->second.actor->permissions();
  if (auto it = starting_.find(id); it != starting_.end()) return it->second.permissions;
  return std::nullopt;
}

bool TheaterRuntime::adopt(const std::string& parent, const std::string& child) {
  if (auto it = actors_.find(parent); it != actors_.end()) {
    if (it->second.stopping) return false;
    it->second.children.insert(child);
    return true;
  }
  if (auto it = starting_.find(parent); it != starting_.end()) {
    it->second.children.insert(child);
    return true;
  }
  return false;
}

std::shared_ptr<actor::Actor> TheaterRuntime::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = actors_.find(id);
  return it == actors_.end() ? nullptr : it->second.actor;
}

Result<ActorStatus> TheaterRuntime::status(const std::string& id) const {
  std::lock_guard lock(mutex_);
  if (auto it = actors_.find(id); it != actors_.end()) return it->second.actor->status();
  if (auto it = finished_.find(id); it != finished_.end()) return it->second;
  return make_error(ErrorCode::kNotFound, "no actor " + id);
}

Result<handler::ActorHandle> TheaterRuntime::handle(const std::string& id) const {
  auto actor = find(id);
  if (!actor) return make_error(ErrorCode::kNotFound, "no running actor " + id);
  return actor->handle();
}

std::vector<ActorSummary> TheaterRuntime::list() const {
  std::lock_guard lock(mutex_);
  std::vector<ActorSummary> out;
  for (const auto& [id, entry] : actors_)
    out.push_back({id, entry.actor->name(), entry.actor->status(), entry.parent});
  return out;
}

Status TheaterRuntime::flush_events() {
  Status origins = origins_->flush();
  Status events = log_->flush(kFlushTimeout);
  return events.ok() ? origins : events;
}

}  // namespace theater::runtime
