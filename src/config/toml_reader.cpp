#include "config/toml_reader.h"

#include <algorithm>
#include <sstream>

#include "config/location.h"

namespace theater::config {

std::string describe_node(const toml::node& node) {
  if (const auto* text = node.as_string()) return "string \"" + text->get() + "\"";
  if (const auto* number = node.as_integer()) return "integer " + std::to_string(number->get());
  if (const auto* number = node.as_floating_point()) {
    std::ostringstream out;
    out << "float " << number->get();
    return out.str();
  }
  if (const auto* flag = node.as_boolean()) return flag->get() ? "boolean true" : "boolean false";
  if (node.is_array()) return "array";
  if (node.is_table()) return "table";
  return "date/time";
}

int line_of(const toml::node& node) {
  return static_cast<int>(node.source().begin.line);
}

Result<toml::table> parse_toml(std::string_view text, std::string_view source) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    return config_error(ErrorCode::kInvalidArgument, source,
                        static_cast<int>(error.source().begin.line),
                        std::string("invalid TOML: ") + std::string(error.description()));
  }
#else
  toml::parse_result parsed = toml::parse(text, source);
  if (!parsed) {
    return config_error(ErrorCode::kInvalidArgument, source,
                        static_cast<int>(parsed.error().source().begin.line),
                        std::string("invalid TOML: ") + std::string(parsed.error().description()));
  }
  return std::move(parsed).table();
#endif
}

TableReader::TableReader(const toml::table& table, std::string_view source, std::string context)
    : table_(table), source_(source), context_(std::move(context)) {}

const toml::node* TableReader::take(std::string_view key) {
  if (std::find(known_keys_.begin(), known_keys_.end(), key) == known_keys_.end()) {
    known_keys_.emplace_back(key);
  }
  return table_.get(key);
}

Error TableReader::error_at(const toml::node* node, std::string_view message,
                            ErrorCode code) const {
  int line = node != nullptr ? line_of(*node) : line_of(table_);
  std::string text =
      context_.empty() ? std::string(message) : context_ + ": " + std::string(message);
  return config_error(code, source_, line, text);
}

Error TableReader::type_error(const toml::node& node, std::string_view key,
                              std::string_view expected) const {
  return error_at(&node, std::string(key) + " must be " + std::string(expected) + ", got " +
                             describe_node(node));
}

Result<std::optional<std::string>> TableReader::optional_string(std::string_view key) {
  const toml::node* node = take(key);
  if (node == nullptr) return std::optional<std::string>();
  const auto* text = node->as_string();
  if (text == nullptr) return type_error(*node, key, "a string");
  return std::optional<std::string>(text->get());
}

Result<std::string> TableReader::required_string(std::string_view key) {
  THEATER_ASSIGN_OR_RETURN(std::optional<std::string> text, optional_string(key));
  if (!text) return error_at(nullptr, "missing required key \"" + std::string(key) + "\"");
  if (text->empty()) return error_at(table_.get(key), std::string(key) + " must not be empty");
  return std::move(*text);
}

Result<std::optional<bool>> TableReader::optional_bool(std::string_view key) {
  const toml::node* node = take(key);
  if (node == nullptr) return std::optional<bool>();
  const auto* flag = node->as_boolean();
  if (flag == nullptr) return type_error(*node, key, "true or false");
  return std::optional<bool>(flag->get());
}

Result<std::optional<std::uint64_t>> TableReader::optional_number(std::string_view key,
                                                                  std::uint64_t min_value,
                                                                  std::uint64_t max_value) {
  const toml::node* node = take(key);
  if (node == nullptr) return std::optional<std::uint64_t>();
  const auto* number = node->as_integer();
  if (number == nullptr) return type_error(*node, key, "an integer");
  const std::int64_t value = number->get();
  if (value < 0 || static_cast<std::uint64_t>(value) < min_value ||
      static_cast<std::uint64_t>(value) > max_value) {
    return error_at(node, std::string(key) + " = " + std::to_string(value) + " is out of range [" +
                              std::to_string(min_value) + ", " + std::to_string(max_value) + "]");
  }
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(value));
}

Result<std::optional<std::vector<std::string>>> TableReader::optional_string_list(
    std::string_view key) {
  const toml::node* node = take(key);
  if (node == nullptr) return std::optional<std::vector<std::string>>();
  const auto* array = node->as_array();
  if (array == nullptr) return type_error(*node, key, "an array of strings");
  std::vector<std::string> items;
  for (const toml::node& item : *array) {
    const auto* text = item.as_string();
    if (text == nullptr) return type_error(item, std::string(key) + " entries", "strings");
    if (text->get().empty()) return error_at(&item, std::string(key) + " has an empty entry");
    items.push_back(text->get());
  }
  return std::optional<std::vector<std::string>>(std::move(items));
}

Status TableReader::reject_unknown_keys() const {
  for (const auto& [key, node] : table_) {
    if (std::find(known_keys_.begin(), known_keys_.end(), key.str()) != known_keys_.end()) {
      continue;
    }
    std::string known;
    for (const std::string& name : known_keys_) known += (known.empty() ? "" : ", ") + name;
    return config_error(ErrorCode::kInvalidArgument, source_,
                        static_cast<int>(key.source().begin.line),
                        (context_.empty() ? "" : context_ + ": ") + "unknown key \"" +
                            std::string(key.str()) + "\" (known keys: " + known + ")");
  }
  return ok_status();
}

}  // namespace theater::config
