#include "handlers/filesystem/guest_path.h"

#include <vector>

namespace theater::handlers {
namespace {

std::vector<std::string_view> components(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t slash = std::min(text.find('/', at), text.size());
    const std::string_view part = text.substr(at, slash - at);
    if (!part.empty() && part != ".") parts.push_back(part);
    at = slash + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string_view>& parts, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += '/';
    out += parts[i];
  }
  return out.empty() ? std::string(".") : out;
}

}  // namespace

Result<GuestPath> parse_guest_path(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument, "the path holds a NUL byte");
  }
  if (!text.empty() && text.front() == '/') {
    return make_error(ErrorCode::kPermissionDenied,
                      "absolute paths are refused (name a root first, e.g. \"data/file\")");
  }
  const std::vector<std::string_view> parts = components(text);
  if (parts.empty()) return make_error(ErrorCode::kInvalidArgument, "the path is empty");
  for (std::string_view part : parts) {
    if (part == "..") return make_error(ErrorCode::kPermissionDenied, "'..' is refused");
  }
  const bool entry = parts.size() > 1;
  GuestPath path{std::string(parts.front()), join(parts, 1, parts.size()),
                 join(parts, 1, entry ? parts.size() - 1 : 1),
                 entry ? std::string(parts.back()) : std::string()};
  return path;
}

}  // namespace theater::handlers
