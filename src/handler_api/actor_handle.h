// ActorHandle: what handlers (and the runtime's callers) hold to talk to one
// actor. Cheap to copy; it never keeps the actor alive, and every call on a
// handle whose actor is gone fails cleanly with kUnavailable. Three channels:
//  - operations: call an exported callback with typed params and results,
//    following the state model of wit/actor.wit (the runtime threads the
//    actor's state in and out, and discards it when the callback fails);
//  - info: status, state, events, metrics;
//  - control: pause, resume, shutdown, terminate.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "abi/abi.h"
#include "abi/engine_binding.h"
#include "chain/cbor_writer.h"
#include "common/result.h"
#include "wasm/engine.h"

namespace theater::handler {

using Bytes = std::vector<uint8_t>;
using State = std::optional<Bytes>;

enum class ActorStatus { kStarting, kRunning, kPaused, kStopping, kStopped, kFailed };
const char* to_string(ActorStatus status);

struct ActorMetrics {
  uint64_t calls = 0;
  uint64_t failed_calls = 0;
  uint64_t total_call_ns = 0;
  uint64_t max_call_ns = 0;
  uint64_t events = 0;
  uint64_t memory_bytes = 0;
  uint64_t pending_calls = 0;
  uint64_t state_bytes = 0;
  int64_t started_at_ms = 0;
};

// One event of an actor's chain as handlers, callers and guests see it: the
// record `chain-event` of wit/types.wit, so a handler hands it to a guest as
// it is (chain::Event is the chain's own, fixed-size-hash form).
struct ChainEvent {
  Bytes hash;
  std::optional<Bytes> parent_hash;
  std::string event_type;
  Bytes data;
  uint64_t timestamp = 0;  // ms since the epoch
  std::optional<std::string> description;
};
THEATER_ABI_RECORD(ChainEvent, hash, parent_hash, event_type, data, timestamp, description);

// What a callback call runs, with its types erased (the typed helpers below
// make it). One object per call: params, extra results and the caller's
// `done` live together, which keeps the per-call allocations down.
class CallbackBody {
 public:
  virtual ~CallbackBody() = default;
  // Runs in the actor's task: lower (state, params), call, lift. Returns the
  // new state, or the error (an actor's err(string) included).
  virtual Result<State> invoke(wasm::InstanceContext& context, std::string_view export_name,
                               const State& state) = 0;
  // Told the outcome after the state was updated or the call failed (any
  // thread), at most once.
  virtual void done(const Status& status) = 0;
};

// A callback call, as queued to an actor.
struct CallbackCall {
  std::string export_name;
  // The data of the call's wasm/call event, as CBOR: {"export": <name>,
  // "params": <record>} (see begin_call_data). Built once, where the call is
  // made, and moved into the chain when the call runs.
  std::vector<uint8_t> call_data;
  std::shared_ptr<CallbackBody> body;
  // Optional: runs in the actor's task just before the call is recorded and
  // made, e.g. to record the event that caused the call (it may block on the
  // chain, as recording does). Not run when the call never runs.
  std::function<void()> before;
  // 0: the manifest's call timeout.
  std::chrono::milliseconds timeout{0};

  Result<State> invoke(wasm::InstanceContext& context, const State& state) const {
    return body->invoke(context, export_name, state);
  }
  void done(const Status& status) const {
    if (body) body->done(status);
  }
};

// Implemented by the actor runtime (src/actor/).
class ActorCore {
 public:
  virtual ~ActorCore() = default;
  virtual const std::string& id() const = 0;
  // Operations: queue a callback call; refused when the actor does not run or
  // its mailbox is full, and then `call` is left as it was (to retry later).
  virtual Status submit(CallbackCall&& call) = 0;
  // After a refusal for a full mailbox: calls `wake` once (any thread; it
  // must not block) when a submit may succeed again, or the actor closed.
  virtual void notify_when_space(std::function<void()> wake) = 0;
  // Info.
  virtual ActorStatus status() const = 0;
  virtual State state() const = 0;
  // Every event of the actor's chain (read back from the event log when it has one).
  virtual Result<std::vector<ChainEvent>> events() const = 0;
  virtual ActorMetrics metrics() const = 0;
  // Control.
  virtual Status pause() = 0;
  virtual Status resume() = 0;
  // Graceful: stop once the current call returns; `data` goes to the parent.
  virtual Status shutdown(std::optional<Bytes> data) = 0;
  virtual Status terminate() = 0;
  // A line for the runtime's log (runtime.log); the caller records its own event.
  virtual void log(std::string_view line) = 0;
  // Handlers record their own events in the actor's chain.
  virtual void record(std::string event_type, std::optional<std::string> description,
                      const nlohmann::json& data) = 0;
  // Same, with the data already CBOR; returns the event's hash, so that what
  // it causes in another chain can name it (cross-chain links). Fails when
  // the event could not be recorded.
  virtual Result<Bytes> record_cbor(std::string event_type, std::optional<std::string> description,
                                    std::vector<uint8_t> data) = 0;
  // Whether the actor's module exports function `export_name`
  // ("interface#name"), so a caller can refuse a call it could not take.
  virtual bool exports(std::string_view export_name) const = 0;
};

// Builds the type-erased call for a callback shaped as in the WIT:
//   func(state: option<list<u8>>, params: Params) -> result<tuple<option<list<u8>>, Extra...>,
//   string>
// (Params is a std::tuple of ABI types); `done` gets the Extra values.
template <class Params, class... Extra>
CallbackCall make_callback_call(
    std::string export_name, Params params, const nlohmann::json& record,
    std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done,
    std::chrono::milliseconds timeout);

// The start of a call's wasm/call event data, for callers on a hot path: write
// the record of the params into it (one CBOR item) and hand the bytes to
// make_recorded_call. The params' bytes are then copied once, into the event.
chain::CborWriter begin_call_data(std::string_view export_name, size_t record_bytes);

// Same as make_callback_call, with the wasm/call event data already encoded
// (see begin_call_data): no JSON value and no extra copy per call.
template <class Params, class... Extra>
CallbackCall make_recorded_call(
    std::string export_name, Params params, std::vector<uint8_t> call_data,
    std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done,
    std::chrono::milliseconds timeout);

class ActorHandle {
 public:
  ActorHandle() = default;
  explicit ActorHandle(std::weak_ptr<ActorCore> core) : core_(std::move(core)) {}

  // The actor's id, or empty when it is gone.
  std::string id() const;

  // Calls callback `export_name` shaped as in the WIT:
  //   func(state: option<list<u8>>, params: Params) -> result<tuple<option<list<u8>>, Extra...>,
  //   string>
  // and hands `done` the Extra values. Params is a std::tuple of ABI types.
  template <class Params, class... Extra>
  Status call(std::string export_name, Params params, nlohmann::json record,
              std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  // Same, waiting up to `wait` for the outcome (never from inside an
  // actor's task). The call's own deadline is the manifest's call timeout;
  // `wait` only bounds how long this caller waits for it.
  template <class Params, class... Extra>
  Result<std::tuple<Extra...>> call_and_wait(std::string export_name, Params params,
                                             nlohmann::json record, std::chrono::milliseconds wait);

  // Queues a call made with make_callback_call or make_recorded_call. When
  // refused (the actor is not running, or its mailbox is full:
  // kResourceExhausted) `call` is left as it was, so the caller can keep it
  // and submit it again once notify_when_space() wakes it.
  Status submit(CallbackCall& call) const;
  // After submit() was refused with kResourceExhausted (full mailbox): `wake`
  // runs once when there is room again, or at once when the actor is gone.
  // Producers wait for it instead of polling.
  void notify_when_space(std::function<void()> wake) const;

  Result<ActorStatus> status() const;
  Result<State> state() const;
  Result<std::vector<ChainEvent>> events() const;
  Result<ActorMetrics> metrics() const;
  Status pause() const;
  Status resume() const;
  Status shutdown(std::optional<Bytes> data = std::nullopt) const;
  Status terminate() const;
  Status record(std::string event_type, std::optional<std::string> description,
                const nlohmann::json& data) const;
  Result<Bytes> record_cbor(std::string event_type, std::optional<std::string> description,
                            std::vector<uint8_t> data) const;
  Result<bool> exports(std::string_view export_name) const;
  Status log(std::string_view line) const;

 private:
  Result<std::shared_ptr<ActorCore>> core() const;
  std::weak_ptr<ActorCore> core_;
};

}  // namespace theater::handler

#include "handler_api/actor_handle_inl.h"
