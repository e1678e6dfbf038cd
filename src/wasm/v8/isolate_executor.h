// An executor is one V8 isolate with one Context, the instances placed on it,
// and the run queue of those that have work. Pool threads drain the queue in
// batches under one Locker; a call that parks in a blocking section leaves the
// isolate (Unlocker) and hands the draining to another thread. The recipe and
// its pitfalls: reference/v8-study/README.md.
#pragma once

#include <v8.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <unordered_map>
#include <unordered_set>

#include "wasm/engine.h"
#include "wasm/v8/v8_platform.h"

namespace theater::wasm::v8backend {

class ThreadPool;
class Watchdog;
struct InstanceState;

// One task in flight on an executor. Lives on the stack of the thread running it.
struct CallRecord {
  InstanceState* instance = nullptr;
  Deadline deadline = Deadline::max();
  // Fires when a parked call must end. Made by the first park(): most calls
  // never park, and a stop_source costs a heap allocation.
  std::stop_source stop{std::nostopstate};
  bool term_requested = false;      // guarded by IsolateExecutor::call_mutex_
  std::optional<Error> failure;     // why it was stopped; guarded by call_mutex_
  std::optional<Error> host_error;  // first error a host function returned (owner thread only)
};

// A host function as bound into one isolate.
struct HostBinding {
  class IsolateExecutor* executor;
  const HostFunction* function;
  std::string label;  // "module.name", for error messages
};

class IsolateExecutor {
 public:
  IsolateExecutor(unsigned index, V8Platform& platform, ThreadPool& pool, Watchdog& watchdog,
                  const EngineConfig& config);
  ~IsolateExecutor();
  IsolateExecutor(const IsolateExecutor&) = delete;
  IsolateExecutor& operator=(const IsolateExecutor&) = delete;

  unsigned index() const { return index_; }
  v8::Isolate* isolate() const { return isolate_; }

  // --- instances --------------------------------------------------------
  void add_instance(const std::shared_ptr<InstanceState>& state);
  size_t instance_count() const;
  // The instance has queued tasks: put it in the run queue.
  void schedule(std::shared_ptr<InstanceState> state);
  // Runs `task` of the (claimed) instance on the calling thread when no other
  // thread drains this executor; false when one does.
  bool run_here_if_idle(const std::shared_ptr<InstanceState>& state, Task& task);
  // The instance was closed while idle: free its V8 objects at the next drain.
  void release(std::shared_ptr<InstanceState> state);

  // --- inside a task (isolate locked, on the draining thread) -----------
  CallRecord* running_call() const { return running_; }
  std::mutex& call_mutex() { return call_mutex_; }
  // Blocking section (see HostCall::blocking).
  Status park(CallRecord& record, const std::function<void(std::stop_token)>& wait);
  // Instantiates the state's module (isolate locked).
  Status instantiate_locked(InstanceState& state, v8::Local<v8::Context> context);
  void dispose_instance_locked(InstanceState& state);

  // --- control from other threads --------------------------------------
  // Stops expired calls; returns the earliest deadline still pending.
  Deadline stop_expired(Deadline now);
  // Stops the running or parked task of `state`, if any, with `why`.
  void stop_instance_call(const InstanceState& state, const Error& why);
  // Engine teardown: closes every instance and stops every call.
  void stop_everything(const Error& why);
  // Waits (bounded) until nothing runs or parks here; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  // Frees every V8 object and the isolate. Nothing may run here any more.
  void dispose();

  unsigned parked_calls() const;

  // Whether a draining thread still owns the draining (see isolate_executor.cpp).
  struct DrainRole;

 private:
  void drain();
  void run_next(const std::shared_ptr<InstanceState>& state, v8::Local<v8::Context> context);
  void run_task(InstanceState& state, Task& task, v8::Local<v8::Context> context);
  void finish_turn(const std::shared_ptr<InstanceState>& state);
  std::shared_ptr<InstanceState> next_ready();
  void give_up_draining();
  // Takes the isolate on this thread and runs `work` when no other thread
  // drains this executor; false when one does.
  bool lock_here_if_idle(const std::function<void(v8::Local<v8::Context>)>& work);
  void give_up_draining_to_pool();
  void free_released_locked();
  void begin_call(CallRecord& record);
  void end_call(CallRecord& record);
  void stop_call_locked(CallRecord& record, const Error& why);
  void yield_to_relocking_calls();

  v8::Local<v8::WasmModuleObject> module_object(const V8Module& module,
                                                v8::Local<v8::Context> context, Error& error);
  v8::Local<v8::Object> imports_object(const InstanceState& state, v8::Local<v8::Context> context);
  v8::Local<v8::Function> host_function(const std::shared_ptr<const HostImports>& imports,
                                        const HostFunction& function,
                                        v8::Local<v8::Context> context);
  v8::Local<v8::Value> wasm_constructor(v8::Local<v8::Context> context, const char* name);

  const unsigned index_;
  V8Platform& platform_;
  ThreadPool& pool_;
  Watchdog& watchdog_;
  const EngineConfig& config_;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Context> context_;

  // Run queue and instance registry.
  mutable std::mutex queue_mutex_;
  std::deque<std::shared_ptr<InstanceState>> ready_;
  std::vector<std::shared_ptr<InstanceState>> released_;
  std::unordered_map<const InstanceState*, std::shared_ptr<InstanceState>> instances_;
  bool has_drainer_ = false;
  bool stopping_ = false;
  std::condition_variable idle_cv_;
  unsigned active_threads_ = 0;  // threads inside drain() or park()

  // Which call owns the isolate and which are parked (the watchdog reads these).
  mutable std::mutex call_mutex_;
  CallRecord* running_ = nullptr;
  std::unordered_set<CallRecord*> parked_;
  std::atomic<int> relock_waiters_{0};

  // Per-isolate V8 caches; touched only with the isolate locked.
  struct ModuleEntry {
    std::weak_ptr<const V8Module> module;
    v8::Global<v8::WasmModuleObject> object;
  };
  std::unordered_map<uint64_t, ModuleEntry> modules_;
  struct ImportsEntry {
    std::weak_ptr<const V8Module> module;
    std::shared_ptr<const HostImports> imports;
    v8::Global<v8::Object> object;
  };
  std::unordered_map<std::string, ImportsEntry> imports_;
  struct FunctionEntry {
    std::shared_ptr<const HostImports> imports;  // keeps the HostFunction alive
    std::unique_ptr<HostBinding> binding;
    v8::Global<v8::Function> function;
  };
  std::unordered_map<const HostFunction*, FunctionEntry> functions_;
  v8::Global<v8::Function> memory_ctor_, instance_ctor_;
};

}  // namespace theater::wasm::v8backend
