// Host functions offered to guests, grouped in one immutable set that many
// instances share. A host function is described by its import name and core
// type; its callback receives the call's context, the arguments and room for
// the results.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "wasm/value.h"

namespace theater::wasm {

class HostCall;

// Returning an error traps the guest's call with that error's message; the
// error (code included) reaches whoever ran the task.
using HostCallback =
    std::function<Status(HostCall& call, std::span<const Value> args, std::span<Value> results)>;

struct HostFunction {
  std::string module;  // e.g. "theater:simple/runtime"
  std::string name;    // e.g. "log"
  FuncType type;
  HostCallback callback;
};

// The most parameters and results a host function may declare (wasm allows
// more; no host interface needs them, and fixed bounds keep calls allocation-free).
inline constexpr size_t kMaxHostParams = 32;
inline constexpr size_t kMaxHostResults = 8;

class HostImports {
 public:
  HostImports() : id_(next_id_.fetch_add(1)) {}

  // Adds a function; an error if the name is taken or the type too large.
  Status add(HostFunction function);
  // Adds every function of `other` (same rules).
  Status add_all(const HostImports& other);

  const HostFunction* find(std::string_view module, std::string_view name) const;
  const std::vector<HostFunction>& functions() const { return functions_; }
  // Unique per set for the life of the process: engines key caches by it.
  uint64_t id() const { return id_; }

 private:
  static std::string key(std::string_view module, std::string_view name);
  static inline std::atomic<uint64_t> next_id_{1};
  uint64_t id_;
  std::vector<HostFunction> functions_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace theater::wasm
