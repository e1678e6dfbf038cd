// The process handler's own events in the actor's chain. Event types are
// "theater:simple/process/<what>"; data never holds environment values.
// Output needs no event of its own: the runtime records each handle-stdout /
// handle-stderr call with its bytes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "handler_api/actor_handle.h"
#include "handlers/process/os/output_framer.h"
#include "handlers/process/os/process_events.h"
#include "handlers/process/spawn_policy.h"

namespace theater::handlers::records {

inline constexpr const char* kSpawn = "theater:simple/process/spawn";
inline constexpr const char* kPermissionDenied = "theater:simple/process/permission-denied";
inline constexpr const char* kSpawnError = "theater:simple/process/spawn-error";
inline constexpr const char* kWriteStdin = "theater:simple/process/write-stdin";
inline constexpr const char* kCloseStdin = "theater:simple/process/close-stdin";
inline constexpr const char* kStatus = "theater:simple/process/status";
inline constexpr const char* kSignal = "theater:simple/process/signal";
inline constexpr const char* kKill = "theater:simple/process/kill";
inline constexpr const char* kTimeout = "theater:simple/process/timeout";
inline constexpr const char* kExit = "theater:simple/process/exit";
inline constexpr const char* kInvalidJson = "theater:simple/process/invalid-json";
inline constexpr const char* kInvalidJsonSkipped = "theater:simple/process/invalid-json-skipped";
inline constexpr const char* kStop = "theater:simple/process/stop";

// A process that started: what runs, where, with which variable names.
nlohmann::json spawn_data(std::uint64_t pid, int os_pid, const std::string& requested_program,
                          const process::ProcessConfig& config, const AdmittedSpawn& admitted);

// Exit (and, before it, the timeout when one fired).
void record_exit(const handler::ActorHandle& actor, process::ProcessId id,
                 const process::ProcessExit& exit);

void record_invalid_json(const handler::ActorHandle& actor, process::ProcessId id,
                         process::StreamId stream, const process::RejectedLine& line);
void record_invalid_json_skipped(const handler::ActorHandle& actor, process::ProcessId id,
                                 process::StreamId stream, std::size_t count);

// "9 (KILL)" style text for a signal number.
std::string signal_text(int signal);

}  // namespace theater::handlers::records
