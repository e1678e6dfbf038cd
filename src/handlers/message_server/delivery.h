// Calls the message server makes into a receiving actor's callbacks.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "handler_api/actor_handle.h"
#include "handlers/message_server/endpoint.h"

namespace theater::handlers {

// A counted delivery into `to`'s callback `export_name`: it gives its slot in
// `to`'s mailbox back when it ends, however it ends, then calls `done`.
template <class Params, class... Extra>
handler::CallbackCall make_delivery(
    const std::shared_ptr<Endpoint>& to, const char* export_name, Params params,
    std::vector<std::uint8_t> call_data,
    std::type_identity_t<std::function<void(Result<std::tuple<Extra...>>)>> done = nullptr) {
  std::weak_ptr<Endpoint> weak = to;
  auto ended = [weak, done = std::move(done)](Result<std::tuple<Extra...>> outcome) {
    if (auto endpoint = weak.lock()) endpoint->release();
    if (done) done(std::move(outcome));
  };
  return handler::make_recorded_call<Params, Extra...>(export_name, std::move(params),
                                                       std::move(call_data), std::move(ended),
                                                       std::chrono::milliseconds(0));
}

// An uncounted notice (Endpoint::deliver_notice): nobody waits for its outcome.
template <class Params>
handler::CallbackCall make_notice(const char* export_name, Params params,
                                  std::vector<std::uint8_t> call_data) {
  return handler::make_recorded_call<Params>(export_name, std::move(params), std::move(call_data),
                                             nullptr, std::chrono::milliseconds(0));
}

}  // namespace theater::handlers
