// The filesystem handler's events in the actor's chain: one per host call,
// "theater:simple/filesystem/<function>", holding the path and what the guest
// got (the content read or written as CBOR bytes, the names listed, whether
// a path exists, or the error text); a refusal is
// "theater:simple/filesystem/permission-denied" with the operation, path and
// reason instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "handler_api/actor_handle.h"

namespace theater::handlers::fs_records {

inline constexpr const char* kPermissionDenied = "theater:simple/filesystem/permission-denied";

// "theater:simple/filesystem/<function>".
std::string event_type(const char* function);

// {"path", "content": bytes}: a read-file or write-file that succeeded.
void record_content(const handler::ActorHandle& actor, const char* function,
                    const std::string& path, const std::vector<std::uint8_t>& content);
// {"path", "entries"}.
void record_listing(const handler::ActorHandle& actor, const std::string& path,
                    const std::vector<std::string>& entries);
// {"path", "exists"}.
void record_exists(const handler::ActorHandle& actor, const std::string& path, bool exists);
// {"path"}: delete-file, create-dir, delete-dir that succeeded.
void record_done(const handler::ActorHandle& actor, const char* function, const std::string& path);
// A failure: a refusal (kPermissionDenied) as permission-denied
// {"operation", "path", "reason"}, any other as the function's event
// {"path", "error"}.
void record_failure(const handler::ActorHandle& actor, const char* function,
                    const std::string& path, const Error& error);

}  // namespace theater::handlers::fs_records
