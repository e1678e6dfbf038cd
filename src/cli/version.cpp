#include <dlfcn.h>

#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "wasm/v8/v8_engine.h"

namespace theater::cli {
namespace {

// The allocator the process runs on (cmake/Allocator.cmake): jemalloc answers
// mallctl("version"); without it, glibc's malloc is in use.
std::string allocator_name() {
  using MallctlFn = int (*)(const char*, void*, size_t*, void*, size_t);
  auto mallctl = reinterpret_cast<MallctlFn>(::dlsym(RTLD_DEFAULT, "mallctl"));
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (mallctl && mallctl("version", &version, &size, nullptr, 0) == 0 && version) {
    return std::string("jemalloc ") + version;
  }
  return "system malloc";
}

}  // namespace

void add_version_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("version", "Print the version of Theater and its engine");
  cmd->callback([&exit_code] {
    std::printf("theater %s (%s, %s)\n", THEATER_VERSION, wasm::v8_engine_version().c_str(),
                allocator_name().c_str());
    exit_code = 0;
  });
}

}  // namespace theater::cli
