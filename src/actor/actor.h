// Actor: one actor. It owns the wasm instance, the state (opaque bytes,
// wit/actor.wit's state model), the event chain, the WASI context and the
// handler instances, and implements what an ActorHandle offers.
//
// Lifecycle: Starting -> Running <-> Paused -> Stopping -> Stopped | Failed.
// create() returns only once init succeeded; on any setup failure it undoes
// everything (handlers stopped, instance closed) and returns the error, so no
// half-started actor is ever visible. stop() is ordered and bounded.
//
// Calls: submit() puts each call straight into the instance's mailbox
// (wasm/mailbox.h), the one queue between every producer and the actor, so
// calls run in the order they were accepted. A pause pauses that mailbox
// (calls keep queueing up to its bound, in order); a full mailbox refuses
// the call intact and notify_when_space() tells the producer when to retry.
// Calls are accepted from the moment init begins, and queue behind it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "chain/chain.h"
#include "handler_api/handler.h"
#include "handler_api/supervision.h"
#include "wasi/wasi.h"
#include "wasm/engine.h"

namespace theater::chain {
class EventLog;
}

namespace theater::actor {

using handler::Bytes;
using handler::State;

// What the runtime hears from its actors (all calls on actor threads: keep them short).
class ActorListener {
 public:
  virtual ~ActorListener() = default;
  // A log line: runtime.log, or a line the guest wrote to stdout/stderr.
  virtual void on_log(const std::string& actor_id, std::string_view source,
                      std::string_view line) = 0;
  // The actor asked to stop (runtime.shutdown, or proc_exit with its code).
  virtual void on_shutdown_request(const std::string& actor_id, std::optional<Bytes> data,
                                   std::optional<int32_t> exit_code) = 0;
  // A call into the actor failed (trap, err(...), deadline).
  virtual void on_call_failed(const std::string& actor_id, const std::string& export_name,
                              const Error& error) = 0;
  // The actor (or a handler) asked for it to be terminated.
  virtual void on_terminate_request(const std::string& actor_id) = 0;
  // An event could not be persisted (see Actor::record_encoded); once per actor.
  virtual void on_events_lost(const std::string& actor_id, const Error& error) = 0;
};

struct ActorConfig {
  std::string id;
  config::Manifest manifest;
  // SHA-256 of the manifest's text, as kept in the content store's
  // `manifests` store (named by the actor-load event); empty: not kept.
  std::string manifest_sha256;
  config::EffectivePermissions permissions;
  std::shared_ptr<wasm::Module> module;
  std::shared_ptr<const wasm::HostImports> imports;
  // The handlers this actor uses (selected by the registry).
  std::vector<const handler::Handler*> handlers;
  State initial_state;
  std::chrono::milliseconds init_timeout{60000};
  std::chrono::milliseconds call_timeout{30000};
  uint64_t max_memory_bytes = 256ull << 20;
  // What WASI environ_get shows when no handler instance contributes an
  // environment (handler_api/wasi_contribution.h); empty by default.
  std::vector<std::pair<std::string, std::string>> environment;
  // Set when the actor is a restarted child: its chain continues from where
  // the previous incarnation's ended, with a theater-runtime/restart event.
  std::optional<handler::ChildRestart> restart;
  handler::Supervision* supervision = nullptr;  // not owned; for handler instances
  chain::EventLog* log = nullptr;               // not owned
  ActorListener* listener = nullptr;            // not owned
};

class Actor final : public handler::ActorCore,
                    public handler::ActorServices,
                    public std::enable_shared_from_this<Actor> {
 public:
  static constexpr const char* kInitExport = "theater:simple/actor#init";

  // Builds the actor, starts its handlers, runs init. Never call from an actor's task.
  static Result<std::shared_ptr<Actor>> create(wasm::Engine& engine, ActorConfig config);
  ~Actor() override;

  handler::ActorHandle handle() { return handler::ActorHandle(weak_from_this()); }

  // Ordered shutdown: refuse new calls, let the current one finish (or stop
  // it at its deadline), stop handlers (bounded by `grace`), flush the
  // chain, free the instance. `failed` ends in Failed rather than Stopped.
  void stop(std::chrono::milliseconds grace, bool failed = false);

  // ActorCore
  const std::string& id() const override { return config_.id; }
  Status submit(handler::CallbackCall&& call) override;
  void notify_when_space(std::function<void()> wake) override;
  handler::ActorStatus status() const override { return status_.load(); }
  State state() const override;
  Result<std::vector<handler::ChainEvent>> events() const override;
  handler::ActorMetrics metrics() const override;
  Status pause() override;
  Status resume() override;
  Status shutdown(std::optional<Bytes> data) override;
  Status terminate() override;
  void record(std::string event_type, std::optional<std::string> description,
              const nlohmann::json& data) override;
  void log(std::string_view line) override { log_line("log", line); }
  // record() with the data already encoded as CBOR. When an event cannot be
  // persisted (the log failed, e.g. the disk is full, or stayed full past its
  // timeout) the chain is no longer complete: the running call is stopped,
  // the listener hears on_events_lost once, and nothing more is recorded.
  // Returns the event's hash, or nothing when it was not recorded.
  std::optional<chain::EventHash> record_encoded(std::string event_type,
                                                 std::optional<std::string> description,
                                                 std::vector<uint8_t> data);
  Result<Bytes> record_cbor(std::string event_type, std::optional<std::string> description,
                            std::vector<uint8_t> data) override;

  // ActorServices
  handler::HandlerInstance* handler_instance(std::string_view type) override;

  wasi::WasiContext& wasi() { return *wasi_context_; }
  chain::EventChain& chain() { return *chain_; }
  const std::string& name() const { return config_.manifest.name; }
  const config::EffectivePermissions& permissions() const { return config_.permissions; }
  bool exports(std::string_view export_name) const override {
    const wasm::ExportInfo* e = config_.module->info().find_export(export_name);
    return e && e->kind == wasm::ExternKind::kFunction;
  }
  void log_line(std::string_view source, std::string_view line);

 private:
  class WasiRecorder;
  explicit Actor(ActorConfig config);
  Status start(wasm::Engine& engine);
  Status instantiate(wasm::Engine& engine);
  Status create_handler_instances();
  // The WASI context, with what the handler instances contribute to it
  // (handler_api/wasi_contribution.h): environment, random source.
  void build_wasi_context();
  // WASI random_get from a contributing instance; false when none provides it.
  bool fill_wasi_random(std::span<uint8_t> out);
  Status start_handlers();
  Status run_init();
  // Queues the call in the instance's mailbox; on refusal `call` is left as it was.
  Status post(handler::CallbackCall& call);
  void run_call(handler::CallbackCall& call, wasm::InstanceContext& context);
  void finish_call(const handler::CallbackCall& call, const Result<State>& outcome,
                   uint64_t elapsed_ns);
  void stop_handlers(std::chrono::milliseconds grace);
  void set_status(handler::ActorStatus status);
  void report_events_lost(const Error& error);

  ActorConfig config_;
  std::unique_ptr<chain::EventChain> chain_;
  std::unique_ptr<WasiRecorder> wasi_host_;
  std::unique_ptr<wasi::WasiContext> wasi_context_;
  std::map<std::string, std::unique_ptr<handler::HandlerInstance>, std::less<>> handler_instances_;
  std::vector<handler::WasiContribution*> wasi_contributions_;  // owned by the instances
  std::shared_ptr<wasm::Instance> instance_;
  std::stop_source handlers_stop_;
  std::atomic<handler::ActorStatus> status_{handler::ActorStatus::kStarting};
  std::atomic<bool> init_started_{false};  // calls may queue behind init
  std::atomic<bool> events_lost_{false};

  mutable std::mutex mutex_;  // guards everything below
  State state_;
  std::optional<Bytes> shutdown_data_;
  bool shutdown_requested_ = false;
  bool shutdown_notified_ = false;
  bool stopped_ = false;
  handler::ActorMetrics metrics_;
};

}  // namespace theater::actor
