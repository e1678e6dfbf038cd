// The whole-manifest check against a runtime's schemas.
#include "config/handler_config.h"

#include "config/location.h"
#include "config/raw_table.h"
#include "config/toml_reader.h"

namespace theater::config {

namespace {

Error unknown_type(const Manifest& manifest, int line, const std::string& context,
                   std::string_view type, const HandlerSchemas& schemas) {
  return config_error(ErrorCode::kInvalidArgument, manifest.source, line,
                      context + ": unknown handler type \"" + std::string(type) +
                          "\" (known: " + schemas.known_types() + ")");
}

}  // namespace

Status check_handler_tables(const Manifest& manifest, const HandlerSchemas& schemas) {
  for (const HandlerEntry& entry : manifest.handlers) {
    const HandlerSchema* schema = schemas.find(entry.type);
    if (schema == nullptr) {
      const toml::node* type_node = entry.table->table->get("type");
      return unknown_type(manifest, line_of(*type_node), entry.table->context, entry.type, schemas);
    }
    THEATER_RETURN_IF_ERROR(read_handler_config(manifest, *schema));
  }
  for (const auto& [type, policy] : manifest.permission_policy) {
    const HandlerSchema* schema = schemas.find(type);
    if (schema == nullptr) {
      return unknown_type(manifest, policy.line, policy.table->context, type, schemas);
    }
    THEATER_RETURN_IF_ERROR(read_policy(manifest, *schema));
  }
  return ok_status();
}

}  // namespace theater::config
