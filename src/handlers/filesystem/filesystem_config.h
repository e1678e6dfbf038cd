// The filesystem handler's part of a manifest: its schema (the keys of
// [[handler]] type = "filesystem") and the typed view the handler reads its
// grant through. config/ parses and narrows the keys; only this folder knows
// what they mean.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/grants.h"
#include "config/handler_schema.h"

namespace theater::handlers {

// Permission keys: paths (the roots, kDirectories), writable_paths (the roots
// that may be written, kDirectories), max_file_size (bytes, upper bound).
const config::HandlerSchema& filesystem_schema();

// One granted directory as the grant names it.
struct RootGrant {
  std::string path;  // canonical
  bool writable = false;
};

// The effective filesystem permission of one actor.
struct FilesystemPermissions {
  std::vector<RootGrant> roots;
  std::uint64_t max_file_size = 0;

  // Refuses "*" (a root must be a directory) and roots whose last path
  // components collide (that component is how a guest names its root).
  static Result<FilesystemPermissions> from(const config::HandlerGrant& grant);
};

}  // namespace theater::handlers
