// Typed callback calls of ActorHandle (templates).
#pragma once

#include <condition_variable>
#include <mutex>

#include "chain/event.h"

namespace theater::handler {

namespace detail {

// result<tuple<option<list<u8>>, Extra...>, string>
template <class... Extra>
using CallbackResult = abi::Outcome<std::tuple<State, Extra...>, std::string>;

template <class Params, class... Extra>
using CallbackSignature = CallbackResult<Extra...>(State, Params);

// Splits the lifted tuple into the new state and the extra values.
template <class... Extra>
std::tuple<Extra...> drop_state(std::tuple<State, Extra...>&& all, State& state_out) {
  state_out = std::move(std::get<0>(all));
  return std::apply(
      [](State&&, Extra&&... rest) { return std::tuple<Extra...>(std::move(rest)...); },
      std::move(all));
}

template <class Params, class... Extra>
class TypedCallbackBody final : public CallbackBody {
 public:
  using Done = std::function<void(Result<std::tuple<Extra...>>)>;
  TypedCallbackBody(Params params, Done done)
      : params_(std::move(params)), done_(std::move(done)) {}

  Result<State> invoke(wasm::InstanceContext& context, std::string_view export_name,
                       const State& state) override {
    auto outcome =
        abi::call_export<CallbackSignature<Params, Extra...>>(context, export_name, state, params_);
    if (!outcome.ok()) return outcome.error();
    if (outcome->is_err()) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "the actor returned an error: " + outcome->error());
    }
    State new_state;
    extra_ = drop_state<Extra...>(std::move(outcome->value()), new_state);
    return new_state;
  }

  void done(const Status& status) override {
    if (!done_) return;
    if (!status.ok()) {
      done_(status.error());
    } else if (!extra_) {
      done_(make_error(ErrorCode::kInternal, "the call succeeded without results"));
    } else {
      done_(std::move(*extra_));
    }
  }

 private:
  Params params_;
  // Written by invoke (actor thread), read by done afterwards.
  std::optional<std::tuple<Extra...>> extra_;
  Done done_;
};

}  // namespace detail

template <class Params, class... Extra>
CallbackCall make_recorded_call(
    std::string export_name, Params params, std::vector<uint8_t> call_data,
    std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done,
    std::chrono::milliseconds timeout) {
  CallbackCall call;
  call.export_name = std::move(export_name);
  call.call_data = std::move(call_data);
  call.timeout = timeout;
  call.body = std::make_shared<detail::TypedCallbackBody<Params, Extra...>>(std::move(params),
                                                                            std::move(done));
  return call;
}

template <class Params, class... Extra>
CallbackCall make_callback_call(
    std::string export_name, Params params, const nlohmann::json& record,
    std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done,
    std::chrono::milliseconds timeout) {
  const std::vector<uint8_t> record_cbor = chain::to_cbor_data(record);
  std::vector<uint8_t> call_data =
      begin_call_data(export_name, record_cbor.size()).raw(record_cbor).take();
  return make_recorded_call<Params, Extra...>(std::move(export_name), std::move(params),
                                              std::move(call_data), std::move(done), timeout);
}

template <class Params, class... Extra>
Status ActorHandle::call(
    std::string export_name, Params params, nlohmann::json record,
    std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done,
    std::chrono::milliseconds timeout) {
  CallbackCall made = make_callback_call<Params, Extra...>(
      std::move(export_name), std::move(params), record, std::move(done), timeout);
  return submit(made);
}

template <class Params, class... Extra>
Result<std::tuple<Extra...>> ActorHandle::call_and_wait(std::string export_name, Params params,
                                                        nlohmann::json record,
                                                        std::chrono::milliseconds wait) {
  struct Waiter {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<Result<std::tuple<Extra...>>> result;
  };
  auto waiter = std::make_shared<Waiter>();
  THEATER_RETURN_IF_ERROR(
      (call<Params, Extra...>(std::move(export_name), std::move(params), std::move(record),
                              [waiter](Result<std::tuple<Extra...>> r) {
                                std::lock_guard lock(waiter->mutex);
                                waiter->result.emplace(std::move(r));
                                waiter->cv.notify_all();
                              })));
  std::unique_lock lock(waiter->mutex);
  if (!waiter->cv.wait_for(lock, wait, [&] { return waiter->result.has_value(); })) {
    return make_error(ErrorCode::kDeadlineExceeded, "the actor did not answer in time");
  }
  return std::move(*waiter->result);
}

}  // namespace theater::handler
