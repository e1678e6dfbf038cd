// File operations confined to a directory descriptor. Every path is resolved
// by the kernel with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): no
// "..", absolute path or symbolic link (even one swapped in while we look)
// can leave the directory. Without openat2 (ENOSYS) every call is refused:
// there is no fallback to resolution in user space.
//
// Errors: kPermissionDenied when the path would leave the directory (EXDEV) or
// crosses a magic link (ELOOP); kNotFound; kUnavailable for ENOSYS; otherwise
// the errno text. Messages name the path as the guest wrote it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace theater::handlers::beneath {

// Opens a granted directory itself (O_PATH | O_DIRECTORY), and checks once
// that this kernel has openat2.
Result<UniqueFd> open_root(const std::string& path);

// openat2 of `relative` beneath `dir` with `flags` (O_CLOEXEC is added).
Result<UniqueFd> open(int dir, const std::string& relative, int flags, const std::string& shown);

// Whole content of a regular file; refused past `max_size` before reading
// (fstat) and while reading (a file that grows), never allocating past it.
Result<std::vector<std::uint8_t>> read_file(int dir, const std::string& relative,
                                            std::uint64_t max_size, const std::string& shown);

// Replaces (or creates) entry `name` of directory `parent` atomically: a
// temporary file in the same directory, written, fsynced, renamed over the
// name, then the directory fsynced. A reader sees the old or the new content.
Status write_file_atomically(int parent, const std::string& name,
                             const std::vector<std::uint8_t>& content, const std::string& shown);

// Entry names of a directory (no "." or ".."), sorted.
Result<std::vector<std::string>> list(int dir, const std::string& relative,
                                      const std::string& shown);

// Whether `relative` names anything (a dangling symlink inside counts as
// missing); a path leaving the directory is an error, not false.
Result<bool> exists(int dir, const std::string& relative, const std::string& shown);

// Errors as above from an errno.
Error error_from_errno(int error, const std::string& what, const std::string& shown);

}  // namespace theater::handlers::beneath
