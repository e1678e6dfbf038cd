// The canonical ABI over the engine: a Guest backed by a running instance
// (its `memory` and `cabi_realloc` exports), typed host functions, and typed
// export calls with post-return. This is the only part of abi/ that knows the
// engine interface.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "abi/function.h"
#include "abi/guest.h"
#include "wasm/engine.h"

namespace theater::abi {

// A Guest over the instance a task or host call runs in.
class ContextGuest final : public Guest {
 public:
  explicit ContextGuest(wasm::InstanceContext& context) : context_(context) {}
  Result<wasm::MemoryView> memory() override { return context_.memory(); }
  Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                           uint32_t new_size) override;

 private:
  wasm::InstanceContext& context_;
};

// A host function written as its WIT signature: `fn(HostCall&, Args...)`
// returns R or Result<R> (Status for void).
template <class Sig, class F>
wasm::HostFunction host_function(std::string module, std::string name, F fn) {
  return wasm::HostFunction{
      std::move(module), std::move(name), Function<Sig>::import_type(),
      [fn = std::move(fn)](wasm::HostCall& call, std::span<const wasm::Value> args,
                           std::span<wasm::Value> results) -> Status {
        ContextGuest guest(call);
        auto bound = [&call, &fn](auto&&... a) {
          return fn(call, std::forward<decltype(a)>(a)...);
        };
        return Function<Sig>::invoke(guest, args, results, bound);
      }};
}

// Calls export `name` typed as `Sig` (lower, call, lift, then
// `cabi_post_<name>` when the module exports it).
template <class Sig, class... A>
auto call_export(wasm::InstanceContext& context, std::string_view name, const A&... args) {
  ContextGuest guest(context);
  const std::string post_return = post_return_name(name);
  const bool has_post_return = context.has_export(post_return);
  return Function<Sig>::call_export(
      guest,
      [&](const std::vector<wasm::Value>& core_args) { return context.call(name, core_args); },
      [&](std::span<const wasm::Value> core_results) -> Status {
        if (!has_post_return) return {};
        auto done = context.call(post_return, core_results);
        if (!done.ok()) return done.error().context(post_return);
        return {};
      },
      args...);
}

}  // namespace theater::abi
