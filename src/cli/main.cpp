// The `theater` command.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "wasm/engine.h"

int main(int argc, char** argv) {
  CLI::App app{"Theater: a WebAssembly actor runtime"};
  app.require_subcommand(1);
  int exit_code = 0;
  theater::cli::add_version_command(app, exit_code);
  theater::cli::add_wasm_run_command(app, exit_code);
  theater::cli::add_run_command(app, exit_code);
  theater::cli::add_events_command(app, exit_code);
  theater::cli::add_verify_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message; a usage error exits 2 (--help 0), as commands document.
    return app.exit(e) == 0 ? 0 : 2;
  }
  theater::wasm::shutdown_engines();
  return exit_code;
}
