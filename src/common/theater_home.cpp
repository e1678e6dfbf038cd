#include "common/theater_home.h"

#include <cstdlib>

namespace theater {

Result<std::filesystem::path> theater_home() {
  if (const char* home = std::getenv("THEATER_HOME")) {
    if (*home) return std::filesystem::path(home);
    return make_error(ErrorCode::kInvalidArgument,
                      "THEATER_HOME is set but empty: name a folder, or unset it to use "
                      "~/.theater");
  }
  const char* user_home = std::getenv("HOME");
  return std::filesystem::path(user_home && *user_home ? user_home : ".") / ".theater";
}

}  // namespace theater
