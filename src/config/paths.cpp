#include "config/paths.h"

#include <system_error>

namespace theater::config {

std::string canonical_path(const std::filesystem::path& path,
                           const std::filesystem::path& base_dir) {
  const std::filesystem::path absolute = path.is_absolute() ? path : base_dir / path;
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, error);
  if (error) canonical = absolute.lexically_normal();
  std::string text = canonical.string();
  // weakly_canonical keeps a trailing separator ("/data/" stays so); drop it so
  // equal directories compare equal as text.
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

bool is_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path.front() == '/';
  if (!path.starts_with(dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

}  // namespace theater::config
