// The WIT types of theater:simple/process (wit/process.wit) as C++ types for
// the canonical ABI layer, field for field and case for case in WIT order,
// and their conversion to and from the OS layer's own types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "abi/abi.h"
#include "common/result.h"
#include "handlers/process/os/process_events.h"
#include "handlers/process/os/process_options.h"

namespace theater::handlers::process_wit {

// variant output-mode { raw, line-by-line, json, chunked }
struct Raw {};
struct LineByLine {};
struct Json {};
struct Chunked {};
using OutputMode = std::variant<Raw, LineByLine, Json, Chunked>;

// record process-config
struct ProcessConfig {
  std::string program;
  std::vector<std::string> args;
  std::optional<std::string> cwd;
  std::vector<std::tuple<std::string, std::string>> env;
  std::uint32_t buffer_size = 0;
  OutputMode stdout_mode;
  OutputMode stderr_mode;
  std::optional<std::uint32_t> chunk_size;
  std::optional<std::uint64_t> execution_timeout;  // seconds
};
THEATER_ABI_RECORD(ProcessConfig, program, args, cwd, env, buffer_size, stdout_mode, stderr_mode,
                   chunk_size, execution_timeout)

// record process-status
struct ProcessStatus {
  std::uint64_t pid = 0;  // the actor's process id, never the OS pid
  bool running = false;
  std::optional<std::int32_t> exit_code;
  std::uint64_t start_time = 0;  // ms since the Unix epoch
};
THEATER_ABI_RECORD(ProcessStatus, pid, running, exit_code, start_time)

process::OutputMode to_os(const OutputMode& mode);

// The OS layer's request for `config`. Checks what the OS layer's own
// validation cannot see (the execution-timeout in seconds); sizes, modes and
// strings are validated when the request is admitted and spawned.
Result<process::ProcessConfig> to_os(const ProcessConfig& config);

ProcessStatus from_os(const process::ProcessStatus& status);

}  // namespace theater::handlers::process_wit
