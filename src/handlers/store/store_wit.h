// WIT names and types of theater:simple/store as ABI types.
#pragma once

#include <string>

#include "abi/abi.h"

namespace theater::handlers::store_wit {

inline constexpr const char* kInterface = "theater:simple/store";

// record content-ref
struct ContentRef {
  std::string hash;  // lowercase hex SHA-256
};
THEATER_ABI_RECORD(ContentRef, hash)

}  // namespace theater::handlers::store_wit
