// The store handler's events in the actor's chain:
// "theater:simple/store/<function>" for every call, with what the guest got
// back ({"ok": ...} or {"error": ...}) next to what it asked for, and
// "theater:simple/store/permission-denied" {operation, store, error} for
// every refusal. Content returned by `get` is recorded inline up to
// kInlineContentBytes; larger content by its hash and size only
// ({"content_sha256", "content_size"}): the store never deletes content, and
// the hash the guest asked for is the content's, so replay reads it back
// from the store and the chain still commits to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "handler_api/actor_handle.h"

namespace theater::handlers::store_records {

inline constexpr const char* kPrefix = "theater:simple/store/";
inline constexpr const char* kPermissionDenied = "theater:simple/store/permission-denied";
inline constexpr std::size_t kInlineContentBytes = 64 * 1024;

// The call's request fields plus its outcome, recorded as <prefix><function>.
template <class T>
void record_call(const handler::ActorHandle& actor, const char* function, nlohmann::json request,
                 const Result<T>& outcome, nlohmann::json (*value_of)(const T&)) {
  if (outcome.ok()) {
    request["ok"] = value_of(*outcome);
  } else {
    request["error"] = outcome.error().message;
  }
  (void)actor.record(std::string(kPrefix) + function, std::nullopt, request);
}

void record_status(const handler::ActorHandle& actor, const char* function, nlohmann::json request,
                   const Status& outcome);

void record_refusal(const handler::ActorHandle& actor, const char* function,
                    const std::string& store_id, const Error& error);

// What a `get` returned, for its event: the bytes, or their hash and size.
nlohmann::json content_value(const std::vector<std::uint8_t>& content, const std::string& hash);

}  // namespace theater::handlers::store_records
