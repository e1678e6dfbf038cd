// The `theater` command's subcommands. Each registers itself on the CLI11 app
// and returns the exit code through `exit_code` when it ran.
#pragma once

#include <CLI/CLI.hpp>
#include <string_view>

namespace theater::cli {

// The engine commands: they run wasm, and live in the engine module
// (engine_module.h), loaded only when one of them runs.
void add_version_command(CLI::App& app, int& exit_code);
void add_wasm_run_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
// `theater server`: the management API (server_command.cpp, src/server/).
void add_server_command(CLI::App& app, int& exit_code);

// The log commands: they only read the event log, in `theater` itself.
void add_events_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);
void add_verify_links_command(CLI::App& app, int& exit_code);
// `theater store ls|get|put|label|new`: the content store (store_command.cpp).
void add_store_command(CLI::App& app, int& exit_code);
bool is_store_command(std::string_view name);
// Whether `name` is one of them (`theater <name> ...` needs no engine).
bool is_log_command(std::string_view name);

}  // namespace theater::cli
