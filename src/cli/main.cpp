// The `theater` command.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/engine_loader.h"
#include "cli/exit_codes.h"

namespace {

// CLI11 answers a mistyped command with "A subcommand is required"; name it
// instead. The first argument, when it is not an option and no command
// has that name.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  const std::string first = argv[1];
  const auto matching = app.get_subcommands([&](CLI::App* sub) { return sub->check_name(first); });
  if (!matching.empty()) return std::nullopt;
  return first;
}

std::string command_names(CLI::App& app) {
  std::string names;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  namespace exit_codes = theater::cli::exit_codes;
  CLI::App app{"Theater: a WebAssembly actor runtime"};
  app.require_subcommand(1);
  int exit_code = exit_codes::kSuccess;
  // Every command but the log commands (and --help, or no command at all)
  // needs the engine module: loading it costs what loading V8 costs.
  std::optional<theater::cli::EngineCommands> engine;
  if (argc < 2 || !theater::cli::is_log_command(argv[1])) {
    auto loaded = theater::cli::EngineCommands::load();
    if (!loaded.ok()) {
      std::fprintf(stderr, "error: %s\n", loaded.error().message.c_str());
      return exit_codes::kFailure;
    }
    engine = std::move(*loaded);
    engine->add_to(app, exit_code);
  }
  theater::cli::add_events_command(app, exit_code);
  theater::cli::add_verify_command(app, exit_code);
  theater::cli::add_verify_links_command(app, exit_code);
  theater::cli::add_store_command(app, exit_code);
  if (auto unknown = unknown_command(app, argc, argv)) {
    std::fprintf(stderr, "error: unknown command \"%s\" (commands: %s; see theater --help)\n",
                 unknown->c_str(), command_names(app).c_str());
    return exit_codes::kUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every real parse error is a usage error.
    return app.exit(e) == 0 ? exit_codes::kSuccess : exit_codes::kUsage;
  }
  if (engine) engine->shutdown();
  return exit_code;
}
