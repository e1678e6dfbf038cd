#include "handlers/store/store_records.h"

namespace theater::handlers::store_records {

void record_status(const handler::ActorHandle& actor, const char* function, nlohmann::json request,
                   const Status& outcome) {
  if (outcome.ok()) {
    request["ok"] = nullptr;
  } else {
    request["error"] = outcome.error().message;
  }
  (void)actor.record(std::string(kPrefix) + function, std::nullopt, request);
}

void record_refusal(const handler::ActorHandle& actor, const char* function,
                    const std::string& store_id, const Error& error) {
  (void)actor.record(kPermissionDenied, error.message,
                     {{"operation", function}, {"store", store_id}, {"error", error.message}});
}

nlohmann::json content_value(const std::vector<std::uint8_t>& content, const std::string& hash) {
  if (content.size() <= kInlineContentBytes) return nlohmann::json::binary(content);
  return {{"content_sha256", hash}, {"content_size", content.size()}};
}

}  // namespace theater::handlers::store_records
