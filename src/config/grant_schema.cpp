#include "config/grant_schema.h"

#include <algorithm>

namespace theater::config {

namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr std::uint64_t kHourMs = 3600 * 1000;
constexpr std::uint64_t kYearMs = 366 * 24 * kHourMs;

constexpr GrantKey list_key(std::string_view name, GrantKind kind) {
  return {name, kind};
}
constexpr GrantKey upper_bound(std::string_view name, std::uint64_t default_value,
                               std::uint64_t min_value, std::uint64_t max_value) {
  return {name, GrantKind::kUpperBound, default_value, min_value, max_value};
}
constexpr GrantKey lower_bound(std::string_view name, std::uint64_t default_value,
                               std::uint64_t min_value, std::uint64_t max_value) {
  return {name, GrantKind::kLowerBound, default_value, min_value, max_value};
}

// Semantics of each key: see handler_permissions.h, where handlers read them.
constexpr GrantKey kProcessKeys[] = {
    list_key("allowed_programs", GrantKind::kPrograms),
    list_key("allowed_paths", GrantKind::kDirectories),
    upper_bound("max_processes", 16, 0, 4096),
    upper_bound("max_output_buffer", 1 * kMiB, 4 * kKiB, 1 * kGiB),
    list_key("inherit_env", GrantKind::kNames),
};
constexpr GrantKey kMessageServerKeys[] = {
    upper_bound("request_timeout_ms", 30'000, 1, 24 * kHourMs),
    upper_bound("mailbox_size", 1024, 1, 1'000'000),
};
constexpr GrantKey kSupervisorKeys[] = {
    upper_bound("max_children", 100, 0, 100'000),
};
constexpr GrantKey kTimingKeys[] = {
    upper_bound("max_sleep_ms", kHourMs, 0, kYearMs),
    lower_bound("min_sleep_ms", 0, 0, kYearMs),
};
constexpr GrantKey kRandomKeys[] = {
    upper_bound("max_bytes", 1 * kMiB, 0, 1 * kGiB),
};
constexpr GrantKey kEnvironmentKeys[] = {
    list_key("allowed_vars", GrantKind::kNames),
};
constexpr GrantKey kFilesystemKeys[] = {
    list_key("allowed_paths", GrantKind::kDirectories),
};

}  // namespace

bool is_list(GrantKind kind) {
  return kind == GrantKind::kNames || kind == GrantKind::kPrograms ||
         kind == GrantKind::kDirectories;
}

Matching matching_of(GrantKind kind) {
  return kind == GrantKind::kDirectories ? Matching::kPathPrefix : Matching::kExactName;
}

std::span<const GrantKey> grant_keys(HandlerType type) {
  switch (type) {
    case HandlerType::kProcess:
      return kProcessKeys;
    case HandlerType::kMessageServer:
      return kMessageServerKeys;
    case HandlerType::kSupervisor:
      return kSupervisorKeys;
    case HandlerType::kTiming:
      return kTimingKeys;
    case HandlerType::kRandom:
      return kRandomKeys;
    case HandlerType::kEnvironment:
      return kEnvironmentKeys;
    case HandlerType::kFilesystem:
      return kFilesystemKeys;
    case HandlerType::kRuntime:
    case HandlerType::kStore:
      return {};
  }
  return {};
}

const GrantKey* find_grant_key(HandlerType type, std::string_view name) {
  std::span<const GrantKey> keys = grant_keys(type);
  auto found =
      std::find_if(keys.begin(), keys.end(), [&](const GrantKey& key) { return key.name == name; });
  return found == keys.end() ? nullptr : &*found;
}

}  // namespace theater::config
