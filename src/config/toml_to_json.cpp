#include "config/toml_to_json.h"

#include <cmath>
#include <sstream>
#include <string>

namespace theater::config {

namespace {

Result<nlohmann::json> array_to_json(const toml::array& array, const std::string& path) {
  nlohmann::json json = nlohmann::json::array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    THEATER_ASSIGN_OR_RETURN(nlohmann::json item,
                             toml_to_json(array[i], path + "[" + std::to_string(i) + "]"));
    json.push_back(std::move(item));
  }
  return json;
}

Result<nlohmann::json> table_to_json(const toml::table& table, const std::string& path) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [key, value] : table) {
    THEATER_ASSIGN_OR_RETURN(nlohmann::json item,
                             toml_to_json(value, path + "." + std::string(key.str())));
    json[std::string(key.str())] = std::move(item);
  }
  return json;
}

}  // namespace

Result<nlohmann::json> toml_to_json(const toml::node& node, const std::string& path) {
  if (const auto* table = node.as_table()) return table_to_json(*table, path);
  if (const auto* array = node.as_array()) return array_to_json(*array, path);
  if (const auto* text = node.as_string()) return nlohmann::json(text->get());
  if (const auto* number = node.as_integer()) return nlohmann::json(number->get());
  if (const auto* flag = node.as_boolean()) return nlohmann::json(flag->get());
  if (const auto* number = node.as_floating_point()) {
    if (!std::isfinite(number->get())) {
      return make_error(ErrorCode::kInvalidArgument,
                        path + " is " + std::to_string(number->get()) + ", which JSON cannot hold");
    }
    return nlohmann::json(number->get());
  }
  std::ostringstream text;  // date, time or date-time
  node.visit([&](const auto& value) {
    if constexpr (toml::is_date<decltype(value)> || toml::is_time<decltype(value)> ||
                  toml::is_date_time<decltype(value)>) {
      text << value;
    }
  });
  return nlohmann::json(text.str());
}

}  // namespace theater::config
