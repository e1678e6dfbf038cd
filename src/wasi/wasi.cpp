#include "wasi/wasi.h"

#include <sys/random.h>

#include <chrono>
#include <ctime>

#include "wasm/engine.h"

namespace theater::wasi {
namespace {

using wasm::FuncType;
using wasm::HostCall;
using wasm::ValType;
using wasm::Value;

// Errno values of WASI preview1.
enum Errno : int32_t {
  kSuccess = 0,
  kBadf = 8,
  kInval = 28,
  kNosys = 52,
  kSpipe = 70,
};

constexpr ValType I32 = ValType::kI32;
constexpr ValType I64 = ValType::kI64;

bool is_stdio(int32_t fd) {
  return fd >= 0 && fd <= 2;
}

// Every host function below follows the same shape: read the guest's
// arguments, touch memory only through the bounds-checked view, answer an errno.
using Body = std::function<Result<int32_t>(HostCall&, WasiContext&, std::span<const Value>)>;

Status add(wasm::HostImports& imports, const ContextLookup& lookup, const char* name,
           std::vector<ValType> params, Body body) {
  wasm::HostCallback callback = [lookup, body = std::move(body), name](
                                    HostCall& call, std::span<const Value> args,
                                    std::span<Value> results) -> Status {
    WasiContext* context = lookup(call);
    if (context == nullptr) {
      return make_error(ErrorCode::kFailedPrecondition, std::string("no WASI context for ") + name);
    }
    Result<int32_t> errno_value = body(call, *context, args);
    if (!errno_value.ok()) return errno_value.error();
    results[0] = Value::i32(*errno_value);
    return {};
  };
  return imports.add({kModule, name, FuncType{std::move(params), {I32}}, std::move(callback)});
}

// A function this subset does not offer: it exists with its exact type and
// answers ENOSYS, or EBADF when its first argument is a descriptor we lack.
Status add_unsupported(wasm::HostImports& imports, const ContextLookup& lookup, const char* name,
                       std::vector<ValType> params, bool takes_fd) {
  return add(imports, lookup, name, std::move(params),
             [takes_fd](HostCall&, WasiContext&, std::span<const Value> args) -> Result<int32_t> {
               if (takes_fd && !is_stdio(args[0].as_i32())) return kBadf;
               return kNosys;
             });
}

Result<int32_t> fd_write(HostCall& call, WasiContext& context, std::span<const Value> args) {
  const int32_t fd = args[0].as_i32();
  const uint32_t iovs = args[1].as_u32(), iovs_len = args[2].as_u32(),
                 nwritten_ptr = args[3].as_u32();
  if (fd != 1 && fd != 2) return kBadf;  // stdin is not writable either
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  uint64_t total = 0;
  for (uint32_t i = 0; i < iovs_len; ++i) {
    const uint64_t iov = iovs + uint64_t(i) * 8;
    THEATER_ASSIGN_OR_RETURN(uint32_t buf, memory.load<uint32_t>(iov));
    THEATER_ASSIGN_OR_RETURN(uint32_t len, memory.load<uint32_t>(iov + 4));
    THEATER_ASSIGN_OR_RETURN(std::span<uint8_t> bytes, memory.bytes(buf, len));
    context.write(fd == 1 ? Stream::kStdout : Stream::kStderr, bytes);
    total += len;
  }
  THEATER_RETURN_IF_ERROR(memory.store<uint32_t>(nwritten_ptr, static_cast<uint32_t>(total)));
  return kSuccess;
}

Result<int32_t> fd_fdstat_get(HostCall& call, WasiContext&, std::span<const Value> args) {
  const int32_t fd = args[0].as_i32();
  if (!is_stdio(fd)) return kBadf;
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  const uint32_t ptr = args[1].as_u32();
  // struct fdstat { u8 filetype; u16 flags; u64 rights_base; u64 rights_inheriting } (24 bytes).
  // A character device without seek rights: wasi-libc then line-buffers stdout.
  constexpr uint8_t kCharacterDevice = 2;
  constexpr uint64_t kRightFdRead = 1 << 1, kRightFdWrite = 1 << 6;
  THEATER_ASSIGN_OR_RETURN(std::span<uint8_t> out, memory.bytes(ptr, 24));
  std::fill(out.begin(), out.end(), 0);
  out[0] = kCharacterDevice;
  const uint64_t rights = fd == 0 ? kRightFdRead : kRightFdWrite;
  THEATER_RETURN_IF_ERROR(memory.store<uint64_t>(ptr + 8, rights));
  return kSuccess;
}

// environ_get / args_get: an array of pointers, then the NUL-terminated strings.
Result<int32_t> write_string_list(HostCall& call, const std::vector<std::string>& strings,
                                  uint32_t pointers, uint32_t buffer) {
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  uint64_t cursor = buffer;
  for (size_t i = 0; i < strings.size(); ++i) {
    THEATER_RETURN_IF_ERROR(
        memory.store<uint32_t>(pointers + 4 * uint64_t(i), static_cast<uint32_t>(cursor)));
    std::vector<uint8_t> bytes(strings[i].begin(), strings[i].end());
    bytes.push_back(0);
    THEATER_RETURN_IF_ERROR(memory.write(cursor, bytes));
    cursor += bytes.size();
  }
  return kSuccess;
}

Result<int32_t> write_list_sizes(HostCall& call, const std::vector<std::string>& strings,
                                 uint32_t count_ptr, uint32_t size_ptr) {
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  uint64_t size = 0;
  for (const std::string& s : strings) size += s.size() + 1;
  THEATER_RETURN_IF_ERROR(memory.store<uint32_t>(count_ptr, static_cast<uint32_t>(strings.size())));
  THEATER_RETURN_IF_ERROR(memory.store<uint32_t>(size_ptr, static_cast<uint32_t>(size)));
  return kSuccess;
}

std::vector<std::string> environ_strings(const WasiContext& context) {
  std::vector<std::string> out;
  for (const auto& [name, value] : context.environment()) out.push_back(name + "=" + value);
  return out;
}

Result<int32_t> clock_time_get(HostCall& call, WasiContext& context, std::span<const Value> args) {
  const uint32_t id = args[0].as_u32();
  if (id > 3) return kInval;
  // CPU-time clocks are answered with the monotonic clock: a guest cannot
  // tell, and one clock source keeps replay simple.
  const ClockId clock = id == 0 ? ClockId::kRealtime : ClockId::kMonotonic;
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  THEATER_RETURN_IF_ERROR(memory.store<uint64_t>(args[2].as_u32(), context.host().now(clock)));
  return kSuccess;
}

Result<int32_t> clock_res_get(HostCall& call, WasiContext&, std::span<const Value> args) {
  if (args[0].as_u32() > 3) return kInval;
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  THEATER_RETURN_IF_ERROR(memory.store<uint64_t>(args[1].as_u32(), 1000));  // 1 us
  return kSuccess;
}

Result<int32_t> random_get(HostCall& call, WasiContext& context, std::span<const Value> args) {
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, call.memory());
  THEATER_ASSIGN_OR_RETURN(std::span<uint8_t> out,
                           memory.bytes(args[0].as_u32(), args[1].as_u32()));
  context.host().random(out);
  return kSuccess;
}

Status add_supported(wasm::HostImports& imports, const ContextLookup& lookup) {
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "fd_write", {I32, I32, I32, I32}, fd_write));
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "fd_fdstat_get", {I32, I32}, fd_fdstat_get));
  THEATER_RETURN_IF_ERROR(
      add(imports, lookup, "fd_close", {I32},
          [](HostCall&, WasiContext&, std::span<const Value> args) -> Result<int32_t> {
            return is_stdio(args[0].as_i32()) ? kSuccess : kBadf;
          }));
  THEATER_RETURN_IF_ERROR(
      add(imports, lookup, "fd_seek", {I32, I64, I32, I32},
          [](HostCall&, WasiContext&, std::span<const Value> args) -> Result<int32_t> {
            return is_stdio(args[0].as_i32()) ? kSpipe : kBadf;
          }));
  THEATER_RETURN_IF_ERROR(
      add(imports, lookup, "environ_get", {I32, I32},
          [](HostCall& call, WasiContext& context, std::span<const Value> args) {
            return write_string_list(call, environ_strings(context), args[0].as_u32(),
                                     args[1].as_u32());
          }));
  THEATER_RETURN_IF_ERROR(add(
      imports, lookup, "environ_sizes_get", {I32, I32},
      [](HostCall& call, WasiContext& context, std::span<const Value> args) {
        return write_list_sizes(call, environ_strings(context), args[0].as_u32(), args[1].as_u32());
      }));
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "args_get", {I32, I32},
                              [](HostCall& call, WasiContext&, std::span<const Value> args) {
                                return write_string_list(call, {}, args[0].as_u32(),
                                                         args[1].as_u32());
                              }));
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "args_sizes_get", {I32, I32},
                              [](HostCall& call, WasiContext&, std::span<const Value> args) {
                                return write_list_sizes(call, {}, args[0].as_u32(),
                                                        args[1].as_u32());
                              }));
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "clock_time_get", {I32, I64, I32}, clock_time_get));
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "clock_res_get", {I32, I32}, clock_res_get));
  THEATER_RETURN_IF_ERROR(add(imports, lookup, "random_get", {I32, I32}, random_get));
  THEATER_RETURN_IF_ERROR(add(
      imports, lookup, "sched_yield", {},
      [](HostCall&, WasiContext&, std::span<const Value>) -> Result<int32_t> { return kSuccess; }));
  // proc_exit has no result: it ends the call with the code.
  return imports.add(
      {kModule, "proc_exit", FuncType{{I32}, {}},
       [lookup](HostCall& call, std::span<const Value> args, std::span<Value>) -> Status {
         if (WasiContext* context = lookup(call)) context->set_exit_code(args[0].as_i32());
         return make_error(ErrorCode::kExited,
                           "the guest called proc_exit(" + std::to_string(args[0].as_i32()) + ")");
       }});
}

struct Unsupported {
  const char* name;
  std::vector<ValType> params;
  bool takes_fd;
};

// The rest of wasi_snapshot_preview1, with exact core types.
const std::vector<Unsupported>& unsupported_functions() {
  static const std::vector<Unsupported> functions = {
      {"fd_advise", {I32, I64, I64, I32}, true},
      {"fd_allocate", {I32, I64, I64}, true},
      {"fd_datasync", {I32}, true},
      {"fd_fdstat_set_flags", {I32, I32}, true},
      {"fd_fdstat_set_rights", {I32, I64, I64}, true},
      {"fd_filestat_get", {I32, I32}, true},
      {"fd_filestat_set_size", {I32, I64}, true},
      {"fd_filestat_set_times", {I32, I64, I64, I32}, true},
      {"fd_pread", {I32, I32, I32, I64, I32}, true},
      {"fd_prestat_get", {I32, I32}, true},
      {"fd_prestat_dir_name", {I32, I32, I32}, true},
      {"fd_pwrite", {I32, I32, I32, I64, I32}, true},
      {"fd_read", {I32, I32, I32, I32}, true},
      {"fd_readdir", {I32, I32, I32, I64, I32}, true},
      {"fd_renumber", {I32, I32}, true},
      {"fd_sync", {I32}, true},
      {"fd_tell", {I32, I32}, true},
      {"path_create_directory", {I32, I32, I32}, true},
      {"path_filestat_get", {I32, I32, I32, I32, I32}, true},
      {"path_filestat_set_times", {I32, I32, I32, I32, I64, I64, I32}, true},
      {"path_link", {I32, I32, I32, I32, I32, I32, I32}, true},
      {"path_open", {I32, I32, I32, I32, I32, I64, I64, I32, I32}, true},
      {"path_readlink", {I32, I32, I32, I32, I32, I32}, true},
      {"path_remove_directory", {I32, I32, I32}, true},
      {"path_rename", {I32, I32, I32, I32, I32, I32}, true},
      {"path_symlink", {I32, I32, I32, I32, I32}, false},
      {"path_unlink_file", {I32, I32, I32}, true},
      {"poll_oneoff", {I32, I32, I32, I32}, false},
      {"proc_raise", {I32}, false},
      {"sock_accept", {I32, I32, I32}, true},
      {"sock_recv", {I32, I32, I32, I32, I32, I32}, true},
      {"sock_send", {I32, I32, I32, I32, I32}, true},
      {"sock_shutdown", {I32, I32}, true},
  };
  return functions;
}

}  // namespace

uint64_t WasiHost::now(ClockId clock) {
  timespec ts{};
  clock_gettime(clock == ClockId::kRealtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

void WasiHost::random(std::span<uint8_t> out) {
  size_t filled = 0;
  while (filled < out.size()) {
    ssize_t n = getrandom(out.data() + filled, out.size() - filled, 0);
    if (n > 0) filled += static_cast<size_t>(n);
  }
}

void WasiContext::write(Stream stream, std::span<const uint8_t> bytes) {
  std::string& line = pending(stream);
  for (uint8_t byte : bytes) {
    if (byte == '\n') {
      host_.output(stream, line);
      line.clear();
    } else {
      line.push_back(static_cast<char>(byte));
      if (line.size() == kMaxLine) {
        host_.output(stream, line);
        line.clear();
      }
    }
  }
}

void WasiContext::flush() {
  for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
    std::string& line = pending(stream);
    if (!line.empty()) host_.output(stream, line);
    line.clear();
  }
}

Status add_wasi_imports(wasm::HostImports& imports, ContextLookup lookup) {
  THEATER_RETURN_IF_ERROR(add_supported(imports, lookup));
  for (const Unsupported& f : unsupported_functions()) {
    THEATER_RETURN_IF_ERROR(add_unsupported(imports, lookup, f.name, f.params, f.takes_fd));
  }
  return {};
}

}  // namespace theater::wasi
