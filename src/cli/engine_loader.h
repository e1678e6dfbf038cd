// Loads the engine commands' module (engine_module.h) for `theater`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/engine_module.h"
#include "common/result.h"

namespace theater::cli {

class EngineCommands {
 public:
  // The module beside the running executable. It stays loaded until the
  // process exits: its engines' threads and V8 must never outlive its code.
  static Result<EngineCommands> load();

  void add_to(CLI::App& app, int& exit_code) const { add_commands_(app, exit_code); }
  void shutdown() const { shutdown_(); }

 private:
  EngineCommands(engine_module::AddCommandsFn add_commands, engine_module::ShutdownFn shutdown)
      : add_commands_(add_commands), shutdown_(shutdown) {}

  engine_module::AddCommandsFn add_commands_;
  engine_module::ShutdownFn shutdown_;
};

}  // namespace theater::cli
