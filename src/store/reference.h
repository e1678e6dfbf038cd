// Content-store references, accepted wherever a manifest names a file (the
// component, init_state, a supervisor's child manifest):
//   store://<store-id>/<label>        the content the label points at
//   store://<store-id>/hash/<sha256>  that content
// The label is everything after "<store-id>/" (it may contain '/'); a label
// that is literally "hash/..." is reached through the hash form only.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "store/content_store.h"

namespace theater::store {

inline constexpr std::string_view kReferenceScheme = "store://";

struct Reference {
  std::string store_id;
  std::string label;  // empty for the hash form
  std::string hash;   // empty for the label form
};

bool is_reference(std::string_view text);
// Checks the store id, label or hash as every store call does.
Result<Reference> parse_reference(std::string_view text);
// The content a reference names; kNotFound naming the reference otherwise.
Result<Bytes> resolve(ContentStore& store, std::string_view text);

}  // namespace theater::store
