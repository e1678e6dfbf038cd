// What the content store accepts as a store id, a label and a content hash.
// Every public entry point of ContentStore checks its arguments with these,
// so a guest's value never reaches SQLite or anything else unchecked; none of
// them is ever used as a file path.
#pragma once

#include <string_view>

#include "common/result.h"

namespace theater::store {

// The well-known store every actor's manifest and module go into, labelled
// "<actor-id>/manifest" and "<actor-id>/module". Written by the runtime only.
inline constexpr std::string_view kManifestsStore = "manifests";

inline constexpr size_t kMaxLabelBytes = 1024;
inline constexpr size_t kHashHexLength = 64;

// A lowercase hyphenated UUID (as `new` returns) or a well-known store's name.
Status check_store_id(std::string_view store_id);
// Non-empty, at most kMaxLabelBytes, well-formed UTF-8, no NUL.
Status check_label(std::string_view label);
// Lowercase hex SHA-256: 64 characters of [0-9a-f].
Status check_hash(std::string_view hash);

}  // namespace theater::store
