#include "wasm/v8/v8_platform.h"

#include <libplatform/libplatform.h>

#include <cstdio>
#include <regex>

#include "common/sha256.h"

namespace theater::wasm::v8backend {
namespace {

std::mutex g_process_mutex;
std::unique_ptr<V8Platform> g_process;  // NOLINT: process-wide by nature
bool g_disposed = false;

// --no-wasm-dynamic-tiering: V8 10.2 otherwise never tiers hot code up.
// --no-wasm-code-gc: required when threads park in Unlockers (else V8 aborts).
constexpr char kFlags[] = "--no-wasm-dynamic-tiering --no-wasm-code-gc";

// V8 reports compile errors with absolute offsets ("@+123") into the bytes it
// compiled; map them back to the bytes the user gave us.
std::string with_original_offsets(const std::string& message, const PreparedModule& prepared) {
  if (prepared.shifts.empty()) return message;
  static const std::regex kOffset(R"(@\+(\d+))");
  std::string out;
  auto begin = std::sregex_iterator(message.begin(), message.end(), kOffset);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(message, last, it->position() - last);
    out += "@+" + std::to_string(prepared.original_offset(std::stoull((*it)[1].str())));
    last = it->position() + it->length();
  }
  out.append(message, last);
  return out;
}

}  // namespace

std::string exception_message(v8::Isolate* isolate, v8::TryCatch& try_catch) {
  if (try_catch.HasTerminated()) return "execution terminated";
  if (!try_catch.HasCaught()) return "no exception";
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> stack;
  std::string text;
  if (!context.IsEmpty() && try_catch.StackTrace(context).ToLocal(&stack) && stack->IsString()) {
    v8::String::Utf8Value utf8(isolate, stack);
    if (*utf8) text = *utf8;
  }
  if (text.empty()) {
    v8::String::Utf8Value utf8(isolate, try_catch.Exception());
    text = *utf8 ? *utf8 : "unknown exception";
  }
  // Keep the message and the innermost frames; deep stacks add nothing.
  constexpr int kMaxLines = 6;
  size_t pos = 0;
  for (int line = 0; line < kMaxLines && pos != std::string::npos; ++line) {
    pos = text.find('\n', pos == 0 ? 0 : pos + 1);
  }
  if (pos != std::string::npos) text = text.substr(0, pos) + "\n    ...";
  return text;
}

Result<V8Platform*> V8Platform::acquire(MemoryMode mode) {
  std::lock_guard lock(g_process_mutex);
  if (g_disposed) {
    return make_error(ErrorCode::kUnavailable,
                      "V8 was shut down in this process and cannot be initialised again");
  }
  if (!g_process) {
    g_process.reset(new V8Platform(mode));  // NOLINT: private constructor
    if (mode == MemoryMode::kGuardRegions && !v8::V8::EnableWebAssemblyTrapHandler(true)) {
      return make_error(ErrorCode::kInternal, "V8 could not enable its WebAssembly trap handler");
    }
  } else if (g_process->mode_ != mode) {
    return make_error(ErrorCode::kFailedPrecondition,
                      std::string("the memory mode is fixed per process: V8 already runs with ") +
                          to_string(g_process->mode_) + ", not " + to_string(mode));
  }
  return g_process.get();
}

void V8Platform::shutdown() {
  std::lock_guard lock(g_process_mutex);
  if (!g_process) return;
  if (g_process->engines_.load() != 0) {
    std::fprintf(stderr, "theater: broken invariant: shutdown_engines() with %d engines alive\n",
                 g_process->engines_.load());
    std::abort();
  }
  g_process.reset();
  g_disposed = true;
}

V8Platform::V8Platform(MemoryMode mode) : mode_(mode) {
  // Order matters (reference/v8-study): flags, platform, Initialize; the trap
  // handler (guard-region mode) before any module or memory exists.
  v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
  platform_ = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(platform_.get());
  v8::V8::Initialize();
  allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());

  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  compiler_ = v8::Isolate::New(params);
  v8::Locker locker(compiler_);
  v8::Isolate::Scope scope(compiler_);
  v8::HandleScope handles(compiler_);
  compiler_context_.Reset(compiler_, v8::Context::New(compiler_));
}

V8Platform::~V8Platform() {
  bool modules_in_use = false;
  {
    std::lock_guard lock(cache_mutex_);
    for (auto& [sha, module] : cache_) modules_in_use |= module.use_count() > 1;
    cache_.clear();
  }
  {
    v8::Locker locker(compiler_);
    compiler_context_.Reset();
  }
  compiler_->Dispose();
  if (modules_in_use) {
    // A live CompiledWasmModule makes V8::Dispose hang (reference/v8-study):
    // leave V8 to the process exit rather than hang.
    std::fprintf(stderr,
                 "theater: compiled modules still referenced at shutdown; V8 not disposed\n");
    return;
  }
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

Result<std::shared_ptr<V8Module>> V8Platform::compile(std::span<const uint8_t> bytes) {
  std::string sha = to_hex(sha256(bytes));
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(sha); it != cache_.end()) {
      hits_.fetch_add(1);
      return it->second;
    }
  }
  misses_.fetch_add(1);
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<V8Module> module, compile_uncached(bytes, sha));
  std::lock_guard lock(cache_mutex_);
  auto [it, inserted] = cache_.emplace(sha, module);
  if (inserted) {
    cache_bytes_ += it->second->wire_size();
    if (cache_bytes_ > kCacheByteBudget) evict_unused_locked();
  }
  return it->second;
}

Result<std::shared_ptr<V8Module>> V8Platform::compile_uncached(std::span<const uint8_t> bytes,
                                                               std::string sha) {
  THEATER_ASSIGN_OR_RETURN(PreparedModule prepared, prepare_module(bytes));
  std::lock_guard lock(compile_mutex_);
  v8::Locker locker(compiler_);
  v8::Isolate::Scope scope(compiler_);
  v8::HandleScope handles(compiler_);
  v8::Local<v8::Context> context = compiler_context_.Get(compiler_);
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(compiler_);
  v8::Local<v8::WasmModuleObject> module;
  if (!v8::WasmModuleObject::Compile(compiler_, {prepared.bytes.data(), prepared.bytes.size()})
           .ToLocal(&module)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid wasm module: " +
                          with_original_offsets(exception_message(compiler_, try_catch), prepared));
  }
  v8::CompiledWasmModule compiled = module->GetCompiledModule();
  return std::make_shared<V8Module>(std::move(prepared), std::move(sha), std::move(compiled));
}

void V8Platform::evict_unused_locked() {
  for (auto it = cache_.begin(); it != cache_.end() && cache_bytes_ > kCacheByteBudget;) {
    if (it->second.use_count() == 1) {
      cache_bytes_ -= it->second->wire_size();
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace theater::wasm::v8backend
