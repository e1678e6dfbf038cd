// The commands that run wasm (version, wasm-run, run) are built into a module
// of their own, `libtheater_engine_commands.so` beside the `theater`
// executable, which links V8. `theater` loads it only when one of them runs:
// libnode binds its ~58,000 symbols when it is loaded (it is linked with
// BIND_NOW), about 60 ms of CPU that `theater verify` and `theater events`,
// which only read the event log, no longer pay.
//
// The module's entry points, shared by the module and its loader.
#pragma once

#include <CLI/CLI.hpp>

namespace theater::cli::engine_module {

inline constexpr const char* kFileName = "libtheater_engine_commands.so";

// Registers the module's commands on the app (see commands.h).
inline constexpr const char* kAddCommandsSymbol = "theater_add_engine_commands";
using AddCommandsFn = void (*)(CLI::App& app, int& exit_code);

// Disposes the engines the commands started, before the process exits.
inline constexpr const char* kShutdownSymbol = "theater_shutdown_engines";
using ShutdownFn = void (*)();

}  // namespace theater::cli::engine_module
