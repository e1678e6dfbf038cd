// How a guest names a file: "<root>/<path inside it>", where <root> is the
// last component of a granted directory (paths = ["/srv/data"] -> "data").
// Parsing is textual and refuses what can never be inside a root (absolute
// paths, "..", NUL); the kernel then resolves the rest beneath the root's
// descriptor (beneath.h), which is what keeps symbolic links inside.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace theater::handlers {

struct GuestPath {
  std::string root;      // the root's name
  std::string relative;  // inside the root, "." for the root itself
  // The same split in two for operations on a directory entry: the parent
  // ("." for the root) and the entry's name (empty when `relative` is ".").
  std::string parent;
  std::string name;
};

// kPermissionDenied for absolute paths and ".."; kInvalidArgument for an empty
// path or a NUL byte. "." components and repeated slashes are dropped.
Result<GuestPath> parse_guest_path(std::string_view text);

}  // namespace theater::handlers
