#include "handlers/message_server/message_config.h"

namespace theater::handlers {
namespace {

constexpr std::uint64_t kHourMs = 3'600'000;
constexpr std::uint64_t kMiB = 1u << 20;

config::HandlerSchema make_schema() {
  using config::SettingKey;
  config::HandlerSchema schema;
  schema.type = "message-server";
  schema.setting_keys = {
      SettingKey::duration_ms("request_timeout_ms", 30000, 1, kHourMs),
      SettingKey::duration_ms("send_timeout_ms", 5000, 0, kHourMs),
      SettingKey::integer("mailbox_size", 1, 1u << 20, 1024),
      SettingKey::integer("max_message_size", 1, 1024 * kMiB, 16 * kMiB),
  };
  return schema;
}

}  // namespace

const config::HandlerSchema& message_server_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

MessageSettings MessageSettings::from(const config::SettingValues& values) {
  MessageSettings settings;
  settings.request_timeout = values.duration("request_timeout_ms");
  settings.send_timeout = values.duration("send_timeout_ms");
  settings.mailbox_size = values.number("mailbox_size");
  settings.max_message_size = values.number("max_message_size");
  return settings;
}

}  // namespace theater::handlers
