// The host side of the "test" imports of tests/guests/engine/basics.c.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "wasm/engine.h"

namespace theater::wasm::testing {

// Per-instance data the host functions find through HostCall::user_data().
struct GuestPeer {
  std::shared_ptr<Instance> peer;  // target of call_peer
};

inline std::atomic<int> g_block_calls{0};

inline std::shared_ptr<const HostImports> test_imports() {
  auto imports = std::make_shared<HostImports>();
  const FuncType i32_to_i32{{ValType::kI32}, {ValType::kI32}};
  Status ok = imports->add({"test", "add_one", i32_to_i32,
                            [](HostCall&, std::span<const Value> args, std::span<Value> results) {
                              results[0] = Value::i32(args[0].as_i32() + 1);
                              return Status{};
                            }});
  // Waits `ms` outside the isolate (or until the call is stopped), returns ms * 2.
  ok = imports->add({"test", "block_ms", i32_to_i32,
                     [](HostCall& call, std::span<const Value> args, std::span<Value> results) {
                       const int ms = args[0].as_i32();
                       g_block_calls++;
                       Status status = call.blocking([ms](std::stop_token stop) {
                         std::mutex m;
                         std::condition_variable_any cv;
                         std::unique_lock lock(m);
                         cv.wait_for(lock, stop, std::chrono::milliseconds(ms),
                                     [] { return false; });
                       });
                       if (!status.ok()) return status;
                       results[0] = Value::i32(ms * 2);
                       return Status{};
                     }});
  // Calls export `add(x, 100)` of the peer instance, from a blocking section.
  ok = imports->add({"test", "call_peer", i32_to_i32,
                     [](HostCall& call, std::span<const Value> args, std::span<Value> results) {
                       auto* peer = static_cast<GuestPeer*>(call.user_data());
                       Result<std::vector<Value>> answer =
                           make_error(ErrorCode::kInternal, "no answer");
                       Status status = call.blocking([&](std::stop_token stop) {
                         answer = peer->peer->call("add", {args[0], Value::i32(100)},
                                                   std::chrono::seconds(5), stop);
                       });
                       if (!status.ok()) return status;
                       if (!answer.ok()) return Status(answer.error());
                       results[0] = (*answer)[0];
                       return Status{};
                     }});
  ok = imports->add(
      {"test", "fail", FuncType{}, [](HostCall&, std::span<const Value>, std::span<Value>) {
         return Status(make_error(ErrorCode::kPermissionDenied, "the host says no"));
       }});
  (void)ok;
  return imports;
}

}  // namespace theater::wasm::testing
