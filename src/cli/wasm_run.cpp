// `theater wasm-run <module> <export> [args...]`: an engine-level smoke test.
// Compiles the module, instantiates it without host imports, calls one export with arguments typed
// by its signature, and prints the results and how long each step took.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>

#include "cli/commands.h"
#include "wasm/engine.h"
#include "wasm/v8/v8_engine.h"

namespace theater::cli {
namespace {

using Millis = std::chrono::duration<double, std::milli>;

Result<wasm::Value> parse_value(const std::string& text, wasm::ValType type) {
  try {
    size_t used = 0;
    wasm::Value value;
    switch (type) {
      case wasm::ValType::kI32:
        value = wasm::Value::i32(static_cast<int32_t>(std::stol(text, &used, 0)));
        break;
      case wasm::ValType::kI64:
        value = wasm::Value::i64(std::stoll(text, &used, 0));
        break;
      case wasm::ValType::kF32:
        value = wasm::Value::f32(std::stof(text, &used));
        break;
      case wasm::ValType::kF64:
        value = wasm::Value::f64(std::stod(text, &used));
        break;
    }
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "argument \"" + text + "\" is not a valid " + wasm::to_string(type));
}

struct Options {
  std::string module_path;
  std::string export_name;
  std::vector<std::string> args;
  int timeout_ms = 10000;
  std::string memory_mode = "bounds-checks";
};

int run(const Options& options) {
  std::ifstream in(options.module_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", options.module_path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto fail = [](const Error& error) {
    std::fprintf(stderr, "error: %s\n", error.message.c_str());
    return 1;
  };
  auto mode = wasm::parse_memory_mode(options.memory_mode);
  if (!mode.ok()) return fail(mode.error());
  wasm::EngineConfig config;
  config.memory_mode = *mode;
  auto engine = wasm::create_v8_engine(config);
  if (!engine.ok()) return fail(engine.error());

  auto t0 = std::chrono::steady_clock::now();
  auto module = (*engine)->compile(bytes);
  if (!module.ok()) return fail(module.error());
  auto t1 = std::chrono::steady_clock::now();
  auto instance = (*engine)->instantiate(*module, nullptr, {});
  if (!instance.ok()) return fail(instance.error());
  auto t2 = std::chrono::steady_clock::now();

  const wasm::ExportInfo* info = (*module)->info().find_export(options.export_name);
  if (!info || !info->func_type) {
    return fail(make_error(ErrorCode::kNotFound,
                           "the module exports no function named " + options.export_name));
  }
  const wasm::FuncType& type = *info->func_type;
  if (options.args.size() != type.params.size()) {
    return fail(make_error(ErrorCode::kInvalidArgument,
                           options.export_name + " has type " + type.to_string() + " but " +
                               std::to_string(options.args.size()) + " arguments were given"));
  }
  std::vector<wasm::Value> args;
  for (size_t i = 0; i < options.args.size(); ++i) {
    auto value = parse_value(options.args[i], type.params[i]);
    if (!value.ok()) return fail(value.error());
    args.push_back(*value);
  }
  auto results =
      (*instance)->call(options.export_name, args, std::chrono::milliseconds(options.timeout_ms));
  auto t3 = std::chrono::steady_clock::now();
  std::printf("compile %.2f ms, instantiate %.3f ms, call %.3f ms\n", Millis(t1 - t0).count(),
              Millis(t2 - t1).count(), Millis(t3 - t2).count());
  if (!results.ok()) return fail(results.error());
  for (const wasm::Value& v : *results) std::printf("%s\n", v.to_string().c_str());
  return 0;
}

}  // namespace

void add_wasm_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("wasm-run", "Call one export of a core wasm module (engine smoke test)");
  cmd->add_option("module", options->module_path, "Path of the .wasm file")->required();
  cmd->add_option("export", options->export_name, "Name of the exported function")->required();
  cmd->add_option("args", options->args, "Arguments, typed by the export's signature");
  cmd->add_option("--timeout-ms", options->timeout_ms, "Deadline of the call (ms, at least 1)")
      ->check(CLI::Range(1, std::numeric_limits<int>::max()))
      ->capture_default_str();
  cmd->add_option("--memory-mode", options->memory_mode, "bounds-checks or guard-regions")
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace theater::cli
