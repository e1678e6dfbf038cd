// Everything the V8 backend keeps per instance: its mailbox (shared with the
// posting threads) and its V8 objects (touched only with its isolate locked).
#pragma once

#include <v8.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "wasm/engine.h"
#include "wasm/mailbox.h"
#include "wasm/v8/v8_platform.h"

namespace theater::wasm::v8backend {

class IsolateExecutor;

struct InstanceState {
  IsolateExecutor* executor = nullptr;
  std::shared_ptr<V8Module> module;
  std::shared_ptr<const HostImports> imports;
  InstanceOptions options;
  unsigned isolate_index = 0;

  explicit InstanceState(std::size_t max_pending_tasks) : mailbox(max_pending_tasks) {}

  // Shared with the posting threads; the executor takes its tasks.
  Mailbox mailbox;
  std::atomic<bool> disposed{false};  // V8 objects freed (set with the isolate locked)

  // V8 objects: isolate lock only.
  v8::Global<v8::Object> instance;
  v8::Global<v8::Object> memory;
  v8::Global<v8::Object> exports;
  struct ExportEntry {
    v8::Global<v8::Function> function;
    const ExportInfo* info = nullptr;
  };
  // Looked up by string_view on every call: transparent, so no key is built.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, ExportEntry, NameHash, std::equal_to<>> export_cache;

  std::atomic<uint64_t> tasks_run{0};
  std::atomic<uint64_t> memory_bytes{0};
};

// Calls `cancelled` of each task, with `why`.
void cancel_tasks(std::deque<Task>& tasks, const Error& why);

}  // namespace theater::wasm::v8backend
