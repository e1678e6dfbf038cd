#include "config/grants.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "config/location.h"

namespace theater::config {

namespace {

[[noreturn]] void schema_bug(std::string_view type, std::string_view key) {
  std::fprintf(stderr, "theater: broken invariant: handler %.*s has no permission key %.*s\n",
               static_cast<int>(type.size()), type.data(), static_cast<int>(key.size()),
               key.data());
  std::abort();
}

const GrantKey& schema_key(const HandlerSchema& schema, std::string_view key) {
  const GrantKey* found = schema.find_grant_key(key);
  if (found == nullptr) schema_bug(schema.type, key);
  return *found;
}

GrantValue narrow_value(const GrantKey& key, const GrantValue& ceiling, const GrantValue& limit) {
  if (is_list(key.kind)) return std::get<AllowList>(ceiling).intersect(std::get<AllowList>(limit));
  std::uint64_t a = std::get<std::uint64_t>(ceiling);
  std::uint64_t b = std::get<std::uint64_t>(limit);
  return key.kind == GrantKind::kUpperBound ? std::min(a, b) : std::max(a, b);
}

GrantValue widest_value(const GrantKey& key) {
  if (is_list(key.kind)) return AllowList::everything(matching_of(key.kind));
  return key.kind == GrantKind::kUpperBound ? key.max_value : key.min_value;
}

// A permission is never granted by omission: lists default to nothing,
// numbers to their default moved inside the ceiling.
GrantValue default_value(const GrantKey& key, const GrantValue& ceiling) {
  if (is_list(key.kind)) return AllowList::nothing(matching_of(key.kind));
  return narrow_value(key, ceiling, key.default_value);
}

// Empty when `requested` fits `ceiling`, else what is wrong with it.
// `owner` says who set the ceiling: "the parent", "the parent and permission_policy.x".
std::string excess(const GrantKey& key, const GrantValue& ceiling, const GrantValue& requested,
                   std::string_view owner) {
  const std::string by(owner);
  if (is_list(key.kind)) {
    const auto& allowed = std::get<AllowList>(ceiling);
    std::optional<std::string> outside = allowed.first_not_allowed(std::get<AllowList>(requested));
    if (!outside) return {};
    return std::string(key.name) + " " + *outside + " is not allowed by " + by +
           " (allowed: " + allowed.to_string() + ")";
  }
  std::uint64_t limit = std::get<std::uint64_t>(ceiling);
  std::uint64_t value = std::get<std::uint64_t>(requested);
  if (key.kind == GrantKind::kUpperBound && value > limit) {
    return std::string(key.name) + " = " + std::to_string(value) + " exceeds the limit of " +
           std::to_string(limit) + " set by " + by;
  }
  if (key.kind == GrantKind::kLowerBound && value < limit) {
    return std::string(key.name) + " = " + std::to_string(value) + " is below the minimum of " +
           std::to_string(limit) + " set by " + by;
  }
  return {};
}

}  // namespace

const GrantValue& HandlerGrant::value(std::string_view key) const {
  auto found = values.find(key);
  if (found == values.end()) schema_bug(type, key);
  return found->second;
}

const AllowList& HandlerGrant::list(std::string_view key) const {
  auto found = values.find(key);
  if (found == values.end() || !std::holds_alternative<AllowList>(found->second)) {
    schema_bug(type, key);
  }
  return std::get<AllowList>(found->second);
}

std::uint64_t HandlerGrant::number(std::string_view key) const {
  auto found = values.find(key);
  if (found == values.end() || !std::holds_alternative<std::uint64_t>(found->second)) {
    schema_bug(type, key);
  }
  return std::get<std::uint64_t>(found->second);
}

HandlerGrant unlimited_grant(const HandlerSchema& schema) {
  HandlerGrant grant{schema.type, {}};
  for (const GrantKey& key : schema.grant_keys) grant.values.emplace(key.name, widest_value(key));
  return grant;
}

HandlerGrant narrow(const HandlerSchema& schema, const HandlerGrant& ceiling,
                    const GrantRequest& restriction) {
  HandlerGrant narrowed = ceiling;
  for (const auto& [name, requested] : restriction.values) {
    const GrantKey& key = schema_key(schema, name);
    GrantValue& value = narrowed.values.find(name)->second;
    value = narrow_value(key, value, requested.value);
  }
  return narrowed;
}

GrantRequest with_defaults(const HandlerSchema& schema, const HandlerGrant& ceiling,
                           GrantRequest request) {
  for (const GrantKey& key : schema.grant_keys) {
    if (request.has(key.name)) continue;
    request.values.emplace(key.name,
                           RequestedValue{default_value(key, ceiling.value(key.name)), 0});
  }
  return request;
}

Status check_within(const HandlerSchema& schema, const HandlerGrant& ceiling,
                    const GrantRequest& request, std::string_view source,
                    std::string_view ceiling_owner) {
  for (const auto& [name, requested] : request.values) {
    const GrantKey& key = schema_key(schema, name);
    std::string problem = excess(key, ceiling.value(name), requested.value, ceiling_owner);
    if (!problem.empty()) {
      return config_error(ErrorCode::kPermissionDenied, source, requested.line,
                          "handler " + schema.type + ": " + problem);
    }
  }
  return ok_status();
}

}  // namespace theater::config
