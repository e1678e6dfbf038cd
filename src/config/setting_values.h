// The settings of one handler as its manifest entry wrote them (or their
// schema defaults): generic values the handler turns into its own typed view.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace theater::config {

// kBool: bool; kInteger, kDurationMs: uint64 (ms); kString, kPath: string;
// kStringList: a vector of strings.
using SettingValue = std::variant<bool, std::uint64_t, std::string, std::vector<std::string>>;

class SettingValues {
 public:
  SettingValues() = default;
  // `type` names the handler in the message of a broken invariant.
  explicit SettingValues(std::string type) : type_(std::move(type)) {}

  void set(std::string key, SettingValue value) { values_[std::move(key)] = std::move(value); }

  // Whether the key was written or has a default.
  [[nodiscard]] bool has(std::string_view key) const { return values_.contains(key); }

  // Reading a key that is absent, or of another kind, is a bug of the
  // handler (its schema says what is there): it aborts naming the key.
  [[nodiscard]] bool flag(std::string_view key) const;
  [[nodiscard]] std::uint64_t number(std::string_view key) const;
  [[nodiscard]] std::chrono::milliseconds duration(std::string_view key) const;
  [[nodiscard]] const std::string& text(std::string_view key) const;
  [[nodiscard]] const std::vector<std::string>& list(std::string_view key) const;

  bool operator==(const SettingValues&) const = default;

 private:
  template <class T>
  const T& get(std::string_view key) const;

  std::string type_;
  std::map<std::string, SettingValue, std::less<>> values_;
};

}  // namespace theater::config
