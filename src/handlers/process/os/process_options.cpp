#include "handlers/process/os/process_options.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "handlers/process/os/output_framer.h"

namespace theater::process {
namespace {

constexpr std::string_view kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

bool has_nul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

Status check_size(std::string_view stream, std::string_view what, std::uint32_t value) {
  if (value > kMaxPieceSize) {
    return invalid(std::string(stream) + ": " + std::string(what) + " " + std::to_string(value) +
                   " exceeds the maximum of " + std::to_string(kMaxPieceSize) + " (16 MiB)");
  }
  return ok_status();
}

Status validate_env(const EnvList& env) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < env.size(); ++i) {
    const auto& [name, value] = env[i];
    const std::string where = "env[" + std::to_string(i) + "]";
    if (name.empty()) return invalid(where + ": the variable name is empty");
    if (has_nul(name)) return invalid(where + ": the name contains a NUL byte");
    if (name.find('=') != std::string::npos) {
      return invalid(where + ": the name '" + name + "' contains '='");
    }
    if (has_nul(value)) return invalid(where + " (" + name + "): the value contains a NUL byte");
    if (!seen.insert(name).second) {
      return invalid(where + ": the variable '" + name + "' is set twice");
    }
  }
  return ok_status();
}

}  // namespace

const char* to_string(OutputMode mode) {
  switch (mode) {
    case OutputMode::kRaw:
      return "raw";
    case OutputMode::kLineByLine:
      return "line-by-line";
    case OutputMode::kJson:
      return "json";
    case OutputMode::kChunked:
      return "chunked";
  }
  return "unknown";
}

const char* to_string(StreamId stream) {
  return stream == StreamId::kStdout ? "stdout" : "stderr";
}

Status validate_spawn_options(const SpawnOptions& options) {
  if (options.program.empty()) return invalid("the program is empty");
  if (has_nul(options.program)) return invalid("the program name contains a NUL byte");
  for (std::size_t i = 0; i < options.args.size(); ++i) {
    if (has_nul(options.args[i])) {
      return invalid("args[" + std::to_string(i) + "] contains a NUL byte");
    }
  }
  if (options.cwd) {
    if (options.cwd->empty()) return invalid("the working directory is an empty string");
    if (has_nul(*options.cwd)) return invalid("the working directory contains a NUL byte");
  }
  return validate_env(options.env);
}

Status validate_framing(const FramingOptions& options, StreamId stream) {
  const char* name = to_string(stream);
  THEATER_RETURN_IF_ERROR(check_size(name, "buffer-size", options.buffer_size));
  if (options.mode == OutputMode::kChunked) {
    if (!options.chunk_size) {
      return invalid(std::string(name) + ": chunked mode needs a chunk-size");
    }
    if (*options.chunk_size == 0) return invalid(std::string(name) + ": chunk-size is 0");
    THEATER_RETURN_IF_ERROR(check_size(name, "chunk-size", *options.chunk_size));
  }
  if (options.mode == OutputMode::kJson && options.max_json_line == 0) {
    return invalid(std::string(name) + ": the json line limit is 0");
  }
  return ok_status();
}

Status validate_limits(const TableLimits& limits) {
  if (limits.max_processes == 0) return invalid("max_processes is 0");
  if (limits.max_output_buffer < 2) {
    return invalid("max_output_buffer " + std::to_string(limits.max_output_buffer) +
                   " is below 2 bytes (one for each stream)");
  }
  if (limits.max_stdin_queue == 0) return invalid("max_stdin_queue is 0");
  if (limits.kill_grace.count() < 0) return invalid("kill_grace is negative");
  if (limits.orphaned_output_timeout.count() < 0) {
    return invalid("orphaned_output_timeout is negative");
  }
  return ok_status();
}

Status validate_config(const ProcessConfig& config, const TableLimits& limits) {
  THEATER_RETURN_IF_ERROR(validate_limits(limits));
  THEATER_RETURN_IF_ERROR(validate_spawn_options(config.spawn));
  if (config.execution_timeout) {
    if (config.execution_timeout->count() <= 0) return invalid("execution-timeout is 0");
    if (*config.execution_timeout > kMaxExecutionTimeout) {
      return invalid("execution-timeout " + std::to_string(config.execution_timeout->count()) +
                     " ms exceeds the maximum of one year");
    }
  }
  const std::size_t stream_budget = limits.max_output_buffer / 2;
  for (StreamId stream : {StreamId::kStdout, StreamId::kStderr}) {
    const FramingOptions& requested =
        stream == StreamId::kStdout ? config.stdout_framing : config.stderr_framing;
    const FramingOptions framing = framing_for_budget(requested, stream_budget);
    THEATER_RETURN_IF_ERROR(validate_framing(framing, stream));
    const std::size_t held = OutputFramer::max_held_bytes(framing);
    if (held >= stream_budget) {
      return invalid(std::string(to_string(stream)) + ": " + to_string(framing.mode) +
                     " mode may hold " + std::to_string(held) +
                     " bytes of an unfinished piece, which needs a max_output_buffer of at least " +
                     std::to_string(2 * (held + 1)) + " (it is " +
                     std::to_string(limits.max_output_buffer) + ")");
    }
  }
  return ok_status();
}

Result<std::chrono::milliseconds> timeout_from_seconds(std::uint64_t seconds) {
  const auto max_seconds = std::chrono::duration_cast<std::chrono::seconds>(kMaxExecutionTimeout);
  if (seconds == 0) return invalid("execution-timeout is 0 seconds");
  if (seconds > static_cast<std::uint64_t>(max_seconds.count())) {
    return invalid("execution-timeout " + std::to_string(seconds) +
                   " s exceeds the maximum of one year");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds) * 1000);
}

std::vector<std::string> program_candidates(std::string_view program, const EnvList& env) {
  if (program.find('/') != std::string_view::npos) return {std::string(program)};
  std::string_view path = kDefaultPath;
  auto it = std::find_if(env.begin(), env.end(), [](const auto& kv) { return kv.first == "PATH"; });
  if (it != env.end()) path = it->second;

  std::vector<std::string> candidates;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view dir = path.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate(dir);
      if (candidate.back() != '/') candidate += '/';
      candidate += program;
      candidates.push_back(std::move(candidate));
    }
    start = end + 1;
  }
  return candidates;
}

}  // namespace theater::process
