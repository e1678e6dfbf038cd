// The TCP listener's bearer token: 32 random bytes as 64 lowercase hex
// digits in $THEATER_HOME/token (mode 0600), created when missing and reused
// otherwise, so clients on this machine read it and others cannot.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace theater::server {

Result<std::string> load_or_create_token(const std::filesystem::path& home);
// Whether an Authorization header value is "Bearer <token>", compared in
// constant time.
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace theater::server
