// Permission values of one handler, and the three operations the permission
// model is made of: narrow (what a restriction leaves), fill in defaults (what
// a child that did not ask gets) and check (a request must fit its ceiling).
// All driven by the handler's schema (handler_schema.h), never by per-handler
// code.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"
#include "config/allow_list.h"
#include "config/handler_schema.h"

namespace theater::config {

// A list key holds an AllowList, a bound key a number.
using GrantValue = std::variant<AllowList, std::uint64_t>;

// One handler's complete permission: a value for every key of its schema.
struct HandlerGrant {
  std::string type;  // the handler's, for messages
  std::map<std::string, GrantValue, std::less<>> values;

  // The value of a key of this handler's schema (asking for another key is a bug).
  [[nodiscard]] const GrantValue& value(std::string_view key) const;
  [[nodiscard]] const AllowList& list(std::string_view key) const;
  [[nodiscard]] std::uint64_t number(std::string_view key) const;

  bool operator==(const HandlerGrant&) const = default;
};

// A value as a manifest wrote it, with its line for error messages.
struct RequestedValue {
  GrantValue value;
  int line = 0;
};

// The permission keys one manifest table wrote (a [[handler]] entry or a
// restrict policy); keys left out are absent.
struct GrantRequest {
  std::map<std::string, RequestedValue, std::less<>> values;

  [[nodiscard]] bool has(std::string_view key) const { return values.contains(key); }
};

// Everything the runtime allows for the handler: lists are ["*"], bounds are
// at the end of their schema range.
HandlerGrant unlimited_grant(const HandlerSchema& schema);

// `ceiling` with every key the restriction wrote narrowed: lists intersected,
// upper bounds lowered, lower bounds raised. Absent keys stay as they are.
// The result never allows more than `ceiling`.
HandlerGrant narrow(const HandlerSchema& schema, const HandlerGrant& ceiling,
                    const GrantRequest& restriction);

// `request` with each absent key set to its default: lists to nothing,
// numbers to the schema default, lowered (or raised) to fit `ceiling`, so a
// child that does not ask is never refused for a default.
GrantRequest with_defaults(const HandlerSchema& schema, const HandlerGrant& ceiling,
                           GrantRequest request);

// Ok when every value of `request` fits inside `ceiling`; otherwise a
// kPermissionDenied error naming the handler, key, value and line, e.g.
// "child.toml:9: handler process: allowed_programs /usr/bin/curl is not
// allowed by the parent (allowed: [...])". `ceiling_owner` names who set the
// ceiling ("the parent").
Status check_within(const HandlerSchema& schema, const HandlerGrant& ceiling,
                    const GrantRequest& request, std::string_view source,
                    std::string_view ceiling_owner);

}  // namespace theater::config
