// The `theater` command's subcommands. Each registers itself on the CLI11 app
// and returns the exit code through `exit_code` when it ran.
#pragma once

#include <CLI/CLI.hpp>

namespace theater::cli {

void add_version_command(CLI::App& app, int& exit_code);
void add_wasm_run_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_events_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);
void add_verify_links_command(CLI::App& app, int& exit_code);

}  // namespace theater::cli
