// How host functions answer a guest: expected failures reach the actor as
// err(text) of the WIT's result<T, string>; only a broken call traps.
#pragma once

#include <string>
#include <utility>

#include "abi/abi.h"
#include "common/result.h"
#include "handler_api/handler.h"

namespace theater::handler {

template <class T>
using Answer = abi::Outcome<T, std::string>;

template <class T>
Answer<T> answer(Result<T> result) {
  if (!result.ok()) return Answer<T>::err(result.error().message);
  return Answer<T>::ok(std::move(result).value());
}

inline Answer<abi::Unit> answer(const Status& status) {
  if (!status.ok()) return Answer<abi::Unit>::err(status.error().message);
  return Answer<abi::Unit>::ok();
}

// Runs `method` on the calling actor's instance of handler `type` (an
// Instance). Its failure, or the lack of an instance, is the actor's err.
template <class Instance, class Method, class... Args>
auto answer_on_instance(wasm::HostCall& call, std::string_view type, Method method,
                        Args&&... args) {
  using Answered = decltype(answer((std::declval<Instance&>().*method)(args...)));
  auto self = instance_of<Instance>(call, type);
  if (!self.ok()) return Answered::err(self.error().message);
  return answer(((*self)->*method)(std::forward<Args>(args)...));
}

}  // namespace theater::handler
