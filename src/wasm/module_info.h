// What a module imports, exports and declares about its memory, read from the
// binary by our own parser (engine independent), and the one rewrite the
// engine applies before compiling: a memory the module defines becomes a
// memory it imports, so the host creates it with a per-instance maximum and
// one compiled module serves instances with different memory limits.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "wasm/value.h"

namespace theater::wasm {

inline constexpr uint64_t kWasmPageSize = 65536;
inline constexpr uint32_t kMaxMemoryPages = 65536;  // 4 GiB: the wasm32 limit

enum class ExternKind : uint8_t { kFunction = 0, kTable = 1, kMemory = 2, kGlobal = 3, kTag = 4 };
const char* to_string(ExternKind kind);

struct MemoryLimits {
  uint32_t initial_pages = 0;
  std::optional<uint32_t> maximum_pages;
};

struct ImportInfo {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunction;
  std::optional<FuncType> func_type;  // functions whose types are all numeric
  std::string unsupported_type;       // set when the function type uses v128/references
  MemoryLimits memory;                // memories
};

struct ExportInfo {
  std::string name;
  ExternKind kind = ExternKind::kFunction;
  std::optional<FuncType> func_type;
};

struct ModuleInfo {
  std::vector<ImportInfo> imports;
  std::vector<ExportInfo> exports;
  // The module's memory, imported or defined; none when it has no memory.
  std::optional<MemoryLimits> memory;
  bool memory_is_imported = false;
  // The import name the host satisfies with the instance's memory (after the
  // rewrite, also for modules that defined their memory themselves).
  std::string memory_import_module;
  std::string memory_import_name;

  const ExportInfo* find_export(std::string_view name) const;
};

// The host-side import name of a memory moved out of the module.
inline constexpr const char* kMovedMemoryModule = "theater:engine";
inline constexpr const char* kMovedMemoryName = "memory";

struct PreparedModule {
  ModuleInfo info;
  std::vector<uint8_t> bytes;  // what the engine compiles
  // Maps a byte offset in `bytes` back to the original module, so compile
  // errors point at the bytes the user wrote.
  struct Shift {
    uint64_t from;  // offsets >= from (in the rewritten bytes)...
    int64_t delta;  // ...are original + delta
  };
  std::vector<Shift> shifts;
  uint64_t original_offset(uint64_t offset) const;
};

// Parses the module's imports, exports and memory, and moves a defined memory
// to an import. Errors name what is wrong and where ("import section: ...
// at byte 123"). Full validation of code is the engine compiler's job.
Result<PreparedModule> prepare_module(std::span<const uint8_t> bytes);

}  // namespace theater::wasm
