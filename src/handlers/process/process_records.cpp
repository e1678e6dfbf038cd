#include "handlers/process/process_records.h"

#include <string.h>  // sigabbrev_np

namespace theater::handlers::records {
namespace {

using Json = nlohmann::json;

Json env_names(const process::EnvList& env, std::size_t count) {
  Json names = Json::array();
  for (std::size_t i = 0; i < count && i < env.size(); ++i) names.push_back(env[i].first);
  return names;
}

Json framing_json(const process::FramingOptions& framing) {
  Json out = {{"mode", process::to_string(framing.mode)},
              {"buffer_size", framing.effective_buffer_size()}};
  if (framing.mode == process::OutputMode::kChunked && framing.chunk_size) {
    out["chunk_size"] = *framing.chunk_size;
  }
  return out;
}

}  // namespace

std::string signal_text(int signal) {
  const char* name = ::sigabbrev_np(signal);
  return std::to_string(signal) + (name ? std::string(" (SIG") + name + ")" : std::string());
}

Json spawn_data(std::uint64_t pid, int os_pid, const std::string& requested_program,
                const process::ProcessConfig& config, const AdmittedSpawn& admitted) {
  const process::SpawnOptions& spawn = admitted.spawn;
  // The actor's own variables come first in the child's environment, then the inherited ones.
  const std::size_t own = spawn.env.size() - admitted.inherited_env.size();
  Json data = {{"pid", pid},
               {"os_pid", os_pid},
               {"program", requested_program},
               {"executable", admitted.executable},
               {"args", spawn.args},
               {"cwd", spawn.cwd ? Json(*spawn.cwd) : Json(nullptr)},
               {"env", env_names(spawn.env, own)},
               {"inherited_env", admitted.inherited_env},
               {"stdout", framing_json(config.stdout_framing)},
               {"stderr", framing_json(config.stderr_framing)}};
  data["execution_timeout_ms"] =
      config.execution_timeout ? Json(config.execution_timeout->count()) : Json(nullptr);
  return data;
}

void record_exit(const handler::ActorHandle& actor, process::ProcessId id,
                 const process::ProcessExit& exit) {
  if (exit.timed_out) {
    (void)actor.record(kTimeout,
                       "process " + std::to_string(id) + " ran past its execution-timeout",
                       {{"pid", id}, {"action", "SIGTERM, then SIGKILL after the kill grace"}});
  }
  Json data = {{"pid", id}, {"exit_code", exit.exit_code}, {"timed_out", exit.timed_out}};
  std::string description;
  if (exit.exit_code < 0 && exit.exit_code != INT32_MIN) {
    data["signal"] = -exit.exit_code;
    description =
        "process " + std::to_string(id) + " was ended by signal " + signal_text(-exit.exit_code);
  } else {
    description =
        "process " + std::to_string(id) + " exited with code " + std::to_string(exit.exit_code);
  }
  (void)actor.record(kExit, description, data);
}

void record_invalid_json(const handler::ActorHandle& actor, process::ProcessId id,
                         process::StreamId stream, const process::RejectedLine& line) {
  (void)actor.record(kInvalidJson,
                     "process " + std::to_string(id) + ": a " + process::to_string(stream) +
                         " line is not valid JSON and was not delivered",
                     {{"pid", id},
                      {"stream", process::to_string(stream)},
                      {"length", line.length},
                      {"reason", line.reason},
                      {"sample", Json::binary(line.sample)}});
}

void record_invalid_json_skipped(const handler::ActorHandle& actor, process::ProcessId id,
                                 process::StreamId stream, std::size_t count) {
  (void)actor.record(kInvalidJsonSkipped,
                     "process " + std::to_string(id) + ": " + std::to_string(count) +
                         " more invalid " + process::to_string(stream) +
                         " lines, counted but not recorded one by one",
                     {{"pid", id}, {"stream", process::to_string(stream)}, {"count", count}});
}

}  // namespace theater::handlers::records
