// Internal to config/: typed, located reads from one toml++ table. Keeps
// toml++ out of the public headers and gives every manifest error the same
// shape: "<source>:<line>: <context>: <key> <problem>".
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace theater::config {

// "string \"ten\"", "integer 5", "array", ... for "got ..." in messages.
std::string describe_node(const toml::node& node);

// Line of a node (0 when toml++ does not know it).
int line_of(const toml::node& node);

// Parses TOML text; a syntax error becomes "<source>:<line>: invalid TOML: ...".
Result<toml::table> parse_toml(std::string_view text, std::string_view source);

class TableReader {
 public:
  // `context` names the table in messages ("" for the top level,
  // "[[handler]] #2 (process)", "[limits]", ...). The table must outlive the reader.
  TableReader(const toml::table& table, std::string_view source, std::string context);

  // The node under `key`, or nullptr; either way the key becomes known.
  const toml::node* take(std::string_view key);

  // An error at `node` (or at the table when null), with this table's context.
  [[nodiscard]] Error error_at(const toml::node* node, std::string_view message,
                               ErrorCode code = ErrorCode::kInvalidArgument) const;

  Result<std::optional<std::string>> optional_string(std::string_view key);
  Result<std::string> required_string(std::string_view key);
  Result<std::optional<bool>> optional_bool(std::string_view key);
  // An integer in [min_value, max_value].
  Result<std::optional<std::uint64_t>> optional_number(std::string_view key,
                                                       std::uint64_t min_value,
                                                       std::uint64_t max_value);
  // An array of non-empty strings.
  Result<std::optional<std::vector<std::string>>> optional_string_list(std::string_view key);

  // An error for the first key of the table that nothing took, listing the
  // keys this table knows.
  [[nodiscard]] Status reject_unknown_keys() const;

  [[nodiscard]] const toml::table& table() const { return table_; }
  [[nodiscard]] std::string_view source() const { return source_; }
  [[nodiscard]] int table_line() const { return line_of(table_); }

 private:
  [[nodiscard]] Error type_error(const toml::node& node, std::string_view key,
                                 std::string_view expected) const;

  const toml::table& table_;
  std::string source_;
  std::string context_;
  std::vector<std::string> known_keys_;  // in the order they were asked for
};

}  // namespace theater::config
