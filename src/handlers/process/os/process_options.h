// What a caller asks for when it starts a process, the limits of one owner's
// process table, and the validation of both. Mirrors `process-config` in
// wit/process.wit; the WIT comments are the semantics.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace theater::process {

// Process ids are the owner's own (1, 2, 3, ...), never OS pids.
using ProcessId = std::uint64_t;

enum class OutputMode { kRaw, kLineByLine, kJson, kChunked };

enum class StreamId { kStdout, kStderr };

const char* to_string(OutputMode mode);
const char* to_string(StreamId stream);

// buffer-size 0 means this many bytes.
inline constexpr std::uint32_t kDefaultBufferSize = 4096;
// Largest buffer-size or chunk-size accepted: one piece is one allocation and,
// for an actor, one copy into its memory; 16 MiB keeps both reasonable.
inline constexpr std::uint32_t kMaxPieceSize = 16u * 1024 * 1024;

// How one output stream is cut into pieces (see OutputFramer).
struct FramingOptions {
  OutputMode mode = OutputMode::kRaw;
  // Largest piece in raw and line-by-line modes; 0 means kDefaultBufferSize.
  std::uint32_t buffer_size = 0;
  // Piece size in chunked mode (required there, ignored otherwise).
  std::optional<std::uint32_t> chunk_size;
  // json mode: a line longer than this is rejected without being kept whole.
  // The process layer sets it from max_output_buffer.
  std::size_t max_json_line = kMaxPieceSize;

  [[nodiscard]] std::uint32_t effective_buffer_size() const {
    return buffer_size == 0 ? kDefaultBufferSize : buffer_size;
  }
};

using EnvList = std::vector<std::pair<std::string, std::string>>;

// How the OS process itself is started.
struct SpawnOptions {
  // An absolute path, or a name looked up in the PATH of `env` (default
  // /usr/local/bin:/usr/bin:/bin). A name containing '/' but not starting with
  // one is taken relative to the child's working directory, as execve does.
  std::string program;
  // argv[1..]; argv[0] is `program` exactly as given.
  std::vector<std::string> args;
  // Working directory of the child; unset: the runtime's own.
  std::optional<std::string> cwd;
  // The child's whole environment, in this order. Nothing is inherited.
  EnvList env;
};

// Everything os-spawn carries.
struct ProcessConfig {
  SpawnOptions spawn;
  FramingOptions stdout_framing;
  FramingOptions stderr_framing;
  // When it passes, the group gets SIGTERM, then SIGKILL after the table's kill_grace.
  std::optional<std::chrono::milliseconds> execution_timeout;
};

// Longest execution-timeout accepted; longer ones are almost certainly a unit mistake.
inline constexpr std::chrono::milliseconds kMaxExecutionTimeout{366LL * 24 * 3600 * 1000};

// The limits of one owner's (one actor's) process table.
struct TableLimits {
  // Processes started and not yet finished (exit delivered).
  std::size_t max_processes = 16;
  // Output bytes read but not yet acknowledged by the consumer, per process;
  // half of it for stdout, half for stderr. When a stream's half is used up,
  // reading that pipe stops (the child blocks on write) until acknowledgements
  // free room: nothing is dropped and memory stays bounded.
  std::size_t max_output_buffer = std::size_t{1024} * 1024;
  // Bytes accepted by write_stdin and not yet written to the child, per process.
  std::size_t max_stdin_queue = std::size_t{1024} * 1024;
  // Between SIGTERM and SIGKILL, for execution timeouts.
  std::chrono::milliseconds kill_grace{5000};
  // After the process has exited and its group was killed, how long an output
  // pipe may stay open (held by a process that left the group, e.g. with
  // setsid) before it is closed so the exit can be delivered.
  std::chrono::milliseconds orphaned_output_timeout{5000};
};

// Each returns a clear error naming the offending value, or ok.
Status validate_spawn_options(const SpawnOptions& options);
Status validate_framing(const FramingOptions& options, StreamId stream);
Status validate_limits(const TableLimits& limits);
// Everything above, plus the fit of each stream's framing into its half of
// max_output_buffer (a partial line must never fill the whole budget).
Status validate_config(const ProcessConfig& config, const TableLimits& limits);

// Converts execution-timeout seconds from the WIT, rejecting absurd values.
Result<std::chrono::milliseconds> timeout_from_seconds(std::uint64_t seconds);

// The paths execve will try for `program`, in order (see SpawnOptions::program).
// Empty PATH entries are skipped (they would mean "the current directory").
std::vector<std::string> program_candidates(std::string_view program, const EnvList& env);

}  // namespace theater::process
