#include "handler_api/registry.h"

#include <algorithm>
#include <set>

namespace theater::handler {
namespace {

constexpr std::string_view kTheaterPackage = "theater:simple/";

// "theater:simple/process-handlers#handle-stdout" -> "theater:simple/process-handlers"
std::string_view export_interface(std::string_view export_name) {
  size_t hash = export_name.find('#');
  return hash == std::string_view::npos ? std::string_view() : export_name.substr(0, hash);
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

Status HandlerRegistry::add(std::unique_ptr<Handler> handler) {
  if (find(handler->type())) {
    return make_error(ErrorCode::kInvalidArgument,
                      "handler type " + handler->type() + " registered twice");
  }
  handlers_.push_back(std::move(handler));
  rebuild_schemas();
  return {};
}

void HandlerRegistry::reserve(std::string type) {
  if (!contains(reserved_types_, type)) reserved_types_.push_back(std::move(type));
  rebuild_schemas();
}

void HandlerRegistry::rebuild_schemas() {
  config::HandlerSchemas schemas;
  for (const auto& h : handlers_) (void)schemas.add(h->schema());  // types are unique
  for (const std::string& type : reserved_types_) {
    if (find(type) == nullptr) (void)schemas.add(config::HandlerSchema::without_keys(type));
  }
  schemas_ = std::move(schemas);
}

const Handler* HandlerRegistry::find(std::string_view type) const {
  for (const auto& h : handlers_)
    if (h->type() == type) return h.get();
  return nullptr;
}

const Handler* HandlerRegistry::service_provider(std::string_view name) const {
  for (const auto& h : handlers_)
    if (h->runtime_service(name) != nullptr) return h.get();
  return nullptr;
}

const Handler* HandlerRegistry::provider_of_import(std::string_view interface) const {
  for (const auto& h : handlers_)
    if (contains(h->imports(), interface)) return h.get();
  return nullptr;
}

Status HandlerRegistry::add_host_functions(wasm::HostImports& imports) const {
  for (const auto& h : handlers_) {
    Status status = h->add_host_functions(imports);
    if (!status.ok()) return status.error().context("handler " + h->type());
  }
  return {};
}

Result<std::vector<const Handler*>> HandlerRegistry::select(
    const wasm::ModuleInfo& module, const std::function<bool(std::string_view)>& granted) const {
  // interface -> why the module needs it (for the error message)
  std::set<const Handler*> needed;
  auto need = [&](const Handler* handler, std::string_view interface) -> Status {
    if (handler->always_granted() || granted(handler->type())) {
      needed.insert(handler);
      return {};
    }
    return make_error(
        ErrorCode::kPermissionDenied,
        "the module uses interface " + std::string(interface) + ", which needs handler \"" +
            handler->type() +
            "\", but the manifest does not grant it (add a [[handler]] with type = \"" +
            handler->type() + "\")");
  };
  for (const wasm::ImportInfo& import : module.imports) {
    if (import.module.rfind(kTheaterPackage, 0) != 0) continue;
    const Handler* handler = provider_of_import(import.module);
    if (!handler) {
      return make_error(ErrorCode::kNotFound, "the module imports " + import.module + "." +
                                                  import.name +
                                                  ", an interface no handler provides");
    }
    THEATER_RETURN_IF_ERROR(need(handler, import.module));
  }
  // An exported callback interface selects its handler when the manifest
  // grants it; without the grant nothing calls those exports. Exporting a
  // callback asks for nothing, so it is no reason to refuse the module (a
  // test actor may take commands through handle-send, say).
  for (const wasm::ExportInfo& exported : module.exports) {
    std::string_view interface = export_interface(exported.name);
    if (interface.empty()) continue;
    for (const auto& h : handlers_) {
      if (contains(h->exports(), interface) && (h->always_granted() || granted(h->type())))
        needed.insert(h.get());
    }
  }
  // Registration order, so handlers start in a stable order.
  std::vector<const Handler*> out;
  for (const auto& h : handlers_)
    if (needed.count(h.get())) out.push_back(h.get());
  return out;
}

}  // namespace theater::handler
