// Path helpers shared by the manifest parser and the permission checks.
//
// Every path held in a Manifest or an EffectivePermissions is canonical:
// absolute, lexically normal, symbolic links resolved for the part that exists
// (std::filesystem::weakly_canonical). Permission checks then compare paths as
// text. Callers checking a path at call time (a handler) canonicalize it with
// canonical_path() first, so "/data/../etc" or a symlink cannot slip past.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace theater::config {

// `path` made absolute against `base_dir` (when relative) and canonicalized.
// Never fails: a path whose prefix cannot be resolved is only normalized.
std::string canonical_path(const std::filesystem::path& path,
                           const std::filesystem::path& base_dir);

// True when canonical `path` is `dir` itself or lies below it. Textual: both
// must already be canonical. "/data2" is not within "/data".
bool is_within(std::string_view path, std::string_view dir);

}  // namespace theater::config
