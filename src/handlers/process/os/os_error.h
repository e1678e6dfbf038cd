// Errors built from errno values, with the system's text for them.
#pragma once

#include <cerrno>
#include <string>
#include <system_error>

#include "common/result.h"

namespace theater::process {

inline std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// "<what>: <strerror text>", with an ErrorCode that fits the errno.
inline Error os_error(const std::string& what, int error) {
  ErrorCode code = ErrorCode::kInternal;
  if (error == ENOENT || error == ENOTDIR) code = ErrorCode::kNotFound;
  if (error == EACCES || error == EPERM) code = ErrorCode::kPermissionDenied;
  if (error == EMFILE || error == ENFILE || error == EAGAIN || error == ENOMEM) {
    code = ErrorCode::kResourceExhausted;
  }
  return make_error(code, what + ": " + errno_text(error));
}

}  // namespace theater::process
