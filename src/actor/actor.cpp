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
    WasiHost::random(out);
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
  chain_ = std::make_unique<chain::EventChain>(config_.id, options);
  wasi_host_ = std::make_unique<WasiRecorder>(*this);
  wasi_context_ = std::make_unique<wasi::WasiContext>(*wasi_host_, config_.environment);
  state_ = config_.initial_state;
  metrics_.started_at_ms = static_cast<int64_t>(now_ms());
}

Actor::~Actor() {
  if (instance_) instance_->close();
}

Result<std::shared_ptr<Actor>> Actor::create(wasm::Engine& engine,
                                                           ActorConfig config) {
  std::shared_ptr<Actor> actor(
      new Actor(std::move(config)));  // NOLINT: private constructor
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
  // The first event binds the chain to this actor and module: `theater verify`
  // refuses a chain stored under another id (chain/audit.h).
  record("theater-runtime/actor-load", config_.manifest.name,
         {{chain::kActorIdKey, config_.id},
          {"name", config_.manifest.name},
          {"manifest", config_.manifest.source},
          {chain::kModuleSha256Key, config_.module->sha256_hex()},
          {"handlers", handler_types}});
  const wasm::ExportInfo* init = config_.module->info().find_export(kInitExport);
  if (!init || init->kind != wasm::ExternKind::kFunction) {
    return make_error(ErrorCode::kNotFound, std::string("the module does not export ") +
                                                kInitExport + ", which every actor must");
  }
  THEATER_RETURN_IF_ERROR(create_handler_instances());
  THEATER_RETURN_IF_ERROR(instantiate(engine));
  THEATER_RETURN_IF_ERROR(start_handlers());
  THEATER_RETURN_IF_ERROR(run_init());
  set_status(ActorStatus::kRunning);
  record("theater-runtime/actor-ready", std::nullopt, nlohmann::json::object());
  return {};
}

Status Actor::create_handler_instances() {
  for (const handler::Handler* h : config_.handlers) {
    handler::InstanceSetup setup{config_.id, &config_.manifest, &config_.permissions};
    auto instance = h->create_instance(setup);
    if (!instance.ok()) return instance.error().context("handler " + h->type());
    handler_instances_.emplace(h->type(), std::move(*instance));
  }
  return {};
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
  uint64_t seq;
  {
    std::lock_guard lock(mutex_);
    seq = order_.accept();
  }
  // Run on this thread when the isolate is idle (spawn waits anyway).
  Status ran = instance_->run(
      [this, &call, seq](wasm::InstanceContext& context) { run_call(call, seq, context); },
      config_.init_timeout);
  if (!ran.ok()) {
    call_finished(seq);  // whatever became of it, it holds nothing back
    return ran.error().context("init");
  }
  if (!*outcome) return make_error(ErrorCode::kInternal, "init did not report its outcome");
  if (!(*outcome)->ok()) return (*outcome)->error().context("init failed");
  return {};
}

// --- calls -------------------------------------------------------------------

Status Actor::submit(handler::CallbackCall&& call) {
  // Numbering and queueing under one lock: the mailbox gets calls in the
  // order of their numbers, and resume() cannot interleave.
  std::lock_guard lock(mutex_);
  switch (status_.load()) {
    case ActorStatus::kRunning: {
      const uint64_t seq = order_.accept();
      Status posted = post(call, seq);
      if (!posted.ok()) order_.finished(seq);  // refused: it never counted
      return posted;
    }
    case ActorStatus::kPaused:
      if (order_.held() >= config_.max_paused_calls) {
        return make_error(ErrorCode::kResourceExhausted,
                          "the actor is paused and " + std::to_string(order_.held()) +
                              " calls already wait for it to resume");
      }
      order_.hold(order_.accept(), std::move(call));
      return {};
    default:
      return make_error(ErrorCode::kUnavailable, std::string("the actor is ") +
                                                     handler::to_string(status_.load()) +
                                                     " and takes no calls");
  }
}

Status Actor::post(handler::CallbackCall& call, uint64_t seq) {
  struct Pending {
    std::shared_ptr<Actor> self;
    handler::CallbackCall call;
    uint64_t seq;
  };
  wasm::Task task;
  task.deadline = wasm::deadline_in(call.timeout.count() > 0 ? call.timeout : config_.call_timeout);
  // One allocation per call: both functions point into the task's Pending.
  auto pending = std::make_shared<Pending>(Pending{shared_from_this(), std::move(call), seq});
  Pending* raw = pending.get();
  task.cancelled = [raw](const Error& why) {
    raw->self->call_finished(raw->seq);
    raw->call.done(why);
  };
  task.run = [raw](wasm::InstanceContext& context) {
    raw->self->run_call(raw->call, raw->seq, context);
  };
  task.keep_alive = std::move(pending);
  Status posted = instance_->post(std::move(task));
  if (!posted.ok()) call = std::move(raw->call);  // a refused task is left intact
  return posted;
}

void Actor::call_finished(uint64_t seq) {
  RefusedCalls refused;
  {
    std::lock_guard lock(mutex_);
    order_.finished(seq);
    release_in_turn_locked(refused);
  }
  fail_refused(refused);
}

void Actor::release_in_turn_locked(RefusedCalls& refused) {
  if (status_.load() != ActorStatus::kRunning) return;
  while (std::optional<CallOrder::Held> next = order_.release_in_turn()) {
    Status posted = post(next->call, next->seq);
    if (posted.ok()) return;
    order_.finished(next->seq);  // fails below; the next one may go
    refused.emplace_back(std::move(next->call), posted.error());
  }
}

void Actor::fail_refused(RefusedCalls& refused) {
  // Outside the lock: a done callback may submit again.
  for (auto& [call, why] : refused) call.done(why);
}

void Actor::run_call(handler::CallbackCall& call, uint64_t seq,
                            wasm::InstanceContext& context) {
  ActorStatus status;
  {
    // Under the lock: resume() flips the status and releases held calls in one step.
    std::lock_guard lock(mutex_);
    status = status_.load();
    const bool ending = status == ActorStatus::kStopping || status == ActorStatus::kStopped ||
                        status == ActorStatus::kFailed;
    if (!ending && (status == ActorStatus::kPaused || !order_.in_turn(seq))) {
      order_.hold(seq, std::move(call));  // runs when resumed and its turn comes
      return;
    }
  }
  if (status != ActorStatus::kRunning && status != ActorStatus::kStarting) {
    call_finished(seq);
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
  call_finished(seq);
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

Result<std::vector<handler::EventView>> Actor::events() const {
  THEATER_ASSIGN_OR_RETURN(std::vector<chain::Event> events, chain_->snapshot());
  std::vector<handler::EventView> out;
  out.reserve(events.size());
  for (chain::Event& e : events) out.push_back(to_view(std::move(e)));
  return out;
}

handler::ActorMetrics Actor::metrics() const {
  std::lock_guard lock(mutex_);
  handler::ActorMetrics m = metrics_;
  m.events = chain_->size();
  m.pending_calls = order_.held();
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
  record("theater-runtime/status", "paused", {{"from", "running"}, {"to", "paused"}});
  return {};
}

Status Actor::resume() {
  RefusedCalls refused;
  {
    // The held call whose turn it is goes back to the mailbox before any
    // call submitted after this: submit() waits for this lock.
    std::lock_guard lock(mutex_);
    ActorStatus expected = ActorStatus::kPaused;
    if (!status_.compare_exchange_strong(expected, ActorStatus::kRunning)) {
      return make_error(
          ErrorCode::kFailedPrecondition,
          std::string("cannot resume an actor that is ") + handler::to_string(expected));
    }
    release_in_turn_locked(refused);
  }
  record("theater-runtime/status", "running", {{"from", "paused"}, {"to", "running"}});
  Status posted = refused.empty() ? Status() : Status(refused.front().second);
  fail_refused(refused);
  return posted;
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
  std::deque<CallOrder::Held> waiting;
  {
    std::lock_guard lock(mutex_);
    waiting = order_.take_all_held();
  }
  for (CallOrder::Held& held : waiting)
    held.call.done(make_error(ErrorCode::kUnavailable, "the actor stopped"));
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

void Actor::record_encoded(std::string event_type, std::optional<std::string> description,
                                  std::vector<uint8_t> data) {
  auto appended = chain_->append(std::move(event_type), std::move(data), std::move(description));
  if (!appended.ok()) {
    // The chain refused the event (log failure or backpressure past its
    // timeout): say so loudly rather than lose it silently.
    std::fprintf(stderr, "theater: actor %s: event not recorded: %s\n", config_.id.c_str(),
                 appended.error().message.c_str());
  }
}

void Actor::log_line(std::string_view source, std::string_view line) {
  if (config_.listener) config_.listener->on_log(config_.id, source, line);
}

handler::HandlerInstance* Actor::handler_instance(std::string_view type) {
  auto it = handler_instances_.find(type);
  return it == handler_instances_.end() ? nullptr : it->second.get();
}

}  // namespace theater::actor
