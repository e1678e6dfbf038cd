#include "chain/event_log_schema.h"

#include <cstdlib>
#include <string>

namespace theater::chain::schema {

std::filesystem::path event_file_path(const std::filesystem::path& db_path) {
  std::filesystem::path path = db_path;
  path += "-events";
  return path;
}

Status set_busy_timeout(sqlite::Database& db, std::chrono::milliseconds timeout) {
  return db.exec("PRAGMA busy_timeout = " + std::to_string(timeout.count()));
}

Status check_schema_version(sqlite::Database& db, bool stamp_if_new) {
  THEATER_ASSIGN_OR_RETURN(const std::string text, db.query_text("PRAGMA user_version"));
  const int version = std::atoi(text.c_str());
  if (version == 0 && stamp_if_new) {
    return db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  }
  if (version != kSchemaVersion) {
    const std::string hint =
        version < kSchemaVersion
            ? " (older logs are not migrated: move " + db.path().string() +
                  " and its -events file aside, or read them with the build that wrote them)"
            : "";
    return make_error(ErrorCode::kFailedPrecondition,
                      "event log " + db.path().string() + " has schema version " + text +
                          "; this build reads version " + std::to_string(kSchemaVersion) + hint);
  }
  return ok_status();
}

}  // namespace theater::chain::schema
