// Checks, before any engine work, that a host import set satisfies a module:
// every import by name, kind and type. Errors name the import.
#pragma once

#include "common/result.h"
#include "wasm/host_imports.h"
#include "wasm/module_info.h"

namespace theater::wasm {

Status check_imports(const ModuleInfo& module, const HostImports& imports);

}  // namespace theater::wasm
