// MessageServerInstance: one actor's side of the message server. It owns the
// actor's Endpoint (what others deliver to it) and carries out the actor's
// host calls: sends, requests and channels towards others, and answers to
// the requests it received. Waits (a reply, room in a full mailbox, a
// channel's accept) happen in the host call's blocking section, bounded by
// the manifest's timeouts, and are entered into the router's wait-for graph
// first, so a wait that would close a cycle is refused at once.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "handler_api/handler.h"
#include "handlers/message_server/message_config.h"
#include "handlers/message_server/router.h"

namespace theater::handlers {

using handler::Bytes;

class MessageServerInstance final : public handler::HandlerInstance {
 public:
  MessageServerInstance(std::shared_ptr<MessageRouter> router, std::string actor_id,
                        MessageSettings settings);

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  // Closes the endpoint (requests it holds are answered with an error), its
  // channels (each peer hears handle-channel-close) and leaves the router.
  void stop(std::chrono::milliseconds grace) override;

  // The host functions of wit/message-server.wit.
  Status send(wasm::HostCall& call, std::string target, Bytes msg);
  Result<Bytes> request(wasm::HostCall& call, std::string target, Bytes msg);
  Result<std::string> open_channel(wasm::HostCall& call, std::string target, Bytes initial);
  Status send_on_channel(wasm::HostCall& call, std::string channel_id, Bytes msg);
  Status close_channel(std::string channel_id);
  Result<std::vector<std::string>> list_outstanding_requests();
  Status respond_to_request(std::string request_id, Bytes response);
  Status cancel_request(std::string request_id);

 private:
  struct Started {
    handler::ActorHandle actor;
    std::shared_ptr<Endpoint> endpoint;
  };
  Result<Started> started() const;
  // The target's endpoint, when it runs and exports `export_name`.
  Result<std::shared_ptr<Endpoint>> target_of(const std::string& target,
                                              std::string_view export_name) const;
  Status check_size(std::string_view what, std::size_t bytes) const;
  // Queues a counted delivery; waits in `call`'s blocking section while the
  // target's mailbox is full, up to the send timeout.
  Status deliver(wasm::HostCall& call, Endpoint& to, handler::CallbackCall& delivery);
  // Records a refusal of `operation` and returns it.
  Error refused(std::string_view operation, const Error& error) const;
  void record(std::string_view what, const nlohmann::json& data) const;
  Result<Bytes> record_cause(std::string_view what, std::vector<std::uint8_t> cbor) const;
  void close_channels_on_stop();
  Result<Bytes> record_channel_send(const std::string& channel_id, std::size_t size,
                                    const std::string& to) const;
  Status send_outside(OutsidePeer& peer, const std::string& channel_id, Bytes msg);

  const std::shared_ptr<MessageRouter> router_;
  const std::string actor_id_;
  const MessageSettings settings_;
  std::atomic<std::uint64_t> next_request_{0};

  mutable std::mutex mutex_;
  std::optional<Started> started_;
};

}  // namespace theater::handlers
