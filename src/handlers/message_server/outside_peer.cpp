#include "handlers/message_server/outside_peer.h"

namespace theater::handlers {

Status OutsidePeer::deliver(const std::string& channel_id, std::vector<std::uint8_t> msg) {
  std::lock_guard lock(mutex_);
  if (closed_) return make_error(ErrorCode::kUnavailable, "channel " + channel_id + " is closed");
  if (!listener_.on_message) return ok_status();
  Status taken = listener_.on_message(std::move(msg));
  if (taken.ok()) return taken;
  return make_error(taken.error().code, "the outside side (" + id_ + ") of channel " + channel_id +
                                            " refused the message: " + taken.error().message);
}

void OutsidePeer::closed(const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  if (listener_.on_close) listener_.on_close(reason);
}

void OutsidePeer::close_quietly() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

}  // namespace theater::handlers
