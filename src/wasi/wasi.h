// The WASI preview1 subset (module "wasi_snapshot_preview1") that lets
// reactors built with wasi-libc run: output to stdout/stderr becomes log lines,
// clocks and random bytes come from one hook (so the runtime can record them),
// proc_exit ends the call, and every other preview1 function exists with its
// exact type and answers ENOSYS or EBADF: never a trap, never a missing import.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "wasm/host_imports.h"

namespace theater::wasi {

inline constexpr const char* kModule = "wasi_snapshot_preview1";

enum class Stream { kStdout = 1, kStderr = 2 };

enum class ClockId : uint32_t { kRealtime = 0, kMonotonic = 1, kProcessCpu = 2, kThreadCpu = 3 };

// Where nondeterminism and output go. The default reads the real clocks and
// the OS's random source and drops output; the runtime records all of it.
class WasiHost {
 public:
  virtual ~WasiHost() = default;
  // Nanoseconds; only realtime and monotonic are asked for.
  virtual uint64_t now(ClockId clock);
  virtual void random(std::span<uint8_t> out);
  // One line of the guest's output, without its "\n".
  virtual void output(Stream stream, std::string_view line) {}
};

// Per-instance WASI state: buffered partial lines, environment, exit code.
class WasiContext {
 public:
  explicit WasiContext(WasiHost& host,
                       std::vector<std::pair<std::string, std::string>> environment = {})
      : host_(host), environment_(std::move(environment)) {}

  WasiHost& host() { return host_; }
  const std::vector<std::pair<std::string, std::string>>& environment() const {
    return environment_;
  }

  // Appends written bytes; complete lines go to the host.
  void write(Stream stream, std::span<const uint8_t> bytes);
  // Emits what is left of unterminated lines (call when the instance ends).
  void flush();

  void set_exit_code(int32_t code) { exit_code_ = code; }
  std::optional<int32_t> exit_code() const { return exit_code_; }

  // A line longer than this is emitted in pieces.
  static constexpr size_t kMaxLine = size_t{64} * 1024;

 private:
  std::string& pending(Stream stream) { return stream == Stream::kStdout ? stdout_ : stderr_; }
  WasiHost& host_;
  std::vector<std::pair<std::string, std::string>> environment_;
  std::string stdout_, stderr_;
  std::optional<int32_t> exit_code_;
};

// How host functions find the calling instance's WasiContext.
using ContextLookup = std::function<WasiContext*(wasm::HostCall&)>;

// Adds every wasi_snapshot_preview1 function to `imports`.
Status add_wasi_imports(wasm::HostImports& imports, ContextLookup lookup);

}  // namespace theater::wasi
