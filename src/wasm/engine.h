// The engine interface: compile modules, instantiate them with host imports,
// run work on an instance. One backend per folder (v8/ today); callers only
// see this header, plus their backend's factory (v8/v8_engine.h).
//
// Execution model (DESIGN.md, "Execution model around V8"): an instance lives
// on one isolate (its "executor") for its whole life and runs one task at a time,
// always. Work reaches an instance only as a Task posted to its bounded
// mailbox; the task runs on the executor's thread with the instance locked
// and gets an InstanceContext to call exports and read memory. Host functions
// that must wait do so in a blocking section (HostCall::blocking), which lets
// the executor run other instances meanwhile. Every task has a deadline; a
// watchdog stops only the task it means.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "wasm/host_imports.h"
#include "wasm/memory_view.h"
#include "wasm/module_info.h"
#include "wasm/task.h"
#include "wasm/value.h"

namespace theater::wasm {

enum class MemoryMode {
  // Explicit bounds checks: a memory reserves only its maximum, so many small
  // instances fit in one process (100k+). A little slower on memory-heavy code.
  kBoundsChecks,
  // Guard regions and V8's trap handler: fastest, but every memory reserves
  // ~10 GiB of address space (about 13k live instances per process).
  kGuardRegions,
};

const char* to_string(MemoryMode mode);
Result<MemoryMode> parse_memory_mode(std::string_view text);

struct EngineConfig {
  unsigned isolates = 0;  // 0: one per core
  // Fixed for the whole process by the first engine created (V8 allows the
  // trap handler to be chosen only once, before any module exists).
  MemoryMode memory_mode = MemoryMode::kBoundsChecks;
  // Calls parked in blocking sections per isolate; each pins a thread. Past
  // the cap a blocking section is refused with kResourceExhausted.
  unsigned max_parked_calls_per_isolate = 256;
  // Tasks waiting in one instance's mailbox; past it post() is refused.
  unsigned max_pending_tasks_per_instance = 1024;
  // Tasks run under one isolate lock before it is offered to parked calls.
  unsigned batch_size = 32;
  // Pool threads above the per-isolate core set exit after this idle time.
  std::chrono::milliseconds idle_thread_linger{2000};
};

struct InstanceOptions {
  // The instance's memory may never grow past this; a memory that declares no
  // maximum gets this one. A module whose initial memory exceeds it is refused.
  uint64_t max_memory_bytes = 256ull << 20;
  // Handed back to host functions through HostCall::user_data().
  void* user_data = nullptr;
  // Run the reactor's `_initialize` export (when present) right after
  // instantiation, as wasi-libc reactors require.
  bool call_initialize = true;
  // Bounds instantiation plus `_initialize`.
  std::chrono::milliseconds timeout{60000};
};

class Instance;

// What a running task (or a host function) can do with its instance.
class InstanceContext {
 public:
  virtual ~InstanceContext() = default;

  // Calls an export of this instance. Arguments are checked against the
  // export's type. A trap, a failing host function or the task's deadline
  // ends the call with an error; the instance stays usable afterwards.
  virtual Result<std::vector<Value>> call(std::string_view export_name,
                                          std::span<const Value> args) = 0;
  Result<std::vector<Value>> call(std::string_view export_name, std::initializer_list<Value> args) {
    return call(export_name, std::span<const Value>(args.begin(), args.size()));
  }
  // A fresh view of the instance's memory (memory.grow may move it).
  virtual Result<MemoryView> memory() = 0;
  virtual bool has_export(std::string_view export_name) const = 0;
  virtual Deadline deadline() const = 0;
};

// Given to a host function for the duration of one call from the guest.
class HostCall : public InstanceContext {
 public:
  virtual void* user_data() const = 0;

  // Leaves the isolate while `wait` runs (other instances on the isolate run
  // meanwhile), then re-enters it. `wait` must return promptly once its stop
  // token fires: the token fires at the task's deadline or when it is killed,
  // and the call then ends with that error. Refused with kResourceExhausted
  // when the isolate already has its maximum of parked calls.
  virtual Status blocking(const std::function<void(std::stop_token)>& wait) = 0;
};

struct InstanceStats {
  uint64_t tasks_run = 0;
  uint64_t queued_tasks = 0;  // waiting in the mailbox now
  uint64_t memory_bytes = 0;
};

class Instance {
 public:
  virtual ~Instance() = default;

  // Queues a task in the instance's mailbox (wasm/mailbox.h: tasks run in the
  // order accepted); refused (kResourceExhausted) when the mailbox is full,
  // (kUnavailable) when the instance or engine is closed. A refused task is
  // left as it was, so the caller can keep what it holds and post it again
  // when notify_when_space() wakes it.
  virtual Status post(Task&& task) = 0;
  // Calls `wake` (once, on any thread, without blocking) when a full mailbox
  // has room again or the instance closed; at once when there is room.
  virtual void notify_when_space(std::function<void()> wake) = 0;

  // While paused, queued and newly posted tasks wait, in order (the task
  // running now finishes); resume() runs them from where they stopped.
  virtual void pause() = 0;
  virtual void resume() = 0;

  // Stops taking tasks, cancels queued ones, and frees the instance once the
  // running task (if any) ends. Idempotent; also done by the destructor.
  virtual void close() = 0;

  // Stops the task running now (running or parked), if any: its current and
  // later calls fail with `why`. The instance stays usable for later tasks.
  virtual void interrupt(const Error& why) = 0;

  virtual const ModuleInfo& module_info() const = 0;
  virtual unsigned isolate_index() const = 0;
  virtual InstanceStats stats() const = 0;

  // Convenience for callers outside the engine: runs one export call as a
  // task and waits for it. Never call it from a task or host function (it
  // would wait on itself); use post() there.
  // From a blocking section, pass the section's stop token so the wait ends
  // with the calling task.
  Result<std::vector<Value>> call(std::string_view export_name, std::vector<Value> args,
                                  std::chrono::milliseconds timeout, std::stop_token stop = {});
  // Runs `fn` as a task and waits for it, with the same rules as call().
  Status run(std::function<void(InstanceContext&)> fn, std::chrono::milliseconds timeout,
             std::stop_token stop = {});

 protected:
  // For run()/call(), whose caller waits anyway: runs the task on this thread
  // when the instance and its isolate are idle, saving two thread hand-offs.
  // False when it did not run it (the task is then posted as usual). post()
  // itself never runs a task on the caller's thread.
  virtual bool try_run_here(Task& task) { return false; }
};

// A compiled module; cheap to share. The same bytes compile once per process.
class Module {
 public:
  virtual ~Module() = default;
  virtual const ModuleInfo& info() const = 0;
  virtual const std::string& sha256_hex() const = 0;
};

struct EngineStats {
  unsigned isolates = 0;
  unsigned pool_threads = 0;
  unsigned parked_calls = 0;
  uint64_t live_instances = 0;
  uint64_t module_cache_hits = 0;
  uint64_t module_cache_misses = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // Compiles (or finds in the process-wide cache, keyed by SHA-256 of the bytes).
  virtual Result<std::shared_ptr<Module>> compile(std::span<const uint8_t> bytes) = 0;

  // Instantiates on the least loaded isolate and waits for it (never call
  // from a task or host function). Imports are checked by name and type
  // first: a missing or mismatched import is an error naming it.
  virtual Result<std::shared_ptr<Instance>> instantiate(const std::shared_ptr<Module>& module,
                                                        std::shared_ptr<const HostImports> imports,
                                                        const InstanceOptions& options) = 0;

  virtual const EngineConfig& config() const = 0;
  virtual EngineStats stats() const = 0;
};

// True on a thread that holds an isolate (inside a task or host function,
// outside blocking sections): such a thread must not wait for engine work.
bool current_thread_runs_wasm();

// Releases process-wide engine state (module cache, V8 itself) at exit, after
// every engine is gone. Optional: a process may simply exit.
void shutdown_engines();

}  // namespace theater::wasm
