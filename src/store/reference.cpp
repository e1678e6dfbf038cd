#include "store/reference.h"

namespace theater::store {
namespace {

constexpr std::string_view kHashPart = "hash/";

}  // namespace

bool is_reference(std::string_view text) {
  return text.starts_with(kReferenceScheme);
}

Result<Reference> parse_reference(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  if (!is_reference(text)) {
    return make_error(ErrorCode::kInvalidArgument, quoted + " is not a store:// reference");
  }
  std::string_view rest = text.substr(kReferenceScheme.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument, quoted +
                                                       ": expected store://<store-id>/<label> or "
                                                       "store://<store-id>/hash/<sha256>");
  }
  Reference reference;
  reference.store_id = std::string(rest.substr(0, slash));
  std::string_view tail = rest.substr(slash + 1);
  auto checked = [&](Status status) -> Result<Reference> {
    if (!status.ok()) return status.error().context(quoted);
    return reference;
  };
  THEATER_RETURN_IF_ERROR(checked(check_store_id(reference.store_id)));
  if (tail.starts_with(kHashPart)) {
    reference.hash = std::string(tail.substr(kHashPart.size()));
    return checked(check_hash(reference.hash));
  }
  reference.label = std::string(tail);
  return checked(check_label(reference.label));
}

Result<Bytes> resolve(ContentStore& store, std::string_view text) {
  THEATER_ASSIGN_OR_RETURN(Reference reference, parse_reference(text));
  std::string hash = reference.hash;
  if (hash.empty()) {
    auto target = store.label_target(reference.store_id, reference.label);
    if (!target.ok()) return target.error().context(std::string(text));
    if (!*target) {
      return make_error(ErrorCode::kNotFound, std::string(text) + ": store " + reference.store_id +
                                                  " has no label \"" + reference.label + "\"");
    }
    hash = **target;
  }
  auto content = store.get(reference.store_id, hash);
  if (!content.ok()) return content.error().context(std::string(text));
  return content;
}

}  // namespace theater::store
