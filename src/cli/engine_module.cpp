// The entry points of the engine commands' module (engine_module.h).
#include "cli/engine_module.h"

#include "cli/commands.h"
#include "wasm/engine.h"

extern "C" void theater_add_engine_commands(CLI::App& app, int& exit_code) {
  // The order `theater --help` lists them in.
  theater::cli::add_version_command(app, exit_code);
  theater::cli::add_wasm_run_command(app, exit_code);
  theater::cli::add_run_command(app, exit_code);
  theater::cli::add_server_command(app, exit_code);
}

extern "C" void theater_shutdown_engines() {
  theater::wasm::shutdown_engines();
}

// The loader finds these by name: keep their types those it expects.
static_assert(std::is_same_v<decltype(&theater_add_engine_commands),
                             theater::cli::engine_module::AddCommandsFn>);
static_assert(
    std::is_same_v<decltype(&theater_shutdown_engines), theater::cli::engine_module::ShutdownFn>);
