#include <v8.h>

#include <cstdio>

#include "cli/commands.h"

namespace theater::cli {

void add_version_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("version", "Print the version of Theater and its engine");
  cmd->callback([&exit_code] {
    std::printf("theater %s (V8 %s)\n", THEATER_VERSION, v8::V8::GetVersion());
    exit_code = 0;
  });
}

}  // namespace theater::cli
