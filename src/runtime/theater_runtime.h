// TheaterRuntime: the actor table, spawning (manifest -> permissions ->
// handler selection -> Actor), ordered stopping (children first), and
// routing of an actor's result or failure to its parent (an actor exporting
// supervisor-handlers) or, for top-level actors, to the RuntimeObserver.
//
// Every built-in handler is registered once, here, when the runtime is built.
// Requests that actors make about themselves (runtime.shutdown, proc_exit,
// terminate) are carried out on the runtime's control thread, never on the
// actor's own thread, which would wait on itself.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "actor/actor.h"
#include "chain/event_log.h"
#include "config/manifest.h"
#include "handler_api/external_messaging.h"
#include "handler_api/registry.h"
#include "handler_api/supervision.h"
#include "store/content_store.h"
#include "store/origin_writer.h"
#include "wasm/engine.h"

namespace theater::runtime {

struct RuntimeOptions {
  // Holds theater.db (the event log). Default: default_home().
  std::filesystem::path home;
  wasm::EngineConfig engine;
  uint64_t default_memory_limit = 256ull << 20;
  // How long handlers get to stop, and slack for a call to end, when an actor stops.
  std::chrono::milliseconds stop_grace{5000};
  // Registers handlers beyond the built-in ones (embedders, tests); runs once,
  // when the runtime is built, after the built-ins.
  std::function<Status(handler::HandlerRegistry&)> register_handlers;
  // $THEATER_HOME, else ~/.theater. A THEATER_HOME that is set but empty is
  // an error (kInvalidArgument), not a silent fallback to ~/.theater.
  static Result<std::filesystem::path> default_home();
};

// How an actor ended.
struct ActorExit {
  enum class Kind { kShutdown, kExited, kFailed, kStopped, kTerminated };
  Kind kind = Kind::kStopped;
  std::optional<handler::Bytes> data;  // runtime.shutdown's data
  std::optional<int32_t> exit_code;    // WASI proc_exit
  std::optional<Error> error;          // kFailed
  // kFailed because an event could not be persisted (see on_events_lost).
  bool events_lost = false;
};
const char* to_string(ActorExit::Kind kind);

// What the runtime's owner (the CLI, the server) hears. Called from runtime
// and actor threads: keep it short and thread-safe.
class RuntimeObserver {
 public:
  virtual ~RuntimeObserver() = default;
  virtual void on_log(const std::string& actor_id, std::string_view source, std::string_view line) {
  }
  // A call into a top-level actor failed (its supervisor is the observer).
  virtual void on_actor_error(const std::string& actor_id, const std::string& export_name,
                              const Error& error) {}
  virtual void on_actor_exit(const std::string& actor_id, const ActorExit& exit) {}
  // An event of the actor could not be persisted (the event log failed, e.g.
  // the disk is full, or stayed full past its timeout). Its chain is complete
  // only up to the last committed event, so the actor is being stopped as
  // Failed (its exit follows with events_lost set). Once per actor.
  virtual void on_events_lost(const std::string& actor_id, const Error& error) {}
};

struct ActorSummary {
  std::string id;
  std::string name;
  handler::ActorStatus status;
  std::optional<std::string> parent;
};

class TheaterRuntime final : private actor::ActorListener, private handler::Supervision {
 public:
  static Result<std::unique_ptr<TheaterRuntime>> create(RuntimeOptions options,
                                                        RuntimeObserver* observer = nullptr);
  ~TheaterRuntime() override;  // stops every actor, then flushes the event log
  TheaterRuntime(const TheaterRuntime&) = delete;
  TheaterRuntime& operator=(const TheaterRuntime&) = delete;

  struct SpawnOptions {
    // Replaces the manifest's init_state (any JSON value).
    std::optional<std::string> init_state_json;
    // Merges init_state_json over the manifest's init_state instead, key by
    // key when both are objects (anything else still replaces it).
    bool merge_init_state = false;
    // Replaces the initial state with these bytes as they are (none: no
    // state), whatever init_state_json and the manifest say (supervisor
    // spawn with init-bytes, resume).
    std::optional<handler::State> initial_state;
    std::optional<std::string> parent_id;
    // Called with the new actor's id once its manifest and module are
    // checked, before its handlers start and its init runs: a caller can name
    // the actor (and so its chain) even when init hangs or fails.
    std::function<void(const std::string& id)> before_init;
  };
  // Returns the new actor's id once its init succeeded; on failure nothing of
  // it is left behind. The manifest's handler tables are checked against
  // handler_schemas() here, however it was parsed.
  Result<std::string> spawn(const config::Manifest& manifest, const SpawnOptions& options);
  // (An overload, not a default argument: SpawnOptions has member
  // initializers, which a default argument inside this class cannot use.)
  Result<std::string> spawn(const config::Manifest& manifest) {
    return spawn(manifest, SpawnOptions{});
  }
  // Graceful, children first. Bounded by the actor's call timeout plus the stop grace.
  Status stop(const std::string& id);
  Status terminate(const std::string& id);
  // Waits until the actor is no longer running (a terminate's stop finishes
  // on the control thread) and returns how it ended; kDeadlineExceeded past
  // `timeout`.
  Result<handler::ActorStatus> wait_until_ended(const std::string& id,
                                                std::chrono::milliseconds timeout) const;
  // A top-level actor started again from `manifest` under the same id, its
  // chain continuing from where it ended (a theater-runtime/restart event
  // first); stopped first when it still runs. Returns once the new init
  // succeeded. kFailedPrecondition for a supervised child (its supervisor
  // restarts it), kNotFound when the id has no stored chain.
  Status restart(const std::string& id, const config::Manifest& manifest,
                 const SpawnOptions& options);
  // Events the actor appends from now on (the first has seq ==
  // next_seq()); kNotFound when it does not run.
  Result<std::unique_ptr<chain::Subscription>> subscribe(const std::string& id) const;

  Result<handler::ActorStatus> status(const std::string& id) const;
  Result<handler::ActorHandle> handle(const std::string& id) const;
  std::vector<ActorSummary> list() const;
  Status flush_events();

  const std::filesystem::path& home() const { return options_.home; }
  wasm::Engine& engine() { return *engine_; }
  const handler::HandlerRegistry& registry() const { return registry_; }
  // What manifests for this runtime are parsed against (parse_manifest_*):
  // the schemas of its handlers.
  const config::HandlerSchemas& handler_schemas() const { return registry_.schemas(); }

  // Messages, requests and channels from outside any actor
  // (handler_api/external_messaging.h), through the handler that offers
  // them (the message server); kUnavailable when no registered handler
  // does. Valid for the runtime's life.
  Result<handler::ExternalMessaging*> messaging();

 private:
  struct Entry {
    std::shared_ptr<actor::Actor> actor;
    std::optional<std::string> parent;
    std::set<std::string> children;
    bool stopping = false;  // its children end without notices to it
  };

  TheaterRuntime(RuntimeOptions options, RuntimeObserver* observer);
  Status init();
  Result<std::shared_ptr<wasm::Module>> load_module(const config::Manifest& manifest);
  Result<std::shared_ptr<wasm::Module>> load_stored_module(const std::string& reference);
  // The manifest's init_state read from the content store, when it names one.
  Result<std::optional<std::string>> stored_init_state(const config::Manifest& manifest);
  Result<actor::ActorConfig> actor_config(const config::Manifest& manifest,
                                          const SpawnOptions& options, const std::string& id);
  // spawn() under a given id; `restart` continues that id's chain.
  Result<std::string> spawn_as(const std::string& id, const config::Manifest& manifest,
                               const SpawnOptions& options,
                               std::optional<handler::ChildRestart> restart);
  std::shared_ptr<actor::Actor> find(const std::string& id) const;
  // A running or starting actor's permissions (what its children narrow).
  std::optional<config::EffectivePermissions> permissions_of(const std::string& id) const;
  // Records `child` as `parent`'s (running, or still in its init); false
  // when the parent is gone or stopping. mutex_ held.
  bool adopt(const std::string& parent, const std::string& child);
  // Stops the actor and its subtree; `notify_parent` false: its parent hears
  // nothing (the parent stopped it itself). Returns where its chain ended.
  std::optional<chain::ChainContinuation> stop_actor(const std::string& id, ActorExit exit,
                                                     bool notify_parent = true);
  void request_stop(const std::string& actor_id, ActorExit exit);
  void report_exit(const std::string& id, const std::optional<std::string>& parent,
                   const ActorExit& exit, const chain::ChainContinuation& chain_end);
  // Whether `parent`'s supervisor instance watches its children.
  bool watched(const std::string& parent) const;
  void tell_watcher(const std::string& parent, const std::string& child,
                    const handler::ChildEnd& end);
  // Makes messaging_ when a registered handler offers ExternalMessaging.
  void open_messaging();
  // Ok when outside messages can reach actor `id` through handler `provider_type`.
  Status check_message_target(const std::string& id, const std::string& provider_type) const;
  // Ok when `child_id` is a running child of `parent_id`.
  Status check_child(const std::string& parent_id, const std::string& child_id) const;

  // Supervision (runtime_supervision.cpp)
  const config::HandlerSchemas& schemas() const override { return registry_.schemas(); }
  Result<config::Manifest> parse_child_manifest(std::string_view reference,
                                                const std::filesystem::path& base_dir) override;
  Result<std::string> spawn_child(const std::string& parent_id,
                                  const handler::ChildSpec& spec) override;
  std::vector<std::string> children(const std::string& parent_id) const override;
  Result<chain::ChainContinuation> stop_child(const std::string& parent_id,
                                              const std::string& child_id) override;
  Status restart_child(const std::string& parent_id, const std::string& child_id,
                       const handler::ChildSpec& spec, handler::ChildRestart& restart) override;
  // Where the actor's stored chain ends (after a start that failed).
  Result<chain::ChainContinuation> stored_chain_end(const std::string& id);
  Result<handler::ActorHandle> child(const std::string& parent_id,
                                     const std::string& child_id) const override;
  void fail(const std::string& actor_id, const Error& why) override;
  void watch(const std::string& parent_id, handler::ChildWatcher* watcher) override;
  void unwatch(const std::string& parent_id) override;
  void run_control(std::function<void()> job);
  void control_loop();

  // ActorListener
  void on_log(const std::string& actor_id, std::string_view source, std::string_view line) override;
  void on_shutdown_request(const std::string& actor_id, std::optional<handler::Bytes> data,
                           std::optional<int32_t> exit_code) override;
  void on_call_failed(const std::string& actor_id, const std::string& export_name,
                      const Error& error) override;
  void on_terminate_request(const std::string& actor_id) override;
  void on_events_lost(const std::string& actor_id, const Error& error) override;

  RuntimeOptions options_;
  RuntimeObserver* observer_;
  std::unique_ptr<wasm::Engine> engine_;
  std::unique_ptr<chain::EventLog> log_;
  // $THEATER_HOME/store.db: the store handler's, and where every actor's
  // manifest and module are kept (the `manifests` store).
  std::shared_ptr<store::ContentStore> content_store_;
  // Writes every spawn's origin into `manifests` off the spawn path.
  std::unique_ptr<store::OriginWriter> origins_;
  handler::HandlerRegistry registry_;
  std::shared_ptr<const wasm::HostImports> imports_;
  // messaging(): made once, when a handler offers it.
  std::unique_ptr<handler::ExternalMessaging> messaging_;

  mutable std::mutex mutex_;
  std::map<std::string, Entry> actors_;
  // Actors inside spawn (their init runs): what their children need of them.
  struct Starting {
    config::EffectivePermissions permissions;
    std::set<std::string> children;
    // Children that ended meanwhile: reported once it is registered.
    struct EndedChild {
      std::string id;
      ActorExit exit;
      chain::ChainContinuation chain_end;
    };
    std::vector<EndedChild> ended_children;
  };
  std::map<std::string, Starting> starting_;
  // Stop requests from actors still inside spawn (asked during their init).
  std::map<std::string, ActorExit> early_stops_;
  // Final statuses of stopped actors, oldest dropped past the bound.
  std::map<std::string, handler::ActorStatus> finished_;
  mutable std::condition_variable ended_;  // an actor left actors_ (wait_until_ended)
  std::deque<std::string> finished_order_;
  static constexpr size_t kMaxFinished = 10000;
  // Compiled components by path, for spawning from an unchanged file (and
  // by "store:<sha256>" for components in the content store).
  struct ComponentEntry {
    uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
    std::shared_ptr<wasm::Module> module;
  };
  std::map<std::string, ComponentEntry> components_;
  static constexpr size_t kMaxComponents = 1024;

  // Supervisor instances watching their actor's children. Held while a
  // watcher is called, so unwatch() waits for a call in progress.
  mutable std::mutex watch_mutex_;
  std::map<std::string, handler::ChildWatcher*> watchers_;

  // Control thread: a bounded queue of jobs (stop requests from actors).
  static constexpr size_t kMaxControlJobs = 65536;
  std::mutex control_mutex_;
  std::condition_variable control_cv_;
  std::deque<std::function<void()>> control_jobs_;
  bool control_stopping_ = false;
  std::thread control_thread_;
};

}  // namespace theater::runtime
