// ExternalMessaging: messages, requests and channels from outside any actor
// (the management server, an embedder, a test), with the semantics actors
// get (wit/message-server.wit, handlers/message_server/README.md): the
// target's mailbox bound and send_timeout_ms, its max_message_size, order
// per sender, deferred replies, its request_timeout_ms. An outside sender is
// a participant with its own id ("client:<n>"), which the receiver's
// wasm/call event records as `from`; it has no chain of its own.
//
// Every call may wait (room in a full mailbox, a reply, a channel's accept),
// always bounded: call it from a thread that may block, never from an event
// loop. Errors: kNotFound (no such actor), kFailedPrecondition (the actor
// takes no messages of that kind: no message-server handler, or no such
// export), kResourceExhausted (its mailbox stayed full for send_timeout_ms),
// kInvalidArgument (over max_message_size), kDeadlineExceeded (no reply or
// accept in time), kCancelled (the target cancelled the request, or the
// caller's stop token fired), kUnavailable (the target stopped),
// kPermissionDenied (a channel refused).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "handler_api/runtime_service.h"

namespace theater::handler {

// Who sends from outside: made by ExternalMessaging::new_sender, so that
// what one sender sends to one actor arrives in the order sent.
struct OutsideSender {
  std::string id;  // "client:<n>"
};

struct OutsideCallOptions {
  // How long a request (or a channel's opening) waits for its answer;
  // unset: the target manifest's request_timeout_ms. (A send waits for room
  // up to the target's send_timeout_ms.)
  std::optional<std::chrono::milliseconds> reply_timeout;
  // The caller gives up (its client left, the server shuts down): the wait
  // ends with kCancelled.
  std::stop_token stop;
};

// What the outside side of a channel hears. Both run on actor threads: keep
// them short, never block, and never call into the channel from them (post
// to your own loop instead).
struct ChannelListener {
  // A message from the actor (the accept message first, when there is one).
  // An error refuses it: the actor's send-on-channel fails with it (the
  // outside side is not keeping up), nothing is lost silently.
  std::function<Status(std::vector<std::uint8_t> msg)> on_message;
  // The actor closed the channel, or stopped; once, never after close().
  std::function<void(std::string reason)> on_close;
};

// An open channel to one actor. Closing it (close() or destruction) calls
// the actor's handle-channel-close.
class ExternalChannel {
 public:
  virtual ~ExternalChannel() = default;
  virtual const std::string& id() const = 0;
  // To the actor's handle-channel-message; waits for room like send does.
  // kFailedPrecondition once the channel is closed.
  virtual Status send(std::vector<std::uint8_t> msg, std::stop_token stop = {}) = 0;
  // Idempotent; the listener hears nothing more afterwards.
  virtual void close() = 0;
};

class ExternalMessaging : public RuntimeService {
 public:
  static constexpr std::string_view kServiceName = "external-messaging";

  virtual OutsideSender new_sender() = 0;
  // To the target's handle-send; returns once it is queued.
  virtual Status send(const OutsideSender& from, const std::string& target,
                      std::vector<std::uint8_t> msg, const OutsideCallOptions& options = {}) = 0;
  // To the target's handle-request; its reply (given at once, or later with
  // respond-to-request).
  virtual Result<std::vector<std::uint8_t>> request(const OutsideSender& from,
                                                    const std::string& target,
                                                    std::vector<std::uint8_t> msg,
                                                    const OutsideCallOptions& options = {}) = 0;
  // Asks the target's handle-channel-open; the channel once it accepted.
  virtual Result<std::unique_ptr<ExternalChannel>> open_channel(
      const OutsideSender& from, const std::string& target, std::vector<std::uint8_t> initial,
      ChannelListener listener, const OutsideCallOptions& options = {}) = 0;
};

}  // namespace theater::handler
