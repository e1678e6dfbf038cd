#include "wasm/v8/isolate_executor.h"

#include <libplatform/libplatform.h>

#include <algorithm>
#include <thread>

#include "wasm/v8/call.h"
#include "wasm/v8/instance_state.h"
#include "wasm/v8/thread_pool.h"
#include "wasm/v8/watchdog.h"

namespace theater::wasm::v8backend {

// Whether the thread running a drain still owns the draining of its
// executor. A call that parks hands the draining to another thread; when it
// resumes it finishes its task and leaves.
struct IsolateExecutor::DrainRole {
  bool owner = true;
};

namespace {

thread_local IsolateExecutor::DrainRole* tl_role = nullptr;
// True while this thread holds an isolate's lock (outside blocking sections).
thread_local bool tl_holds_isolate = false;

class HoldsIsolate {
 public:
  HoldsIsolate() : outer_(std::exchange(tl_holds_isolate, true)) {}
  ~HoldsIsolate() { tl_holds_isolate = outer_; }
  HoldsIsolate(const HoldsIsolate&) = delete;
  HoldsIsolate& operator=(const HoldsIsolate&) = delete;

 private:
  bool outer_;
};

// V8 keeps one entry stack per isolate, not per thread: a thread that parks
// while entered corrupts it when another thread enters meanwhile
// (reference/v8-study). So entries are counted per thread, and a parking
// thread exits as often as it entered and re-enters as often afterwards.
thread_local std::vector<std::pair<v8::Isolate*, int>> tl_entries;

int& entry_depth(v8::Isolate* isolate) {
  for (auto& [iso, depth] : tl_entries)
    if (iso == isolate) return depth;
  return tl_entries.emplace_back(isolate, 0).second;
}

class EntryScope {
 public:
  explicit EntryScope(v8::Isolate* isolate) : isolate_(isolate) {
    isolate_->Enter();
    entry_depth(isolate_)++;
  }
  ~EntryScope() {
    entry_depth(isolate_)--;
    isolate_->Exit();
  }
  EntryScope(const EntryScope&) = delete;
  EntryScope& operator=(const EntryScope&) = delete;

 private:
  v8::Isolate* isolate_;
};

v8::Local<v8::String> js_string(v8::Isolate* isolate, const std::string& text) {
  return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(text.size()))
      .ToLocalChecked();
}

std::string mib(uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

void cancel_tasks(std::deque<Task>& tasks, const Error& why) {
  for (Task& task : tasks)
    if (task.cancelled) task.cancelled(why);
  tasks.clear();
}

IsolateExecutor::IsolateExecutor(unsigned index, V8Platform& platform, ThreadPool& pool,
                                 Watchdog& watchdog, const EngineConfig& config)
    : index_(index), platform_(platform), pool_(pool), watchdog_(watchdog), config_(config) {
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = platform.allocator();
  isolate_ = v8::Isolate::New(params);
  v8::Locker locker(isolate_);
  EntryScope entry(isolate_);
  v8::HandleScope handles(isolate_);
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  context_.Reset(isolate_, context);
  v8::Context::Scope context_scope(context);
  memory_ctor_.Reset(isolate_, wasm_constructor(context, "Memory").As<v8::Function>());
  instance_ctor_.Reset(isolate_, wasm_constructor(context, "Instance").As<v8::Function>());
}

IsolateExecutor::~IsolateExecutor() {
  if (isolate_) dispose();
}

v8::Local<v8::Value> IsolateExecutor::wasm_constructor(v8::Local<v8::Context> context,
                                                       const char* name) {
  v8::Local<v8::Value> wasm =
      context->Global()->Get(context, js_string(isolate_, "WebAssembly")).ToLocalChecked();
  return wasm.As<v8::Object>()->Get(context, js_string(isolate_, name)).ToLocalChecked();
}

// --- scheduling ------------------------------------------------------------

void IsolateExecutor::add_instance(const std::shared_ptr<InstanceState>& state) {
  std::lock_guard lock(queue_mutex_);
  instances_.emplace(state.get(), state);
}

size_t IsolateExecutor::instance_count() const {
  std::lock_guard lock(queue_mutex_);
  return instances_.size();
}

unsigned IsolateExecutor::parked_calls() const {
  std::lock_guard lock(call_mutex_);
  return static_cast<unsigned>(parked_.size());
}

void IsolateExecutor::schedule(std::shared_ptr<InstanceState> state) {
  bool start_drain = false;
  {
    std::lock_guard lock(queue_mutex_);
    ready_.push_back(std::move(state));
    start_drain = !has_drainer_;
    has_drainer_ = true;
  }
  if (start_drain) pool_.submit([this] { drain(); });
}

// The next instance with work; null when the queue is empty, in which case
// this thread stops draining unless released instances wait to be freed.
std::shared_ptr<InstanceState> IsolateExecutor::next_ready() {
  std::lock_guard lock(queue_mutex_);
  if (!ready_.empty()) {
    std::shared_ptr<InstanceState> state = std::move(ready_.front());
    ready_.pop_front();
    return state;
  }
  if (released_.empty()) {
    has_drainer_ = false;
    tl_role->owner = false;
  }
  return nullptr;
}

void IsolateExecutor::drain() {
  DrainRole role;
  DrainRole* outer = std::exchange(tl_role, &role);
  {
    std::lock_guard lock(queue_mutex_);
    active_threads_++;
  }
  while (role.owner) {
    {
      v8::Locker locker(isolate_);
      HoldsIsolate holds;
      EntryScope entry(isolate_);
      v8::HandleScope handles(isolate_);
      v8::Local<v8::Context> context = context_.Get(isolate_);
      v8::Context::Scope context_scope(context);
      free_released_locked();
      for (unsigned n = 0; n < config_.batch_size && role.owner; ++n) {
        std::shared_ptr<InstanceState> state = next_ready();
        if (!state) break;
        run_next(state, context);
      }
      // V8 posts foreground tasks (GC finalisation and the like) that only
      // run when the embedder pumps them.
      while (v8::platform::PumpMessageLoop(platform_.platform(), isolate_)) {
      }
    }
    if (role.owner) yield_to_relocking_calls();
  }
  tl_role = outer;
  std::lock_guard lock(queue_mutex_);
  active_threads_--;
  idle_cv_.notify_all();
}

bool IsolateExecutor::lock_here_if_idle(const std::function<void(v8::Local<v8::Context>)>& work) {
  {
    std::lock_guard lock(queue_mutex_);
    if (has_drainer_ || stopping_) return false;
    has_drainer_ = true;
    active_threads_++;
  }
  DrainRole role;
  DrainRole* outer = std::exchange(tl_role, &role);
  {
    v8::Locker locker(isolate_);
    HoldsIsolate holds;
    EntryScope entry(isolate_);
    v8::HandleScope handles(isolate_);
    v8::Local<v8::Context> context = context_.Get(isolate_);
    v8::Context::Scope context_scope(context);
    free_released_locked();
    work(context);
  }
  tl_role = outer;
  if (role.owner) give_up_draining_to_pool();
  std::lock_guard lock(queue_mutex_);
  active_threads_--;
  idle_cv_.notify_all();
  return true;
}

bool IsolateExecutor::run_here_if_idle(const std::shared_ptr<InstanceState>& state, Task& task) {
  return lock_here_if_idle([&](v8::Local<v8::Context> context) {
    run_task(*state, task, context);
    finish_turn(state);
  });
}

void IsolateExecutor::release(std::shared_ptr<InstanceState> state) {
  // The caller is about to return anyway: free it here when nothing else
  // holds the isolate, saving a hand-off to a pool thread.
  if (!current_thread_runs_wasm() && lock_here_if_idle([&](v8::Local<v8::Context>) {
        if (!state->disposed) dispose_instance_locked(*state);
      })) {
    return;
  }
  bool start_drain = false;
  {
    std::lock_guard lock(queue_mutex_);
    released_.push_back(std::move(state));
    start_drain = !has_drainer_;
    has_drainer_ = true;
  }
  if (start_drain) pool_.submit([this] { drain(); });
}

// A mutex gives no fairness: without this, a busy drainer could re-lock the
// isolate before a resumed parked call ever gets it.
void IsolateExecutor::yield_to_relocking_calls() {
  for (int spins = 0; relock_waiters_.load() > 0 && spins < 1000; ++spins)
    std::this_thread::yield();
}

void IsolateExecutor::free_released_locked() {
  std::vector<std::shared_ptr<InstanceState>> released;
  {
    std::lock_guard lock(queue_mutex_);
    released.swap(released_);
  }
  for (auto& state : released) {
    // A scheduled instance is freed when its turn finishes instead.
    if (!state->mailbox.scheduled() && !state->disposed) dispose_instance_locked(*state);
  }
}

void IsolateExecutor::run_next(const std::shared_ptr<InstanceState>& state,
                               v8::Local<v8::Context> context) {
  std::optional<Task> task = state->mailbox.take();
  if (!task) {
    // Idle now (empty, paused or closed); a closed one is freed here.
    if (state->mailbox.closed() && !state->disposed) dispose_instance_locked(*state);
    return;
  }
  run_task(*state, *task, context);
  finish_turn(state);
}

void IsolateExecutor::run_task(InstanceState& state, Task& task, v8::Local<v8::Context> context) {
  if (Clock::now() >= task.deadline) {
    if (task.cancelled) {
      task.cancelled(
          make_error(ErrorCode::kDeadlineExceeded,
                     "the task's deadline passed while it waited in the instance's queue"));
    }
    return;
  }
  CallRecord record;
  record.instance = &state;
  record.deadline = task.deadline;
  if (task.run_timeout.count() > 0)
    record.deadline = std::min(task.deadline, deadline_in(task.run_timeout));
  begin_call(record);
  {
    v8::HandleScope handles(isolate_);
    TaskContext task_context(*this, record);
    task.run(task_context);
  }
  end_call(record);
}

void IsolateExecutor::finish_turn(const std::shared_ptr<InstanceState>& state) {
  if (state->mailbox.finish_turn()) {
    schedule(state);  // to the back of the queue: instances take turns
  } else if (state->mailbox.closed() && !state->disposed) {
    dispose_instance_locked(*state);
  }
}

void IsolateExecutor::begin_call(CallRecord& record) {
  {
    std::lock_guard lock(call_mutex_);
    running_ = &record;
  }
  if (record.deadline != Deadline::max()) watchdog_.watch(record.deadline);
}

void IsolateExecutor::end_call(CallRecord& record) {
  bool terminated;
  {
    std::lock_guard lock(call_mutex_);
    running_ = nullptr;
    terminated = record.term_requested;
  }
  // A termination meant for this call must not leak into the next one.
  if (terminated) isolate_->CancelTerminateExecution();
  record.instance->tasks_run.fetch_add(1, std::memory_order_relaxed);
}

// --- blocking sections -----------------------------------------------------

void IsolateExecutor::give_up_draining() {
  if (tl_role == nullptr || !tl_role->owner) return;
  tl_role->owner = false;
  give_up_draining_to_pool();
}

// This thread stops draining: a pool thread takes over if work is waiting.
void IsolateExecutor::give_up_draining_to_pool() {
  bool start_drain;
  {
    std::lock_guard lock(queue_mutex_);
    start_drain = !ready_.empty() || !released_.empty();
    has_drainer_ = start_drain;
  }
  if (start_drain) pool_.submit([this] { drain(); });
}

Status IsolateExecutor::park(CallRecord& record, const std::function<void(std::stop_token)>& wait) {
  {
    std::lock_guard lock(call_mutex_);
    if (record.term_requested && record.failure) return *record.failure;
    if (parked_.size() >= config_.max_parked_calls_per_isolate) {
      return make_error(ErrorCode::kResourceExhausted,
                        "isolate " + std::to_string(index_) + " already has " +
                            std::to_string(parked_.size()) +
                            " calls parked in blocking sections (the cap); refusing another");
    }
    if (!record.stop.stop_possible()) record.stop = std::stop_source();
    running_ = nullptr;
    parked_.insert(&record);
  }
  give_up_draining();
  const int depth = entry_depth(isolate_);
  for (int i = 0; i < depth; ++i) isolate_->Exit();
  {
    v8::Unlocker unlocker(isolate_);
    tl_holds_isolate = false;
    wait(record.stop.get_token());
    relock_waiters_.fetch_add(1);
  }
  tl_holds_isolate = true;
  relock_waiters_.fetch_sub(1);
  for (int i = 0; i < depth; ++i) isolate_->Enter();
  bool stopped;
  {
    std::lock_guard lock(call_mutex_);
    parked_.erase(&record);
    running_ = &record;
    stopped = record.stop.stop_requested();
    if (stopped) record.term_requested = true;
  }
  if (stopped) {
    // Terminate, so wasm frames above cannot catch the error the host
    // function is about to throw.
    isolate_->TerminateExecution();
    return *record.failure;
  }
  return {};
}

// --- stopping calls --------------------------------------------------------

void IsolateExecutor::stop_call_locked(CallRecord& record, const Error& why) {
  if (record.term_requested || record.stop.stop_requested()) return;
  record.failure = why;
  if (&record == running_) {
    // Only the thread holding the isolate runs JS, and it runs this call.
    record.term_requested = true;
    isolate_->TerminateExecution();
  } else if (parked_.count(&record)) {
    record.stop.request_stop();  // it terminates itself after re-locking
  }
}

Deadline IsolateExecutor::stop_expired(Deadline now) {
  Deadline earliest = Deadline::max();
  std::lock_guard lock(call_mutex_);
  auto visit = [&](CallRecord& record) {
    if (record.term_requested || record.stop.stop_requested()) return;
    if (record.deadline <= now) {
      stop_call_locked(record, make_error(ErrorCode::kDeadlineExceeded,
                                          "the call ran past its deadline and was stopped"));
    } else {
      earliest = std::min(earliest, record.deadline);
    }
  };
  if (running_) visit(*running_);
  for (CallRecord* record : parked_) visit(*record);
  return earliest;
}

void IsolateExecutor::stop_instance_call(const InstanceState& state, const Error& why) {
  std::lock_guard lock(call_mutex_);
  if (running_ && running_->instance == &state) stop_call_locked(*running_, why);
  for (CallRecord* record : parked_)
    if (record->instance == &state) stop_call_locked(*record, why);
}

void IsolateExecutor::stop_everything(const Error& why) {
  std::vector<std::shared_ptr<InstanceState>> all;
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
    for (auto& [key, state] : instances_) all.push_back(state);
  }
  for (auto& state : all) {
    Mailbox::Closed closed = state->mailbox.close();
    cancel_tasks(closed.tasks, why);
  }
  std::lock_guard lock(call_mutex_);
  if (running_) stop_call_locked(*running_, why);
  for (CallRecord* record : parked_) stop_call_locked(*record, why);
}

bool IsolateExecutor::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(queue_mutex_);
  return idle_cv_.wait_for(lock, timeout, [&] { return active_threads_ == 0 && !has_drainer_; });
}

// --- V8 objects ------------------------------------------------------------

void IsolateExecutor::dispose_instance_locked(InstanceState& state) {
  state.export_cache.clear();
  state.exports.Reset();
  state.memory.Reset();
  state.instance.Reset();
  state.disposed = true;
  std::lock_guard lock(queue_mutex_);
  instances_.erase(&state);
}

void IsolateExecutor::dispose() {
  {
    v8::Locker locker(isolate_);
    EntryScope entry(isolate_);
    v8::HandleScope handles(isolate_);
    std::vector<std::shared_ptr<InstanceState>> all;
    {
      std::lock_guard lock(queue_mutex_);
      for (auto& [key, state] : instances_) all.push_back(state);
      all.insert(all.end(), released_.begin(), released_.end());
      released_.clear();
      ready_.clear();
    }
    for (auto& state : all)
      if (!state->disposed) dispose_instance_locked(*state);
    modules_.clear();
    imports_.clear();
    functions_.clear();
    memory_ctor_.Reset();
    instance_ctor_.Reset();
    context_.Reset();
  }
  isolate_->Dispose();
  isolate_ = nullptr;
}

v8::Local<v8::WasmModuleObject> IsolateExecutor::module_object(const V8Module& module,
                                                               v8::Local<v8::Context> context,
                                                               Error& error) {
  auto it = modules_.find(module.id());
  if (it != modules_.end()) return it->second.object.Get(isolate_);
  // Forget modules nobody uses any more before adding one.
  std::erase_if(modules_, [](const auto& entry) { return entry.second.module.expired(); });
  std::erase_if(imports_, [](const auto& entry) { return entry.second.module.expired(); });
  std::erase_if(functions_,
                [](const auto& entry) { return entry.second.imports.use_count() == 1; });
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::WasmModuleObject> object;
  if (!v8::WasmModuleObject::FromCompiledModule(isolate_, module.compiled()).ToLocal(&object)) {
    error = make_error(ErrorCode::kInternal, "V8 could not load the compiled module: " +
                                                 exception_message(isolate_, try_catch));
    return {};
  }
  ModuleEntry entry;
  entry.object.Reset(isolate_, object);
  modules_.emplace(module.id(), std::move(entry));
  return object;
}

v8::Local<v8::Function> IsolateExecutor::host_function(
    const std::shared_ptr<const HostImports>& imports, const HostFunction& function,
    v8::Local<v8::Context> context) {
  auto it = functions_.find(&function);
  if (it != functions_.end()) return it->second.function.Get(isolate_);
  FunctionEntry entry;
  entry.imports = imports;
  entry.binding = std::make_unique<HostBinding>(
      HostBinding{this, &function, function.module + "." + function.name});
  v8::Local<v8::Function> fn =
      v8::FunctionTemplate::New(isolate_, host_trampoline,
                                v8::External::New(isolate_, entry.binding.get()))
          ->GetFunction(context)
          .ToLocalChecked();
  entry.function.Reset(isolate_, fn);
  functions_.emplace(&function, std::move(entry));
  return fn;
}

v8::Local<v8::Object> IsolateExecutor::imports_object(const InstanceState& state,
                                                      v8::Local<v8::Context> context) {
  std::string key = std::to_string(state.module->id()) + ":" + std::to_string(state.imports->id());
  auto it = imports_.find(key);
  if (it != imports_.end()) return it->second.object.Get(isolate_);

  const ModuleInfo& info = state.module->info();
  v8::Local<v8::Object> root = v8::Object::New(isolate_);
  auto namespace_object = [&](const std::string& name) {
    v8::Local<v8::String> key_string = js_string(isolate_, name);
    v8::Local<v8::Value> existing = root->Get(context, key_string).ToLocalChecked();
    if (existing->IsObject()) return existing.As<v8::Object>();
    v8::Local<v8::Object> ns = v8::Object::New(isolate_);
    root->Set(context, key_string, ns).Check();
    return ns;
  };
  for (const ImportInfo& import : info.imports) {
    v8::Local<v8::Object> ns = namespace_object(import.module);
    if (import.kind != ExternKind::kFunction) continue;
    // check_imports() ran before: every function import has a host function.
    const HostFunction* function = state.imports->find(import.module, import.name);
    ns->Set(context, js_string(isolate_, import.name),
            host_function(state.imports, *function, context))
        .Check();
  }
  if (info.memory) namespace_object(info.memory_import_module);
  ImportsEntry entry;
  entry.module = state.module;
  entry.imports = state.imports;
  entry.object.Reset(isolate_, root);
  imports_.emplace(std::move(key), std::move(entry));
  return root;
}

Status IsolateExecutor::instantiate_locked(InstanceState& state, v8::Local<v8::Context> context) {
  Error error;
  v8::Local<v8::WasmModuleObject> module = module_object(*state.module, context, error);
  if (module.IsEmpty()) return error;
  v8::Local<v8::Object> imports = imports_object(state, context);
  const ModuleInfo& info = state.module->info();
  v8::TryCatch try_catch(isolate_);

  v8::Local<v8::Object> memory;
  v8::Local<v8::Object> memory_ns;
  v8::Local<v8::String> memory_name;
  if (info.memory) {
    const uint64_t limit_pages =
        std::min<uint64_t>(state.options.max_memory_bytes / kWasmPageSize, kMaxMemoryPages);
    const uint32_t initial = info.memory->initial_pages;
    if (initial > limit_pages) {
      return make_error(
          ErrorCode::kResourceExhausted,
          "the module needs " + std::to_string(initial) + " pages (" +
              mib(initial * kWasmPageSize) + ") of initial memory, above the instance's limit of " +
              std::to_string(limit_pages) + " pages (" + mib(limit_pages * kWasmPageSize) + ")");
    }
    const uint64_t maximum =
        std::min<uint64_t>(info.memory->maximum_pages.value_or(kMaxMemoryPages), limit_pages);
    v8::Local<v8::Object> descriptor = v8::Object::New(isolate_);
    descriptor->Set(context, js_string(isolate_, "initial"), v8::Number::New(isolate_, initial))
        .Check();
    descriptor
        ->Set(context, js_string(isolate_, "maximum"), v8::Number::New(isolate_, double(maximum)))
        .Check();
    v8::Local<v8::Value> args[] = {descriptor};
    if (!memory_ctor_.Get(isolate_)->NewInstance(context, 1, args).ToLocal(&memory)) {
      return make_error(
          ErrorCode::kResourceExhausted,
          "could not allocate the instance's memory: " + exception_message(isolate_, try_catch));
    }
    memory_ns = imports->Get(context, js_string(isolate_, info.memory_import_module))
                    .ToLocalChecked()
                    .As<v8::Object>();
    memory_name = js_string(isolate_, info.memory_import_name);
    memory_ns->Set(context, memory_name, memory).Check();
  }
  v8::Local<v8::Value> args[] = {module, imports};
  v8::Local<v8::Object> instance;
  bool ok = instance_ctor_.Get(isolate_)->NewInstance(context, 2, args).ToLocal(&instance);
  // The cached imports object must not keep this instance's memory alive.
  if (!memory_ns.IsEmpty()) memory_ns->Delete(context, memory_name).Check();
  if (!ok) {
    return make_error(ErrorCode::kInvalidArgument,
                      "instantiation failed: " + exception_message(isolate_, try_catch));
  }
  state.instance.Reset(isolate_, instance);
  if (!memory.IsEmpty()) {
    state.memory.Reset(isolate_, memory);
    state.memory_bytes = memory.As<v8::WasmMemoryObject>()->Buffer()->ByteLength();
  }
  state.exports.Reset(
      isolate_,
      instance->Get(context, js_string(isolate_, "exports")).ToLocalChecked().As<v8::Object>());
  return {};
}

}  // namespace theater::wasm::v8backend

namespace theater::wasm {
bool current_thread_runs_wasm() {
  return v8backend::tl_holds_isolate;
}
}  // namespace theater::wasm
