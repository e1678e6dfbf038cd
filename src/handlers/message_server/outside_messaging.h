// OutsideMessaging: the message server's ExternalMessaging
// (handler_api/external_messaging.h), for callers outside any actor. It
// works over the same MessageRouter and endpoints as the actors' instances,
// so an outside sender meets the target's bounds, timeouts and size limit,
// and its requests are answered (deferred, cancelled, failed) as an
// actor's are. An outside sender waits on its own thread; it never waits
// for an actor's answer while an actor waits for it, so it takes no part in
// the wait-for graph. Its deliveries name it in `from` and carry no cause
// (it has no chain).
#pragma once

#include <atomic>
#include <memory>

#include "handler_api/external_messaging.h"
#include "handlers/message_server/router.h"

namespace theater::handlers {

using handler::Bytes;

class OutsideMessaging final : public handler::ExternalMessaging {
 public:
  explicit OutsideMessaging(std::shared_ptr<MessageRouter> router) : router_(std::move(router)) {}

  handler::OutsideSender new_sender() override;
  Status send(const handler::OutsideSender& from, const std::string& target, Bytes msg,
              const handler::OutsideCallOptions& options) override;
  Result<Bytes> request(const handler::OutsideSender& from, const std::string& target, Bytes msg,
                        const handler::OutsideCallOptions& options) override;
  Result<std::unique_ptr<handler::ExternalChannel>> open_channel(
      const handler::OutsideSender& from, const std::string& target, Bytes initial,
      handler::ChannelListener listener, const handler::OutsideCallOptions& options) override;

 private:
  // The target's endpoint when it takes `export_name`, and `size` bytes fit its max_message_size.
  Result<std::shared_ptr<Endpoint>> target_of(const handler::OutsideSender& from,
                                              const std::string& target,
                                              std::string_view export_name, std::string_view what,
                                              std::size_t size) const;

  const std::shared_ptr<MessageRouter> router_;
  std::atomic<std::uint64_t> next_sender_{0};
  std::atomic<std::uint64_t> next_request_{0};
};

}  // namespace theater::handlers
