#include "handlers/filesystem/filesystem_config.h"

#include <filesystem>
#include <set>

namespace theater::handlers {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kDefaultMaxFileSize = 16 * kMiB;
// Reads allocate up to this much per call, on the actor's thread.
constexpr std::uint64_t kLargestMaxFileSize = 1024 * kMiB;

config::HandlerSchema make_schema() {
  using config::GrantKey;
  using config::GrantKind;
  config::HandlerSchema schema;
  schema.type = "filesystem";
  schema.grant_keys = {
      GrantKey::list("paths", GrantKind::kDirectories),
      GrantKey::list("writable_paths", GrantKind::kDirectories),
      GrantKey::upper_bound("max_file_size", kDefaultMaxFileSize, 0, kLargestMaxFileSize),
  };
  return schema;
}

Error refuse(const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument, "handler filesystem: " + what);
}

}  // namespace

const config::HandlerSchema& filesystem_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

Result<FilesystemPermissions> FilesystemPermissions::from(const config::HandlerGrant& grant) {
  const config::AllowList& paths = grant.list("paths");
  const config::AllowList& writable = grant.list("writable_paths");
  if (paths.is_everything()) return refuse("paths = [\"*\"] names no directory; list the roots");
  FilesystemPermissions permissions;
  permissions.max_file_size = grant.number("max_file_size");
  std::set<std::string> names;
  for (const std::string& path : paths.entries()) {
    const std::string name = std::filesystem::path(path).filename().string();
    if (name.empty()) return refuse("root " + path + " has no name (the file system root?)");
    if (!names.insert(name).second) {
      return refuse("two roots are named '" + name +
                    "' (a guest names a root by its last path component)");
    }
    permissions.roots.push_back({path, writable.allows(path)});
  }
  for (const std::string& path : writable.entries()) {
    if (!paths.allows(path)) return refuse("writable_paths " + path + " is not under paths");
  }
  return permissions;
}

}  // namespace theater::handlers
