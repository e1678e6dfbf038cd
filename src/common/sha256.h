// SHA-256 through OpenSSL's libcrypto (uses the CPU's SHA extensions).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace theater {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest sha256(std::span<const uint8_t> bytes);
std::string to_hex(std::span<const uint8_t> bytes);  // lowercase

}  // namespace theater
