#include "handlers/process/process_wit.h"

namespace theater::handlers::process_wit {

process::OutputMode to_os(const OutputMode& mode) {
  switch (mode.index()) {
    case 0:
      return process::OutputMode::kRaw;
    case 1:
      return process::OutputMode::kLineByLine;
    case 2:
      return process::OutputMode::kJson;
    default:
      return process::OutputMode::kChunked;
  }
}

Result<process::ProcessConfig> to_os(const ProcessConfig& config) {
  process::ProcessConfig os;
  os.spawn.program = config.program;
  os.spawn.args = config.args;
  os.spawn.cwd = config.cwd;
  os.spawn.env.reserve(config.env.size());
  for (const auto& [name, value] : config.env) os.spawn.env.emplace_back(name, value);

  // buffer-size and chunk-size are one setting in the WIT, shared by both streams.
  for (auto [framing, mode] : {std::pair{&os.stdout_framing, &config.stdout_mode},
                               std::pair{&os.stderr_framing, &config.stderr_mode}}) {
    framing->mode = to_os(*mode);
    framing->buffer_size = config.buffer_size;
    framing->chunk_size = config.chunk_size;
  }
  if (config.execution_timeout) {
    THEATER_ASSIGN_OR_RETURN(os.execution_timeout,
                             process::timeout_from_seconds(*config.execution_timeout));
  }
  return os;
}

ProcessStatus from_os(const process::ProcessStatus& status) {
  return ProcessStatus{status.id, status.running, status.exit_code,
                       static_cast<std::uint64_t>(std::max<std::int64_t>(status.start_time_ms, 0))};
}

}  // namespace theater::handlers::process_wit
