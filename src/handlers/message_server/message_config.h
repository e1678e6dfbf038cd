// The message server's manifest entry ([[handler]] type = "message-server"):
// its schema and the typed settings an instance works with.
#pragma once

#include <chrono>
#include <cstddef>

#include "config/handler_schema.h"
#include "config/setting_values.h"

namespace theater::handlers {

const config::HandlerSchema& message_server_schema();

struct MessageSettings {
  // How long `request` (and `open-channel`) waits for the answer.
  std::chrono::milliseconds request_timeout{30000};
  // How long a send to a full mailbox waits for room before it fails.
  std::chrono::milliseconds send_timeout{5000};
  // Messages queued for this actor and not yet handled, at most.
  std::size_t mailbox_size = 1024;
  // Largest message this actor may send.
  std::size_t max_message_size = 16u << 20;

  static MessageSettings from(const config::SettingValues& values);
};

}  // namespace theater::handlers
