// The message server's WIT names and types (wit/message-server.wit,
// wit/types.wit) as the canonical ABI layer sees them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "abi/abi.h"

namespace theater::handlers::message_wit {

using Bytes = std::vector<std::uint8_t>;

constexpr const char* kHostInterface = "theater:simple/message-server-host";
constexpr const char* kClientInterface = "theater:simple/message-server-client";

constexpr const char* kHandleSend = "theater:simple/message-server-client#handle-send";
constexpr const char* kHandleRequest = "theater:simple/message-server-client#handle-request";
constexpr const char* kHandleChannelOpen =
    "theater:simple/message-server-client#handle-channel-open";
constexpr const char* kHandleChannelMessage =
    "theater:simple/message-server-client#handle-channel-message";
constexpr const char* kHandleChannelClose =
    "theater:simple/message-server-client#handle-channel-close";

// record channel-accept
struct ChannelAccept {
  bool accepted = false;
  std::optional<Bytes> message;
};
THEATER_ABI_RECORD(ChannelAccept, accepted, message);

}  // namespace theater::handlers::message_wit
