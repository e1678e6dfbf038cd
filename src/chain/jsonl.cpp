#include "chain/jsonl.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "chain/base64.h"

namespace theater::chain {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

const json* find_field(const json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

Result<std::string> required_string(const json& object, const char* name) {
  const json* field = find_field(object, name);
  if (!field) return invalid(std::string("missing field \"") + name + "\"");
  if (!field->is_string()) {
    return invalid(std::string("field \"") + name + "\" is " + field->type_name() +
                   ", expected a string");
  }
  return field->get<std::string>();
}

// A string field that may be null (or absent, read as null).
Result<std::optional<std::string>> nullable_string(const json& object, const char* name) {
  const json* field = find_field(object, name);
  if (!field || field->is_null()) return std::optional<std::string>();
  if (!field->is_string()) {
    return invalid(std::string("field \"") + name + "\" is " + field->type_name() +
                   ", expected a string or null");
  }
  return std::optional<std::string>(field->get<std::string>());
}

// A wrong value as it reads in a message: scalars as written, anything else
// by its kind (dumping a deeply nested array recurses as deep as it nests).
std::string describe_value(const json& value) {
  return value.is_primitive() ? value.dump() : std::string(value.type_name());
}

Result<uint64_t> required_timestamp(const json& object) {
  const json* field = find_field(object, "timestamp");
  if (!field) return invalid("missing field \"timestamp\"");
  if (!field->is_number_unsigned()) {
    return invalid("field \"timestamp\" is " + describe_value(*field) +
                   ", expected a non-negative integer");
  }
  return field->get<uint64_t>();
}

Result<EventHash> hash_field(const std::string& text, const char* name) {
  auto hash = hash_from_hex(text);
  if (!hash.ok()) return hash.error().context(std::string("field \"") + name + "\"");
  return hash;
}

Result<Event> event_from_json(const json& object) {
  if (!object.is_object()) return invalid(std::string("line is a JSON ") + object.type_name());
  Event event;
  THEATER_ASSIGN_OR_RETURN(const std::string hash_hex, required_string(object, "hash"));
  THEATER_ASSIGN_OR_RETURN(event.hash, hash_field(hash_hex, "hash"));
  THEATER_ASSIGN_OR_RETURN(const auto parent_hex, nullable_string(object, "parent_hash"));
  if (parent_hex) {
    THEATER_ASSIGN_OR_RETURN(event.parent_hash, hash_field(*parent_hex, "parent_hash"));
  }
  THEATER_ASSIGN_OR_RETURN(event.event_type, required_string(object, "event_type"));
  THEATER_ASSIGN_OR_RETURN(event.timestamp_ms, required_timestamp(object));
  THEATER_ASSIGN_OR_RETURN(event.description, nullable_string(object, "description"));
  THEATER_ASSIGN_OR_RETURN(const std::string data_text, required_string(object, "data"));
  auto data = base64_decode(data_text);
  if (!data.ok()) return data.error().context("field \"data\"");
  event.data = std::move(data).value();
  return event;
}

}  // namespace

Result<std::string> to_jsonl_line(const Event& event) {
  // ordered_json keeps DESIGN.md's field order, which makes files diffable.
  ordered_json line;
  line["hash"] = hash_to_hex(event.hash);
  line["parent_hash"] = event.parent_hash ? ordered_json(hash_to_hex(*event.parent_hash)) : nullptr;
  line["event_type"] = event.event_type;
  line["timestamp"] = event.timestamp_ms;
  line["description"] = event.description ? ordered_json(*event.description) : nullptr;
  line["data"] = base64_encode(event.data);
  try {
    return line.dump();  // strict: throws on invalid UTF-8
  } catch (const json::exception& e) {
    return invalid("event " + hash_to_hex(event.hash) + " cannot be written as JSON: " + e.what());
  }
}

Result<Event> parse_jsonl_line(std::string_view line) {
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    return invalid(std::string("not JSON: ") + e.what());
  }
  return event_from_json(object);
}

Status write_jsonl(std::ostream& out, std::span<const Event> events) {
  for (size_t i = 0; i < events.size(); ++i) {
    auto line = to_jsonl_line(events[i]);
    if (!line.ok()) return line.error().context("event " + std::to_string(i));
    out << *line << '\n';
  }
  out.flush();
  if (!out) return make_error(ErrorCode::kInternal, "writing JSON Lines failed");
  return ok_status();
}

Status write_jsonl_file(const std::filesystem::path& path, std::span<const Event> events) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return make_error(ErrorCode::kInternal,
                      "cannot create " + path.string() + ": " + std::strerror(errno));
  }
  auto status = write_jsonl(out, events);
  if (!status.ok()) return status.error().context(path.string());
  return ok_status();
}

Status for_each_jsonl_event(std::istream& in, std::string_view source_name,
                            const EventVisitor& visit) {
  std::string line;
  for (size_t line_number = 1; std::getline(in, line); ++line_number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate CRLF files
    if (line.empty()) continue;
    auto event = parse_jsonl_line(line);
    if (!event.ok()) {
      return event.error().context(std::string(source_name) + ":" + std::to_string(line_number));
    }
    THEATER_RETURN_IF_ERROR(visit(*event));
  }
  if (in.bad()) {
    return make_error(ErrorCode::kInternal, "reading " + std::string(source_name) + " failed");
  }
  return ok_status();
}

Status for_each_jsonl_event_in_file(const std::filesystem::path& path, const EventVisitor& visit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const ErrorCode code = errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kInternal;
    return make_error(code, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  return for_each_jsonl_event(in, path.string(), visit);
}

Result<std::vector<Event>> read_jsonl(std::istream& in, std::string_view source_name) {
  std::vector<Event> events;
  THEATER_RETURN_IF_ERROR(for_each_jsonl_event(in, source_name, append_to(events)));
  return events;
}

Result<std::vector<Event>> read_jsonl_file(const std::filesystem::path& path) {
  std::vector<Event> events;
  THEATER_RETURN_IF_ERROR(for_each_jsonl_event_in_file(path, append_to(events)));
  return events;
}

}  // namespace theater::chain
