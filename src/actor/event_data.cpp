#include "actor/event_data.h"

#include "common/utf8.h"

namespace theater::actor {

nlohmann::json binary(std::span<const uint8_t> bytes) {
  return nlohmann::json::binary(std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

nlohmann::json text_or_bytes(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  return binary({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

nlohmann::json state_json(const handler::State& state) {
  if (!state) return nullptr;
  return binary(*state);
}

handler::ChainEvent to_handler_event(chain::Event event) {
  handler::ChainEvent out;
  out.hash.assign(event.hash.begin(), event.hash.end());
  if (event.parent_hash)
    out.parent_hash = handler::Bytes(event.parent_hash->begin(), event.parent_hash->end());
  out.event_type = std::move(event.event_type);
  out.data = std::move(event.data);
  out.timestamp = event.timestamp_ms;
  out.description = std::move(event.description);
  return out;
}

}  // namespace theater::actor
