#include "config/setting_values.h"

#include <cstdio>
#include <cstdlib>

namespace theater::config {

template <class T>
const T& SettingValues::get(std::string_view key) const {
  auto found = values_.find(key);
  if (found == values_.end() || !std::holds_alternative<T>(found->second)) {
    std::fprintf(stderr,
                 "theater: broken invariant: handler %s read setting %.*s, which its schema "
                 "does not give in that kind\n",
                 type_.c_str(), static_cast<int>(key.size()), key.data());
    std::abort();
  }
  return std::get<T>(found->second);
}

bool SettingValues::flag(std::string_view key) const {
  return get<bool>(key);
}

std::uint64_t SettingValues::number(std::string_view key) const {
  return get<std::uint64_t>(key);
}

std::chrono::milliseconds SettingValues::duration(std::string_view key) const {
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(number(key)));
}

const std::string& SettingValues::text(std::string_view key) const {
  return get<std::string>(key);
}

const std::vector<std::string>& SettingValues::list(std::string_view key) const {
  return get<std::vector<std::string>>(key);
}

}  // namespace theater::config
