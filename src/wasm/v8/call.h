// Calls across the V8 boundary, isolate locked: converting core values,
// calling an export, and the contexts handed to tasks and host functions.
#pragma once

#include <v8.h>

#include "wasm/engine.h"
#include "wasm/v8/instance_state.h"
#include "wasm/v8/isolate_executor.h"

namespace theater::wasm::v8backend {

v8::Local<v8::Value> to_js(v8::Isolate* isolate, const Value& value);
Value from_js(v8::Local<v8::Value> value, ValType type);

// Calls export `name` of the record's instance, checking the arguments
// against its type. Errors: unknown export, type mismatch, trap, host error,
// deadline or kill.
Result<std::vector<Value>> call_export(IsolateExecutor& executor, CallRecord& record,
                                       v8::Local<v8::Context> context, std::string_view name,
                                       std::span<const Value> args);

Result<MemoryView> memory_view(v8::Isolate* isolate, InstanceState& state);

// The InstanceContext of a task.
class TaskContext : public InstanceContext {
 public:
  TaskContext(IsolateExecutor& executor, CallRecord& record)
      : executor_(executor), record_(record) {}

  Result<std::vector<Value>> call(std::string_view export_name,
                                  std::span<const Value> args) override {
    // The call's handles die with it: a task's one HandleScope would otherwise
    // keep those of every call the task makes (about 20 bytes per call).
    v8::HandleScope handles(executor_.isolate());
    return call_export(executor_, record_, executor_.isolate()->GetCurrentContext(), export_name,
                       args);
  }
  Result<MemoryView> memory() override {
    return memory_view(executor_.isolate(), *record_.instance);
  }
  bool has_export(std::string_view export_name) const override;
  Deadline deadline() const override { return record_.deadline; }

 protected:
  IsolateExecutor& executor_;
  CallRecord& record_;
};

// The HostCall of one host function invocation.
class HostCallContext final : public HostCall {
 public:
  HostCallContext(IsolateExecutor& executor, CallRecord& record)
      : task_(executor, record), executor_(executor), record_(record) {}

  Result<std::vector<Value>> call(std::string_view export_name,
                                  std::span<const Value> args) override {
    return task_.call(export_name, args);
  }
  Result<MemoryView> memory() override { return task_.memory(); }
  bool has_export(std::string_view export_name) const override {
    return task_.has_export(export_name);
  }
  Deadline deadline() const override { return record_.deadline; }
  void* user_data() const override;
  Status blocking(const std::function<void(std::stop_token)>& wait) override {
    return executor_.park(record_, wait);
  }

 private:
  TaskContext task_;
  IsolateExecutor& executor_;
  CallRecord& record_;
};

// The V8 callback behind every host function.
void host_trampoline(const v8::FunctionCallbackInfo<v8::Value>& info);

}  // namespace theater::wasm::v8backend
