// The `theater` command.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "wasm/engine.h"

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
  theater::cli::add_version_command(app, exit_code);
  theater::cli::add_wasm_run_command(app, exit_code);
  theater::cli::add_run_command(app, exit_code);
  theater::cli::add_events_command(app, exit_code);
  theater::cli::add_verify_command(app, exit_code);
  theater::cli::add_verify_links_command(app, exit_code);
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
  theater::wasm::shutdown_engines();
  return exit_code;
}
