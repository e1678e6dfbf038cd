#include "cli/event_format.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <span>
#include <string_view>

#include "common/sha256.h"
#include "common/utf8.h"

namespace theater::cli {
namespace {

constexpr size_t kShortHashDigits = 12;
constexpr const char* kBytesMarker = "hex:";

nlohmann::json readable_bytes(const nlohmann::json::binary_t& bytes) {
  const std::string_view as_text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (is_valid_utf8(as_text)) return std::string(as_text);
  return kBytesMarker + to_hex(std::span<const uint8_t>(bytes.data(), bytes.size()));
}

std::string readable_data(std::span<const uint8_t> data) {
  if (data.empty()) return "(no data)";
  auto decoded = chain::cbor_data_to_json(data);
  if (!decoded.ok()) return "(" + std::to_string(data.size()) + " bytes, not CBOR)";
  // CBOR text strings are not checked for UTF-8 when decoded: show what is not as U+FFFD.
  return readable(*decoded).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string iso8601_utc(uint64_t unix_ms) {
  const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return std::to_string(unix_ms) + "ms";
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03" PRIu64 "Z",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                utc.tm_sec, unix_ms % 1000);
  return text;
}

nlohmann::json readable(const nlohmann::json& value) {
  if (value.is_binary()) return readable_bytes(value.get_binary());
  if (value.is_object()) {
    nlohmann::json shown = nlohmann::json::object();
    for (const auto& [key, member] : value.items()) shown[key] = readable(member);
    return shown;
  }
  if (value.is_array()) {
    nlohmann::json shown = nlohmann::json::array();
    for (const auto& element : value) shown.push_back(readable(element));
    return shown;
  }
  return value;
}

std::string pretty_block(const chain::Event& event, uint64_t index) {
  std::string block = std::to_string(index);
  if (block.size() < 4) block.insert(0, 4 - block.size(), ' ');
  block += "  " + iso8601_utc(event.timestamp_ms) + "  " +
           chain::hash_to_hex(event.hash).substr(0, kShortHashDigits) + "  " + event.event_type;
  if (event.description) block += "  " + *event.description;
  block += "\n      " + readable_data(event.data) + "\n";
  return block;
}

}  // namespace theater::cli
