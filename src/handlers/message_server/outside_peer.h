// OutsidePeer: the outside side of one channel opened through
// ExternalMessaging (handler_api/external_messaging.h). The actor's
// messages on the channel and its close go to the peer's listener; the
// peer hears nothing once the channel closed, whichever side closed it.
//
// Deliveries to it are serialized (one lock), so the accept message, held
// back while the channel is being opened (hold()), reaches the listener
// before anything the actor sends afterwards.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "handler_api/external_messaging.h"

namespace theater::handlers {

class OutsidePeer {
 public:
  OutsidePeer(std::string id, handler::ChannelListener listener)
      : id_(std::move(id)), listener_(std::move(listener)) {}

  // The outside sender's id ("client:<n>").
  const std::string& id() const { return id_; }

  // A message from the actor on `channel_id`: the listener's refusal, or
  // kUnavailable once the channel closed.
  Status deliver(const std::string& channel_id, std::vector<std::uint8_t> msg);
  // The actor's side closed (close-channel, or it stopped): on_close once.
  void closed(const std::string& reason);
  // The outside side closed: the listener hears nothing more.
  void close_quietly();
  // Holds deliveries back while the channel is being opened.
  std::unique_lock<std::recursive_mutex> hold() { return std::unique_lock(mutex_); }

 private:
  const std::string id_;
  handler::ChannelListener listener_;
  // Recursive: a listener that closes the channel from its callback does not deadlock.
  std::recursive_mutex mutex_;
  bool closed_ = false;
};

}  // namespace theater::handlers
