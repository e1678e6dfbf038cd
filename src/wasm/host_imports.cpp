#include "wasm/host_imports.h"

namespace theater::wasm {

std::string HostImports::key(std::string_view module, std::string_view name) {
  std::string k;
  k.reserve(module.size() + name.size() + 1);
  k.append(module).push_back('\0');
  k.append(name);
  return k;
}

Status HostImports::add(HostFunction function) {
  const std::string label = function.module + "." + function.name;
  if (function.type.params.size() > kMaxHostParams ||
      function.type.results.size() > kMaxHostResults) {
    return make_error(ErrorCode::kInvalidArgument,
                      "host function " + label + " has type " + function.type.to_string() +
                          ": at most " + std::to_string(kMaxHostParams) + " params and " +
                          std::to_string(kMaxHostResults) + " results are supported");
  }
  if (!function.callback) {
    return make_error(ErrorCode::kInvalidArgument, "host function " + label + " has no callback");
  }
  auto [it, inserted] = index_.emplace(key(function.module, function.name), functions_.size());
  if (!inserted) {
    return make_error(ErrorCode::kInvalidArgument, "host function " + label + " is defined twice");
  }
  functions_.push_back(std::move(function));
  return {};
}

Status HostImports::add_all(const HostImports& other) {
  for (const HostFunction& f : other.functions()) THEATER_RETURN_IF_ERROR(add(f));
  return {};
}

const HostFunction* HostImports::find(std::string_view module, std::string_view name) const {
  auto it = index_.find(key(module, name));
  return it == index_.end() ? nullptr : &functions_[it->second];
}

}  // namespace theater::wasm
