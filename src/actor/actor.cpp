#include "actor/actor.h"

#include <algorithm>
#include <cstdio>

#include "actor/event_data.h"
#include "chain/audit.h"
#include "chain/cbor_writer.h"

namespace theater::actor {
namespace {

using handler::ActorStatus;
using std::chrono::milliseconds;

uint64_t now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

const char* stream_name(wasi::Stream stream) {
  return stream == wasi::Stream::kStdout ? "stdout" : "stderr";
}

}  // namespace

// Records every clock and random value a guest reads, and its output lines,
// so a run can be audited and replayed from its chain.
class Actor::WasiRecorder final : public wasi::WasiHost {
 public:
  explicit WasiRecorder(Actor& actor) : actor_(actor) {}

  uint64_t now(wasi::ClockId clock) override {
    const uint64_t value = WasiHost::now(clock);
    actor_.record(
        "wasi/clock", std::nullopt,
        {{"clock", clock == wasi::ClockId::kRealtime ? "realtime" : "monotonic"}, {"ns", value}});
    return value;
  }
  void random(std::span<uint8_t> out) override {
    // A handler's source (a seeded one) when the actor has one, else the OS's.
    if (!actor_.fill_wasi_random(out)) WasiHost::random(out);
    actor_.record("wasi/random", std::nullopt, {{"bytes", binary(out)}});
  }
  void output(wasi::Stream stream, std::string_view line) override {
    actor_.record("wasi/output", std::nullopt,
                  {{"stream", stream_name(stream)}, {"line", text_or_bytes(line)}});
    actor_.log_line(stream_name(stream), line);
  }

 private:
  Actor& actor_;
};

Actor::Actor(ActorConfig config) : config_(std::move(config)) {
  chain::ChainOptions options;
  options.log = config_.log;
  if (config_.restart) options.continues = config_.restart->chain_end;
  chain_ = std::make_unique<chain::EventChain>(config_.id, options);
  wasi_host_ = std::make_unique<WasiRecorder>(*this);
  wasi_context_ = std::make_unique<wasi::WasiContext>(*wasi_host_, config_.environment);
  state_ = config_.initial_state;
  metrics_.started_at_ms = static_cast<int64_t>(now_ms());
}

Actor::~Actor() {
  if (instance_) instance_->close();
}

Result<std::shared_ptr<Actor>> Actor::create(wasm::Engine& engine, ActorConfig config) {
  std::shared_ptr<Actor> actor(new Actor(std::move(config)));  // NOLINT: private constructor
  Status started = actor->start(engine);
  if (!started.ok()) {
    actor->record("theater-runtime/actor-failed", started.error().message,
                  {{"error", started.error().message}, {"code", to_string(started.error().code)}});
    actor->stop(milliseconds(2000), /*failed=*/true);
    return started.error();
  }
  return actor;
}

Status Actor::start(wasm::Engine& engine) {
  nlohmann::json handler_types = nlohmann::json::array();
  for (const handler::Handler* h : config_.handlers) handler_types.push_back(h->type());
  if (config_.restart) {
    record("theater-runtime/restart", config_.restart->reason,
           {{"reason", config_.restart->reason}, {"attempt", config_.restart->attempt}});
  }
  // The first event binds the chain to this actor and module: `theater verify`
  // refuses a chain stored under another id (chain/audit.h). A restarted
  // actor's chain goes on: its restart event, then a new actor-load.
  record("theater-runtime/actor-load", config_.manifest.name,
         {{chain::kActorIdKey, config_.id},
          {"name", config_.manifest.name},
          {"manifest", config_.manifest.source},
          {chain::kModuleSha256Key, config_.module->sha256_hex()},
          {"manifest_sha256", config_.manifest_sha256},
          {"handlers", handler_types}});
  const wasm::ExportInfo* init = config_.module->info().find_export(kInitExport);
  if (!init || init->kind != wasm::ExternKind::kFunction) {
    return make_error(ErrorCode::kNotFound, std::string("the module does not export ") +
                                                kInitExport + ", which every actor must");
  }
  THEATER_RETURN_IF_ERROR(create_handler_instances());
  build_wasi_context();  // from the instances' contributions, before the module can call WASI
  THEATER_RETURN_IF_ERROR(instantiate(engine));
  THEATER_RETURN_IF_ERROR(start_handlers());
  THEATER_RETURN_IF_ERROR(run_init());
  set_status(ActorStatus::kRunning);
  record("theater-runtime/actor-ready", std::nullopt, nlohmann::json::object());
  return {};
}

Status Actor::create_handler_instances() {
  for (const handler::Handler* h : config_.handlers) {
    handler::InstanceSetup setup{config_.id, &config_.manifest, &config_.permissions,
                                 config_.supervision};
    auto instance = h->create_instance(setup);
    if (!instance.ok()) return instance.error().context("handler " + h->type());
    handler_instances_.emplace(h->type(), std::move(*instance));
  }
  return {};
}

void Actor::build_wasi_context() {
  std::optional<handler::EnvironmentList> environment;
  for (auto& [type, instance] : handler_instances_) {
    handler::WasiContribution* contribution = instance->wasi_contribution();
    if (contribution == nullptr) continue;
    wasi_contributions_.push_back(contribution);
    if (!environment) environment = contribution->environment();
  }
  wasi_context_ = std::make_unique<wasi::WasiContext>(
      *wasi_host_, environment ? std::move(*environment) : config_.environment);
}

bool Actor::fill_wasi_random(std::span<uint8_t> out) {
  for (handler::WasiContribution* contribution : wasi_contributions_) {
    if (contribution->fill_random(out)) return true;
  }
  return false;
}

Status Actor::instantiate(wasm::Engine& engine) {
  wasm::InstanceOptions options;
  options.max_memory_bytes = config_.max_memory_bytes;
  options.user_data = static_cast<handler::ActorServices*>(this);
  options.timeout = config_.init_timeout;
  auto instance = engine.instantiate(config_.module, config_.imports, options);
  if (!instance.ok()) return instance.error().context("instantiating the actor");
  instance_ = std::move(*instance);
  return {};
}

Status Actor::start_handlers() {
  for (auto& [type, instance] : handler_instances_) {
    Status started = instance->start(handle(), handlers_stop_.get_token());
    if (!started.ok()) return started.error().context("starting handler " + type);
  }
  return {};
}

Status Actor::run_init() {
  // Shared with the call: if init outlives its timeout, the call may still
  // end (or be cancelled) after this function has returned.
  auto outcome = std::make_shared<std::optional<Status>>();
  handler::CallbackCall call = handler::make_callback_call<std::tuple<std::string>>(
      kInitExport, std::tuple<std::string>(config_.id), {{"actor_id", config_.id}},
      [outcome](const Result<std::tuple<>>& r) {
        *outcome = r.ok() ? Status() : Status(r.error());
      },
      config_.init_timeout);
  // Run on this thread when the isolate is idle (spawn waits anyway).
  Status ran = instance_->run(
      [this, &call](wasm::InstanceContext& context) {
        // From here on calls queue behind init (submit() accepts them).
        init_started_.store(true);
        run_call(call, context);
      },
      config_.init_timeout);
  if (!ran.ok()) return ran.error().context("init");
  if (!*outcome) return make_error(ErrorCode::kInternal, "init did not report its outcome");
  if (!(*outcome)->ok()) return (*outcome)->error().context("init failed");
  return {};
}

// --- calls -------------------------------------------------------------------

Status Actor::submit(handler::CallbackCall&& call) {
  const ActorStatus status = status_.load();
  const bool takes_calls = status == ActorStatus::kRunning || status == ActorStatus::kPaused ||
                           (status == ActorStatus::kStarting && init_started_.load());
  if (!takes_calls) {
    return make_error(ErrorCode::kUnavailable,
                      std::string("the actor is ") + handler::to_string(status) +
                          (status == ActorStatus::kStarting ? " (its init has not begun)" : "") +
                          " and takes no calls");
  }
  return post(call);
}

void Actor::notify_when_space(std::function<void()> wake) {
  if (!instance_) {
    wake();  // no mailbox yet (or any more): the next submit says why
    return;
  }
  instance_->notify_when_space(std::move(wake));
}

Status Actor::post(handler::CallbackCall& call) {
  struct Pending {
    std::shared_ptr<Actor> self;
    handler::CallbackCall call;
  };
  wasm::Task task;
  // The timeout bounds the call's run; how long it waits in the mailbox is
  // bounded by the mailbox instead (a pause may last).
  task.deadline = wasm::Deadline::max();
  task.run_timeout = call.timeout.count() > 0 ? call.timeout : config_.call_timeout;
  // One allocation per call: both functions point into the task's Pending.
  auto pending = std::make_shared<Pending>(Pending{shared_from_this(), std::move(call)});
  Pending* raw = pending.get();
  task.cancelled = [raw](const Error& why) { raw->call.done(why); };
  task.run = [raw](wasm::InstanceContext& context) { raw->self->run_call(raw->call, context); };
  task.keep_alive = std::move(pending);
  Status posted = instance_->post(std::move(task));
  if (!posted.ok()) call = std::move(raw->call);  // a refused task is left intact
  return posted;
}

void Actor::run_call(handler::CallbackCall& call, wasm::InstanceContext& context) {
  // Paused counts as running: the mailbox hands out no task while paused, so
  // this one was taken just before the pause.
  const ActorStatus status = status_.load();
  if (status == ActorStatus::kStopping || status == ActorStatus::kStopped ||
      status == ActorStatus::kFailed) {
    call.done(make_error(ErrorCode::kUnavailable, "the actor is stopping"));
    return;
  }
  if (call.before) call.before();
  // Built where the call was made; the call runs once, so its data moves.
  record_encoded("wasm/call", call.export_name, std::move(call.call_data));
  const State before = state();
  const auto started = std::chrono::steady_clock::now();
  Result<State> outcome = call.invoke(context, before);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  finish_call(
      call, outcome,
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
}

void Actor::finish_call(const handler::CallbackCall& call, const Result<State>& outcome,
                        uint64_t elapsed_ns) {
  {
    std::lock_guard lock(mutex_);
    metrics_.calls++;
    metrics_.total_call_ns += elapsed_ns;
    metrics_.max_call_ns = std::max(metrics_.max_call_ns, elapsed_ns);
    if (outcome.ok()) {
      state_ = *outcome;
    } else {
      metrics_.failed_calls++;  // the state stays what it was: the call's effects are discarded
    }
  }
  if (outcome.ok()) {
    const State& state = *outcome;
    chain::CborWriter data(call.export_name.size() + (state ? state->size() : 0) + 32);
    data.map(2).text("export").text(call.export_name).text("state");
    if (state) {
      data.bytes(*state);
    } else {
      data.null();
    }
    record_encoded("wasm/result", call.export_name, data.take());
  } else {
    const Error& error = outcome.error();
    record(
        "wasm/error", call.export_name,
        {{"export", call.export_name}, {"error", error.message}, {"code", to_string(error.code)}});
  }
  call.done(outcome.ok() ? Status() : Status(outcome.error()));

  std::optional<int32_t> exit_code;
  if (!outcome.ok() && outcome.error().code == ErrorCode::kExited)
    exit_code = wasi_context_->exit_code();
  if (!outcome.ok() && !exit_code && config_.listener) {
    config_.listener->on_call_failed(config_.id, call.export_name, outcome.error());
  }
  std::optional<Bytes> data;
  bool shutdown = false;
  {
    std::lock_guard lock(mutex_);
    shutdown = (shutdown_requested_ || exit_code) && !shutdown_notified_;
    if (shutdown) shutdown_notified_ = true;
    data = shutdown_data_;
  }
  if (shutdown && config_.listener)
    config_.listener->on_shutdown_request(config_.id, data, exit_code);
}

// --- info ----------------------------------------------------------------

State Actor::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

Result<std::vector<handler::ChainEvent>> Actor::events() const {
  THEATER_ASSIGN_OR_RETURN(std::vector<chain::Event> events, chain_->snapshot());
  std::vector<handler::ChainEvent> out;
  out.reserve(events.size());
  for (chain::Event& e : events) out.push_back(to_handler_event(std::move(e)));
  return out;
}

handler::ActorMetrics Actor::metrics() const {
  std::lock_guard lock(mutex_);
  handler::ActorMetrics m = metrics_;
  m.events = chain_->size();
  if (instance_) m.pending_calls = instance_->stats().queued_tasks;
  m.state_bytes = state_ ? state_->size() : 0;
  if (instance_) m.memory_bytes = instance_->stats().memory_bytes;
  return m;
}

// --- control ---------------------------------------------------------------

void Actor::set_status(ActorStatus status) {
  const ActorStatus before = status_.exchange(status);
  if (before != status) {
    record("theater-runtime/status", handler::to_string(status),
           {{"from", handler::to_string(before)}, {"to", handler::to_string(status)}});
  }
}

Status Actor::pause() {
  ActorStatus expected = ActorStatus::kRunning;
  if (!status_.compare_exchange_strong(expected, ActorStatus::kPaused)) {
    return make_error(ErrorCode::kFailedPrecondition,
                      std::string("cannot pause an actor that is ") + handler::to_string(expected));
  }
  instance_->pause();
  record("theater-runtime/status", "paused", {{"from", "running"}, {"to", "paused"}});
  return {};
}

Status Actor::resume() {
  ActorStatus expected = ActorStatus::kPaused;
  if (!status_.compare_exchange_strong(expected, ActorStatus::kRunning)) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        std::string("cannot resume an actor that is ") + handler::to_string(expected));
  }
  record("theater-runtime/status", "running", {{"from", "paused"}, {"to", "running"}});
  instance_->resume();
  return {};
}

Status Actor::shutdown(std::optional<Bytes> data) {
  bool notify_now;
  {
    std::lock_guard lock(mutex_);
    if (shutdown_requested_) return {};
    shutdown_requested_ = true;
    shutdown_data_ = std::move(data);
    // From inside a call, the request takes effect once the call returns
    // (finish_call); otherwise now.
    notify_now = !wasm::current_thread_runs_wasm();
    if (notify_now) shutdown_notified_ = true;
  }
  record("theater-runtime/shutdown-requested", std::nullopt,
         {{"data", state_json(shutdown_data_)}});
  if (notify_now && config_.listener)
    config_.listener->on_shutdown_request(config_.id, shutdown_data_, std::nullopt);
  return {};
}

Status Actor::terminate() {
  if (instance_)
    instance_->interrupt(make_error(ErrorCode::kCancelled, "the actor was terminated"));
  record("theater-runtime/terminate-requested", std::nullopt, nlohmann::json::object());
  if (config_.listener) config_.listener->on_terminate_request(config_.id);
  return {};
}

void Actor::stop(milliseconds grace, bool failed) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  set_status(ActorStatus::kStopping);
  // Handlers hear it first, so a call parked in one of them (a sleep) wakes
  // now instead of holding up the drain below until its deadline.
  handlers_stop_.request_stop();
  // Calls still queued (a paused actor's too) now end at once, in order.
  if (instance_) instance_->resume();
  if (instance_ && !wasm::current_thread_runs_wasm()) {
    // Queued calls see Stopping and end at once; this waits for the current one.
    Status drained = instance_->run([](wasm::InstanceContext&) {}, config_.call_timeout + grace);
    if (!drained.ok()) {
      instance_->interrupt(make_error(ErrorCode::kCancelled, "the actor is stopping"));
      (void)instance_->run([](wasm::InstanceContext&) {}, grace);
    }
  }
  stop_handlers(grace);
  wasi_context_->flush();
  record(std::string(chain::kStoppedEventType), std::nullopt, {{"failed", failed}});
  if (instance_) instance_->close();
  status_.store(failed ? ActorStatus::kFailed : ActorStatus::kStopped);
}

void Actor::stop_handlers(milliseconds grace) {
  handlers_stop_.request_stop();
  for (auto& [type, instance] : handler_instances_) instance->stop(grace);
}

void Actor::record(std::string event_type, std::optional<std::string> description,
                   const nlohmann::json& data) {
  record_encoded(std::move(event_type), std::move(description), chain::to_cbor_data(data));
}

std::optional<chain::EventHash> Actor::record_encoded(std::string event_type,
                                                      std::optional<std::string> description,
                                                      std::vector<uint8_t> data) {
  // After a loss the chain has a hole, and each append to a full log would
  // wait out its timeout: the actor is being stopped, so record nothing more.
  if (events_lost_.load()) return std::nullopt;
  auto appended = chain_->append(std::move(event_type), std::move(data), std::move(description));
  if (!appended.ok()) {
    report_events_lost(appended.error());
    return std::nullopt;
  }
  return appended->hash;
}

Result<Bytes> Actor::record_cbor(std::string event_type, std::optional<std::string> description,
                                 std::vector<uint8_t> data) {
  auto hash = record_encoded(std::move(event_type), std::move(description), std::move(data));
  if (!hash) {
    return make_error(ErrorCode::kUnavailable,
                      "actor " + config_.id + " can no longer record events");
  }
  return Bytes(hash->begin(), hash->end());
}

void Actor::report_events_lost(const Error& error) {
  if (events_lost_.exchange(true)) return;  // one report: later failures share its cause
  // Stopped rather than paused: the events already accepted cannot be
  // recovered, so no resume could make this chain complete again, and a
  // paused actor's processes and timers would keep producing what it cannot
  // record. What was committed before still verifies.
  const Error why =
      error.context("actor " + config_.id + " was stopped: its events can no longer be recorded");
  // The listener first: it hears the cause before the interrupted call's failure.
  if (config_.listener) {
    config_.listener->on_events_lost(config_.id, why);
  } else {
    std::fprintf(stderr, "theater: %s\n", why.message.c_str());
  }
  if (instance_) instance_->interrupt(why);  // the running call would go unrecorded
}

void Actor::log_line(std::string_view source, std::string_view line) {
  if (config_.listener) config_.listener->on_log(config_.id, source, line);
}

handler::HandlerInstance* Actor::handler_instance(std::string_view type) {
  auto it = handler_instances_.find(type);
  return it == handler_instances_.end() ? nullptr : it->second.get();
}

}  // namespace theater::actor
