#include "wasm/module_info.h"

#include <algorithm>

namespace theater::wasm {
namespace {

enum SectionId : uint8_t {
  kCustomSection = 0,
  kTypeSection = 1,
  kImportSection = 2,
  kFunctionSection = 3,
  kMemorySection = 5,
  kExportSection = 7,
};

// Bounds-checked reading of the binary format. Every read either succeeds or
// records the first error with its offset; callers check ok() at the end of
// each entry, so a truncated module can never read past its bytes.
class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, size_t pos, size_t end)
      : bytes_(bytes), pos_(pos), end_(end) {}

  bool ok() const { return error_.empty(); }
  size_t pos() const { return pos_; }
  const std::string& error() const { return error_; }

  uint8_t u8() {
    if (!need(1)) return 0;
    return bytes_[pos_++];
  }

  uint32_t u32() {
    uint64_t result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      uint8_t byte = u8();
      if (!ok()) return 0;
      result |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) {
        if (result > UINT32_MAX) fail("LEB128 value does not fit in 32 bits");
        return static_cast<uint32_t>(result);
      }
    }
    fail("LEB128 value longer than 5 bytes");
    return 0;
  }

  std::string name() {
    uint32_t len = u32();
    if (!need(len)) return {};
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), len);
    pos_ += len;
    return s;
  }

  void skip(size_t n) {
    if (need(n)) pos_ += n;
  }

  void fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at byte " + std::to_string(pos_);
  }

 private:
  bool need(size_t n) {
    if (!ok()) return false;
    if (n > end_ - pos_) {
      fail("unexpected end (needed " + std::to_string(n) + " more bytes)");
      return false;
    }
    return true;
  }

  std::span<const uint8_t> bytes_;
  size_t pos_;
  size_t end_;
  std::string error_;
};

Error invalid(const std::string& where, const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument, "invalid wasm module: " + where + ": " + what);
}

// A value type as a numeric ValType, or the name of an unsupported one.
std::optional<ValType> read_valtype(Reader& r, std::string& unsupported) {
  uint8_t code = r.u8();
  switch (code) {
    case 0x7f:
      return ValType::kI32;
    case 0x7e:
      return ValType::kI64;
    case 0x7d:
      return ValType::kF32;
    case 0x7c:
      return ValType::kF64;
    case 0x7b:
      unsupported = "v128";
      return std::nullopt;
    case 0x70:
      unsupported = "funcref";
      return std::nullopt;
    case 0x6f:
      unsupported = "externref";
      return std::nullopt;
    default:
      r.fail("unknown value type 0x" + std::to_string(code));
      return std::nullopt;
  }
}

struct ParsedType {
  std::optional<FuncType> type;
  std::string unsupported;
};

std::vector<ParsedType> read_types(Reader& r) {
  uint32_t count = r.u32();
  std::vector<ParsedType> types;
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    if (r.u8() != 0x60) {
      r.fail("type " + std::to_string(i) + " is not a function type");
      break;
    }
    FuncType ft;
    std::string unsupported;
    for (auto* list : {&ft.params, &ft.results}) {
      uint32_t n = r.u32();
      for (uint32_t k = 0; k < n && r.ok(); ++k) {
        if (auto vt = read_valtype(r, unsupported)) list->push_back(*vt);
      }
    }
    ParsedType parsed;
    parsed.unsupported = unsupported;
    if (unsupported.empty()) parsed.type = std::move(ft);
    types.push_back(std::move(parsed));
  }
  return types;
}

MemoryLimits read_memory_limits(Reader& r) {
  MemoryLimits limits;
  uint8_t flags = r.u8();
  if (flags & 0x02) r.fail("shared memories are not supported");
  if (flags & 0x04) r.fail("64-bit memories are not supported");
  if (flags > 0x07) r.fail("invalid memory limits flags " + std::to_string(flags));
  limits.initial_pages = r.u32();
  if (flags & 0x01) limits.maximum_pages = r.u32();
  if (!r.ok()) return limits;
  if (limits.initial_pages > kMaxMemoryPages) {
    r.fail("memory declares " + std::to_string(limits.initial_pages) +
           " initial pages, more than the wasm32 limit of 65536 (4 GiB)");
  } else if (limits.maximum_pages && *limits.maximum_pages > kMaxMemoryPages) {
    r.fail("memory declares a maximum of " + std::to_string(*limits.maximum_pages) +
           " pages, more than the wasm32 limit of 65536 (4 GiB)");
  } else if (limits.maximum_pages && *limits.maximum_pages < limits.initial_pages) {
    r.fail("memory maximum (" + std::to_string(*limits.maximum_pages) +
           " pages) is below its initial size (" + std::to_string(limits.initial_pages) + ")");
  }
  return limits;
}

void skip_table_type(Reader& r) {
  r.u8();  // reference type
  uint8_t flags = r.u8();
  r.u32();
  if (flags & 0x01) r.u32();
}

struct Section {
  uint8_t id;
  size_t start;  // offset of the id byte
  size_t body;   // offset of the contents
  size_t end;    // one past the contents
};

struct Parsed {
  std::vector<Section> sections;
  std::vector<ParsedType> types;
  std::vector<uint32_t> func_type_indices;  // imported functions first, then defined
  ModuleInfo info;
  uint32_t imported_memories = 0;
  uint32_t defined_memories = 0;
};

const char* section_name(uint8_t id) {
  static const char* names[] = {"custom", "type",   "import",     "function", "table",
                                "memory", "global", "export",     "start",    "element",
                                "code",   "data",   "data count", "tag"};
  return id < std::size(names) ? names[id] : "unknown";
}

std::optional<FuncType> type_at(Parsed& p, uint32_t index, std::string& unsupported, Reader& r) {
  if (index >= p.types.size()) {
    r.fail("type index " + std::to_string(index) + " out of range");
    return std::nullopt;
  }
  unsupported = p.types[index].unsupported;
  return p.types[index].type;
}

void read_imports(Reader& r, Parsed& p) {
  uint32_t count = r.u32();
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    ImportInfo imp;
    imp.module = r.name();
    imp.name = r.name();
    uint8_t kind = r.u8();
    if (kind > 4)
      r.fail("import " + imp.module + "." + imp.name + " has unknown kind " + std::to_string(kind));
    imp.kind = static_cast<ExternKind>(kind);
    switch (imp.kind) {
      case ExternKind::kFunction: {
        uint32_t ti = r.u32();
        imp.func_type = type_at(p, ti, imp.unsupported_type, r);
        p.func_type_indices.push_back(ti);
        break;
      }
      case ExternKind::kTable:
        skip_table_type(r);
        break;
      case ExternKind::kMemory:
        imp.memory = read_memory_limits(r);
        p.imported_memories++;
        p.info.memory = imp.memory;
        p.info.memory_is_imported = true;
        p.info.memory_import_module = imp.module;
        p.info.memory_import_name = imp.name;
        break;
      case ExternKind::kGlobal:
        r.u8();
        r.u8();
        break;
      case ExternKind::kTag:
        r.u8();
        r.u32();
        break;
    }
    p.info.imports.push_back(std::move(imp));
  }
}

void read_exports(Reader& r, Parsed& p) {
  uint32_t count = r.u32();
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    ExportInfo exp;
    exp.name = r.name();
    uint8_t kind = r.u8();
    uint32_t index = r.u32();
    if (kind > 4) r.fail("export " + exp.name + " has unknown kind " + std::to_string(kind));
    exp.kind = static_cast<ExternKind>(kind);
    if (exp.kind == ExternKind::kFunction && r.ok()) {
      if (index >= p.func_type_indices.size()) {
        r.fail("export " + exp.name + " names function " + std::to_string(index) +
               ", which does not exist");
      } else {
        std::string unsupported;
        exp.func_type = type_at(p, p.func_type_indices[index], unsupported, r);
      }
    }
    p.info.exports.push_back(std::move(exp));
  }
}

Result<Parsed> parse(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  if (bytes.size() < 8 || !std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin())) {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid wasm module: not a wasm binary (missing the \\0asm magic number)");
  }
  if (bytes[4] != 1 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "invalid wasm module: unsupported binary version (only version 1 core modules; "
        "a component binary must be converted to a core module first)");
  }
  Parsed p;
  Reader top(bytes, 8, bytes.size());
  while (top.ok() && top.pos() < bytes.size()) {
    Section s;
    s.start = top.pos();
    s.id = top.u8();
    uint32_t size = top.u32();
    s.body = top.pos();
    top.skip(size);
    if (!top.ok()) return invalid(std::string(section_name(s.id)) + " section", top.error());
    s.end = top.pos();
    p.sections.push_back(s);

    Reader r(bytes, s.body, s.end);
    switch (s.id) {
      case kTypeSection:
        p.types = read_types(r);
        break;
      case kImportSection:
        read_imports(r, p);
        break;
      case kFunctionSection: {
        uint32_t count = r.u32();
        for (uint32_t i = 0; i < count && r.ok(); ++i) p.func_type_indices.push_back(r.u32());
        break;
      }
      case kMemorySection: {
        uint32_t count = r.u32();
        for (uint32_t i = 0; i < count && r.ok(); ++i) {
          MemoryLimits limits = read_memory_limits(r);
          if (r.ok() && !p.info.memory) p.info.memory = limits;
          p.defined_memories++;
        }
        break;
      }
      case kExportSection:
        read_exports(r, p);
        break;
      default:
        break;
    }
    if (!r.ok()) return invalid(std::string(section_name(s.id)) + " section", r.error());
  }
  if (p.imported_memories + p.defined_memories > 1) {
    return invalid("memory", "the module has " +
                                 std::to_string(p.imported_memories + p.defined_memories) +
                                 " memories; only one is supported");
  }
  return p;
}

void append_u32(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(byte);
  } while (v);
}

void append_name(std::vector<uint8_t>& out, const std::string& s) {
  append_u32(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

void append_section(std::vector<uint8_t>& out, uint8_t id, const std::vector<uint8_t>& body) {
  out.push_back(id);
  append_u32(out, static_cast<uint32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
}

// The import section's body with one more entry: the moved memory.
std::vector<uint8_t> import_section_with_memory(std::span<const uint8_t> bytes,
                                                const Section* imports,
                                                const MemoryLimits& limits) {
  std::vector<uint8_t> body;
  uint32_t count = 0;
  size_t entries = 0, entries_end = 0;
  if (imports) {
    Reader r(bytes, imports->body, imports->end);
    count = r.u32();
    entries = r.pos();
    entries_end = imports->end;
  }
  append_u32(body, count + 1);
  body.insert(body.end(), bytes.begin() + entries, bytes.begin() + entries_end);
  append_name(body, kMovedMemoryModule);
  append_name(body, kMovedMemoryName);
  body.push_back(static_cast<uint8_t>(ExternKind::kMemory));
  body.push_back(limits.maximum_pages ? 0x01 : 0x00);
  append_u32(body, limits.initial_pages);
  if (limits.maximum_pages) append_u32(body, *limits.maximum_pages);
  return body;
}

// Rebuilds the module with the memory section removed and the memory added
// to the imports (the import section sits before the memory section, so it
// is created after the type section when the module had none).
PreparedModule move_memory_to_imports(std::span<const uint8_t> bytes, Parsed& p) {
  PreparedModule out;
  const Section* imports = nullptr;
  for (const Section& s : p.sections)
    if (s.id == kImportSection) imports = &s;
  std::vector<uint8_t> new_imports = import_section_with_memory(bytes, imports, *p.info.memory);

  out.bytes.assign(bytes.begin(), bytes.begin() + 8);
  bool imports_written = false;
  auto write_imports = [&] {
    append_section(out.bytes, kImportSection, new_imports);
    imports_written = true;
  };
  for (const Section& s : p.sections) {
    bool past_imports_slot = s.id != kCustomSection && s.id > kImportSection;
    if (!imports_written && past_imports_slot) write_imports();
    if (s.id == kImportSection) {
      write_imports();
    } else if (s.id != kMemorySection) {
      int64_t delta = static_cast<int64_t>(out.bytes.size()) - static_cast<int64_t>(s.start);
      if (out.shifts.empty() || out.shifts.back().delta != delta)
        out.shifts.push_back({out.bytes.size(), delta});
      out.bytes.insert(out.bytes.end(), bytes.begin() + s.start, bytes.begin() + s.end);
    }
  }
  if (!imports_written) write_imports();
  out.info = std::move(p.info);
  out.info.memory_import_module = kMovedMemoryModule;
  out.info.memory_import_name = kMovedMemoryName;
  return out;
}

}  // namespace

const char* to_string(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunction:
      return "function";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "?";
}

const ExportInfo* ModuleInfo::find_export(std::string_view name) const {
  for (const ExportInfo& e : exports)
    if (e.name == name) return &e;
  return nullptr;
}

uint64_t PreparedModule::original_offset(uint64_t offset) const {
  int64_t delta = 0;
  for (const Shift& s : shifts)
    if (offset >= s.from) delta = s.delta;
  return static_cast<uint64_t>(static_cast<int64_t>(offset) - delta);
}

Result<PreparedModule> prepare_module(std::span<const uint8_t> bytes) {
  THEATER_ASSIGN_OR_RETURN(Parsed p, parse(bytes));
  if (p.defined_memories == 1) return move_memory_to_imports(bytes, p);
  PreparedModule out;
  out.bytes.assign(bytes.begin(), bytes.end());
  out.info = std::move(p.info);
  return out;
}

}  // namespace theater::wasm
