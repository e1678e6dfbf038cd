#include "cli/engine_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace theater::cli {
namespace {

Result<std::filesystem::path> module_path() {
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    return make_error(ErrorCode::kInternal,
                      "cannot find the theater executable (/proc/self/exe): " + error.message());
  }
  return executable.parent_path() / engine_module::kFileName;
}

Error load_error(const std::filesystem::path& path, const std::string& what) {
  return make_error(ErrorCode::kInternal, "cannot load the engine commands from " + path.string() +
                                              ": " + what +
                                              " (it is built and installed beside theater)");
}

}  // namespace

Result<EngineCommands> EngineCommands::load() {
  THEATER_ASSIGN_OR_RETURN(const std::filesystem::path path, module_path());
  // Never closed (see load()'s comment in the header).
  void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module) return load_error(path, ::dlerror());
  auto add_commands = reinterpret_cast<engine_module::AddCommandsFn>(
      ::dlsym(module, engine_module::kAddCommandsSymbol));
  auto shutdown =
      reinterpret_cast<engine_module::ShutdownFn>(::dlsym(module, engine_module::kShutdownSymbol));
  if (!add_commands || !shutdown) return load_error(path, "it lacks its entry points");
  return EngineCommands(add_commands, shutdown);
}

}  // namespace theater::cli
