// The filesystem handler (wit/filesystem.wit): read-file, write-file,
// list-files, delete-file, create-dir, delete-dir, path-exists, confined to
// the directories the actor's manifest grants. Registered once per runtime;
// each actor gets its own FilesystemInstance (its roots, opened once).
#pragma once

#include "handler_api/handler.h"
#include "handlers/filesystem/filesystem_config.h"

namespace theater::handlers {

class FilesystemHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/filesystem";

  const config::HandlerSchema& schema() const override { return filesystem_schema(); }
  std::vector<std::string> imports() const override { return {kInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
};

}  // namespace theater::handlers
