// Process-wide V8 state: initialisation in the order V8 requires (flags,
// platform, Initialize, trap handler), the compiler isolate, and the module
// cache keyed by SHA-256 of the module bytes. V8 can be initialised once per
// process; engines come and go on top of it.
#pragma once

#include <v8.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "wasm/engine.h"

namespace theater::wasm::v8backend {

// A compiled module, shareable by every isolate of every engine.
class V8Module final : public Module {
 public:
  V8Module(PreparedModule prepared, std::string sha256_hex, v8::CompiledWasmModule compiled)
      : prepared_(std::move(prepared)),
        sha_(std::move(sha256_hex)),
        compiled_(std::move(compiled)) {}

  const ModuleInfo& info() const override { return prepared_.info; }
  const std::string& sha256_hex() const override { return sha_; }
  const v8::CompiledWasmModule& compiled() const { return compiled_; }
  uint64_t id() const { return id_; }
  size_t wire_size() const { return prepared_.bytes.size(); }

 private:
  static inline std::atomic<uint64_t> next_id_{1};
  PreparedModule prepared_;
  std::string sha_;
  v8::CompiledWasmModule compiled_;
  uint64_t id_ = next_id_.fetch_add(1);
};

class V8Platform {
 public:
  // Initialises V8 on first use; later calls must ask for the same memory mode.
  static Result<V8Platform*> acquire(MemoryMode mode);
  // Disposes V8 when no engine is alive (see shutdown_engines()).
  static void shutdown();

  MemoryMode memory_mode() const { return mode_; }
  v8::ArrayBuffer::Allocator* allocator() const { return allocator_.get(); }
  v8::Platform* platform() const { return platform_.get(); }

  // Compiles or returns the cached module for these bytes.
  Result<std::shared_ptr<V8Module>> compile(std::span<const uint8_t> bytes);

  uint64_t cache_hits() const { return hits_.load(); }
  uint64_t cache_misses() const { return misses_.load(); }

  void engine_created() { engines_.fetch_add(1); }
  void engine_destroyed() { engines_.fetch_sub(1); }

  ~V8Platform();

 private:
  explicit V8Platform(MemoryMode mode);
  Result<std::shared_ptr<V8Module>> compile_uncached(std::span<const uint8_t> bytes,
                                                     std::string sha);
  void evict_unused_locked();

  MemoryMode mode_;
  std::unique_ptr<v8::Platform> platform_;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  std::atomic<int> engines_{0};

  // The compiler isolate compiles every module once; other isolates load the
  // result with FromCompiledModule. One compile at a time.
  std::mutex compile_mutex_;
  v8::Isolate* compiler_ = nullptr;
  v8::Global<v8::Context> compiler_context_;

  // Cache policy: bounded by total module bytes; when over the bound, modules
  // that no engine or instance uses any more are evicted (in-use ones stay).
  static constexpr size_t kCacheByteBudget = 256u << 20;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<V8Module>> cache_;
  size_t cache_bytes_ = 0;
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

// Message of the exception caught by `try_catch` (with the top of its stack
// trace for wasm traps), or why there is none.
std::string exception_message(v8::Isolate* isolate, v8::TryCatch& try_catch);

}  // namespace theater::wasm::v8backend
