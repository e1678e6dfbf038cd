#include "server/manifest_source.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace theater::server {
namespace {

bool names_existing_file(std::string_view text) {
  if (text.empty() || text.find('\n') != std::string_view::npos) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(text), ec);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<ManifestSource> read_manifest(std::string_view path_or_toml,
                                     const config::HandlerSchemas& schemas) {
  if (names_existing_file(path_or_toml)) {
    const std::filesystem::path path(path_or_toml);
    THEATER_ASSIGN_OR_RETURN(config::Manifest manifest, config::parse_manifest_file(path, schemas));
    return ManifestSource{std::move(manifest), read_text(path)};
  }
  std::error_code ec;
  const std::filesystem::path base_dir = std::filesystem::current_path(ec);
  THEATER_ASSIGN_OR_RETURN(config::Manifest manifest,
                           config::parse_manifest_reference(path_or_toml, base_dir, schemas));
  return ManifestSource{std::move(manifest), std::string(path_or_toml)};
}

}  // namespace theater::server
