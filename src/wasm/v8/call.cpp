#include "wasm/v8/call.h"

#include <array>

namespace theater::wasm::v8backend {
namespace {

v8::Local<v8::String> js_string(v8::Isolate* isolate, std::string_view text) {
  return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(text.size()))
      .ToLocalChecked();
}

Error signature_mismatch(std::string_view name, const FuncType& type, std::span<const Value> args) {
  std::string given = "(";
  for (size_t i = 0; i < args.size(); ++i)
    given += (i ? ", " : "") + std::string(to_string(args[i].type()));
  given += ")";
  return make_error(ErrorCode::kInvalidArgument, "export " + std::string(name) + " has type " +
                                                     type.to_string() + " but was called with " +
                                                     given);
}

// Finds (and caches) the export's function and type.
Result<InstanceState::ExportEntry*> find_export(v8::Isolate* isolate, InstanceState& state,
                                                v8::Local<v8::Context> context,
                                                std::string_view name) {
  auto it = state.export_cache.find(name);
  if (it != state.export_cache.end()) return &it->second;
  const ExportInfo* info = state.module->info().find_export(name);
  if (!info || info->kind != ExternKind::kFunction) {
    return make_error(ErrorCode::kNotFound,
                      "the module exports no function named " + std::string(name));
  }
  if (!info->func_type) {
    return make_error(ErrorCode::kInvalidArgument,
                      "export " + std::string(name) +
                          " uses value types the host cannot pass (v128 or references)");
  }
  v8::Local<v8::Value> fn;
  if (!state.exports.Get(isolate)->Get(context, js_string(isolate, name)).ToLocal(&fn) ||
      !fn->IsFunction()) {
    return make_error(ErrorCode::kInternal, "V8 has no function for export " + std::string(name));
  }
  InstanceState::ExportEntry entry;
  entry.function.Reset(isolate, fn.As<v8::Function>());
  entry.info = info;
  return &state.export_cache.emplace(std::string(name), std::move(entry)).first->second;
}

// Why a call into wasm returned no value.
Error call_failure(v8::Isolate* isolate, v8::TryCatch& try_catch, CallRecord& record,
                   std::string_view name, std::mutex& call_mutex) {
  {
    std::lock_guard lock(call_mutex);
    if (record.term_requested && record.failure) return *record.failure;
  }
  if (try_catch.HasTerminated()) {
    return make_error(ErrorCode::kCancelled, "call to " + std::string(name) + " was terminated");
  }
  if (record.host_error) return *record.host_error;
  return make_error(ErrorCode::kTrap, "wasm trap in " + std::string(name) + ": " +
                                          exception_message(isolate, try_catch));
}

}  // namespace

v8::Local<v8::Value> to_js(v8::Isolate* isolate, const Value& value) {
  switch (value.type()) {
    case ValType::kI32:
      return v8::Integer::New(isolate, value.as_i32());
    case ValType::kI64:
      return v8::BigInt::New(isolate, value.as_i64());
    case ValType::kF32:
      return v8::Number::New(isolate, value.as_f32());
    case ValType::kF64:
      return v8::Number::New(isolate, value.as_f64());
  }
  return v8::Undefined(isolate);
}

// V8's wasm wrappers hand us exactly these representations: i32 as a Number
// holding an int32, i64 as a BigInt, floats as Numbers.
Value from_js(v8::Local<v8::Value> value, ValType type) {
  switch (type) {
    case ValType::kI32:
      return Value::i32(value.As<v8::Int32>()->Value());
    case ValType::kI64:
      return Value::i64(value.As<v8::BigInt>()->Int64Value());
    case ValType::kF32:
      return Value::f32(static_cast<float>(value.As<v8::Number>()->Value()));
    case ValType::kF64:
      return Value::f64(value.As<v8::Number>()->Value());
  }
  return Value();
}

Result<std::vector<Value>> call_export(IsolateExecutor& executor, CallRecord& record,
                                       v8::Local<v8::Context> context, std::string_view name,
                                       std::span<const Value> args) {
  v8::Isolate* isolate = executor.isolate();
  InstanceState& state = *record.instance;
  if (record.term_requested && record.failure) return *record.failure;
  THEATER_ASSIGN_OR_RETURN(InstanceState::ExportEntry * entry,
                           find_export(isolate, state, context, name));
  const FuncType& type = *entry->info->func_type;
  if (args.size() != type.params.size()) return signature_mismatch(name, type, args);
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type() != type.params[i]) return signature_mismatch(name, type, args);

  constexpr size_t kInline = 16;
  std::array<v8::Local<v8::Value>, kInline> inline_argv;
  std::vector<v8::Local<v8::Value>> heap_argv;
  v8::Local<v8::Value>* argv = inline_argv.data();
  if (args.size() > kInline) {
    heap_argv.resize(args.size());
    argv = heap_argv.data();
  }
  for (size_t i = 0; i < args.size(); ++i) argv[i] = to_js(isolate, args[i]);

  record.host_error.reset();
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> result;
  if (!entry->function.Get(isolate)
           ->Call(context, v8::Undefined(isolate), static_cast<int>(args.size()), argv)
           .ToLocal(&result)) {
    return call_failure(isolate, try_catch, record, name, executor.call_mutex());
  }
  std::vector<Value> results;
  results.reserve(type.results.size());
  if (type.results.size() == 1) {
    results.push_back(from_js(result, type.results[0]));
  } else if (type.results.size() > 1) {
    v8::Local<v8::Array> array = result.As<v8::Array>();
    for (uint32_t i = 0; i < type.results.size(); ++i) {
      results.push_back(from_js(array->Get(context, i).ToLocalChecked(), type.results[i]));
    }
  }
  return results;
}

Result<MemoryView> memory_view(v8::Isolate* isolate, InstanceState& state) {
  if (state.memory.IsEmpty()) {
    return make_error(ErrorCode::kFailedPrecondition, "the module has no memory");
  }
  v8::HandleScope handles(isolate);  // as in TaskContext::call
  v8::Local<v8::ArrayBuffer> buffer =
      state.memory.Get(isolate).As<v8::WasmMemoryObject>()->Buffer();
  return MemoryView(static_cast<uint8_t*>(buffer->Data()), buffer->ByteLength());
}

bool TaskContext::has_export(std::string_view export_name) const {
  const ExportInfo* info = record_.instance->module->info().find_export(export_name);
  return info && info->kind == ExternKind::kFunction;
}

void* HostCallContext::user_data() const {
  return record_.instance->options.user_data;
}

namespace {

// Room for up to N values without constructing them (the trampoline is hot:
// default-constructing its 40 slots cost more than the call itself).
template <size_t N>
class ValueSlots {
 public:
  Value* data() { return reinterpret_cast<Value*>(storage_); }
  Value& operator[](size_t i) { return data()[i]; }

 private:
  alignas(Value) unsigned char storage_[N * sizeof(Value)];
};

void set_return_value(const v8::FunctionCallbackInfo<v8::Value>& info, const Value& value) {
  switch (value.type()) {
    case ValType::kI32:
      info.GetReturnValue().Set(value.as_i32());
      return;
    case ValType::kF32:
      info.GetReturnValue().Set(static_cast<double>(value.as_f32()));
      return;
    case ValType::kF64:
      info.GetReturnValue().Set(value.as_f64());
      return;
    case ValType::kI64:
      info.GetReturnValue().Set(to_js(info.GetIsolate(), value));
      return;
  }
}

void throw_host_error(v8::Isolate* isolate, const Error& error) {
  isolate->ThrowException(v8::Exception::Error(
      v8::String::NewFromUtf8(isolate, error.message.c_str()).ToLocalChecked()));
}

}  // namespace

void host_trampoline(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* binding = static_cast<HostBinding*>(info.Data().As<v8::External>()->Value());
  IsolateExecutor& executor = *binding->executor;
  v8::Isolate* isolate = info.GetIsolate();
  CallRecord* record = executor.running_call();
  if (record == nullptr) {
    // Wasm runs only inside tasks, so a host call always has a record.
    throw_host_error(isolate,
                     make_error(ErrorCode::kInternal, "host function called outside a task"));
    return;
  }
  const FuncType& type = binding->function->type;
  const size_t n_params = type.params.size();
  const size_t n_results = type.results.size();
  ValueSlots<kMaxHostParams> args;
  ValueSlots<kMaxHostResults> results;
  for (size_t i = 0; i < n_params; ++i)
    new (&args[i]) Value(from_js(info[static_cast<int>(i)], type.params[i]));
  for (size_t i = 0; i < n_results; ++i) new (&results[i]) Value(Value::zero(type.results[i]));

  HostCallContext call(executor, *record);
  Status status =
      binding->function->callback(call, {args.data(), n_params}, {results.data(), n_results});
  if (status.ok()) {
    for (size_t i = 0; i < n_results; ++i) {
      if (results[i].type() != type.results[i]) {
        status = make_error(ErrorCode::kInternal, "returned a value of the wrong type");
        break;
      }
    }
  }
  if (!status.ok()) {
    if (!record->host_error)
      record->host_error = status.error().context("host function " + binding->label);
    // Throwing unwinds the wasm frames at once; a termination (deadline or
    // kill) requested meanwhile makes the exception uncatchable.
    throw_host_error(isolate, *record->host_error);
    return;
  }
  if (n_results == 1) {
    set_return_value(info, results[0]);
  } else if (n_results > 1) {
    std::array<v8::Local<v8::Value>, kMaxHostResults> values;
    for (size_t i = 0; i < n_results; ++i) values[i] = to_js(isolate, results[i]);
    info.GetReturnValue().Set(v8::Array::New(isolate, values.data(), n_results));
  }
}

}  // namespace theater::wasm::v8backend
