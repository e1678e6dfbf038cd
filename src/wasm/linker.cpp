#include "wasm/linker.h"

namespace theater::wasm {

Status check_imports(const ModuleInfo& module, const HostImports& imports) {
  for (const ImportInfo& import : module.imports) {
    const std::string label = import.module + "." + import.name;
    switch (import.kind) {
      case ExternKind::kMemory:
        continue;  // the engine provides the instance's memory
      case ExternKind::kFunction:
        break;
      default:
        return make_error(ErrorCode::kInvalidArgument,
                          "the module imports a " + std::string(to_string(import.kind)) + " " +
                              label + "; only functions and one memory can be imported");
    }
    if (!import.func_type) {
      return make_error(ErrorCode::kInvalidArgument, "import " + label + " uses the type " +
                                                         import.unsupported_type +
                                                         ", which host functions cannot take");
    }
    const HostFunction* function = imports.find(import.module, import.name);
    if (function == nullptr) {
      return make_error(ErrorCode::kNotFound, "the module imports " + label + " " +
                                                  import.func_type->to_string() +
                                                  ", which the host does not provide");
    }
    if (function->type != *import.func_type) {
      return make_error(ErrorCode::kInvalidArgument,
                        "import " + label + " has type " + import.func_type->to_string() +
                            " in the module but " + function->type.to_string() + " in the host");
    }
  }
  return {};
}

}  // namespace theater::wasm
