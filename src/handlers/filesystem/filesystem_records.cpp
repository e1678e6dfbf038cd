#include "handlers/filesystem/filesystem_records.h"

#include "chain/cbor_writer.h"

namespace theater::handlers::fs_records {

std::string event_type(const char* function) {
  return std::string("theater:simple/filesystem/") + function;
}

void record_content(const handler::ActorHandle& actor, const char* function,
                    const std::string& path, const std::vector<std::uint8_t>& content) {
  // Written as CBOR directly: a 1 MiB read is copied once, into the event.
  chain::CborWriter data(content.size() + path.size() + 32);
  data.map(2).text("path").text(path).text("content").bytes(content);
  (void)actor.record_cbor(
      event_type(function),
      std::string(function) + " '" + path + "': " + std::to_string(content.size()) + " bytes",
      data.take());
}

void record_listing(const handler::ActorHandle& actor, const std::string& path,
                    const std::vector<std::string>& entries) {
  (void)actor.record(event_type("list-files"), std::nullopt,
                     {{"path", path}, {"entries", entries}});
}

void record_exists(const handler::ActorHandle& actor, const std::string& path, bool exists) {
  (void)actor.record(event_type("path-exists"), std::nullopt, {{"path", path}, {"exists", exists}});
}

void record_done(const handler::ActorHandle& actor, const char* function, const std::string& path) {
  (void)actor.record(event_type(function), std::nullopt, {{"path", path}});
}

void record_failure(const handler::ActorHandle& actor, const char* function,
                    const std::string& path, const Error& error) {
  if (error.code == ErrorCode::kPermissionDenied) {
    (void)actor.record(kPermissionDenied,
                       std::string("refused ") + function + " '" + path + "': " + error.message,
                       {{"operation", function}, {"path", path}, {"reason", error.message}});
    return;
  }
  (void)actor.record(event_type(function), std::string(function) + " '" + path + "' failed",
                     {{"path", path}, {"error", error.message}});
}

}  // namespace theater::handlers::fs_records
