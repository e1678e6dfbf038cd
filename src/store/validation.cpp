#include "store/validation.h"

#include <algorithm>
#include <string>

#include "common/utf8.h"

namespace theater::store {
namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool is_uuid(std::string_view text) {
  constexpr size_t kUuidLength = 36;
  if (text.size() != kUuidLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !is_lower_hex(text[i])) return false;
  }
  return true;
}

// Shown in messages: a guest's bad value, cut short and without control bytes.
std::string quoted(std::string_view text) {
  constexpr size_t kShown = 80;
  std::string shown;
  for (char c : text.substr(0, kShown)) {
    shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  }
  return "\"" + shown + (text.size() > kShown ? "...\"" : "\"");
}

}  // namespace

Status check_store_id(std::string_view store_id) {
  if (is_uuid(store_id) || store_id == kManifestsStore) return ok_status();
  return make_error(ErrorCode::kInvalidArgument,
                    "store id " + quoted(store_id) +
                        " is not a store id (a lowercase UUID that new() returned, or \"" +
                        std::string(kManifestsStore) + "\")");
}

Status check_label(std::string_view label) {
  if (label.empty()) return make_error(ErrorCode::kInvalidArgument, "a label may not be empty");
  if (label.size() > kMaxLabelBytes) {
    return make_error(ErrorCode::kInvalidArgument, "label of " + std::to_string(label.size()) +
                                                       " bytes is longer than " +
                                                       std::to_string(kMaxLabelBytes) + " bytes");
  }
  if (label.find('\0') != std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument,
                      "label " + quoted(label) + " contains a NUL byte");
  }
  if (!is_valid_utf8(label)) {
    return make_error(ErrorCode::kInvalidArgument, "label " + quoted(label) + " is not UTF-8");
  }
  return ok_status();
}

Status check_hash(std::string_view hash) {
  if (hash.size() == kHashHexLength && std::all_of(hash.begin(), hash.end(), is_lower_hex)) {
    return ok_status();
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "content ref " + quoted(hash) +
                        " is not a content hash (64 lowercase hex digits of SHA-256)");
}

}  // namespace theater::store
