// MessagingGate: what TheaterRuntime::messaging() hands out. It is the
// ExternalMessaging a handler offers (handler_api/external_messaging.h),
// with each target checked against the actor table first, which only the
// runtime knows: an unknown actor is kNotFound, one without the providing
// handler kFailedPrecondition naming why. Everything else is the handler's.
#pragma once

#include <functional>
#include <string>

#include "handler_api/external_messaging.h"

namespace theater::runtime {

class MessagingGate final : public handler::ExternalMessaging {
 public:
  using TargetCheck = std::function<Status(const std::string& target)>;
  MessagingGate(handler::ExternalMessaging& inner, TargetCheck check)
      : inner_(inner), check_(std::move(check)) {}

  handler::OutsideSender new_sender() override { return inner_.new_sender(); }
  Status send(const handler::OutsideSender& from, const std::string& target,
              std::vector<std::uint8_t> msg, const handler::OutsideCallOptions& options) override;
  Result<std::vector<std::uint8_t>> request(const handler::OutsideSender& from,
                                            const std::string& target,
                                            std::vector<std::uint8_t> msg,
                                            const handler::OutsideCallOptions& options) override;
  Result<std::unique_ptr<handler::ExternalChannel>> open_channel(
      const handler::OutsideSender& from, const std::string& target,
      std::vector<std::uint8_t> initial, handler::ChannelListener listener,
      const handler::OutsideCallOptions& options) override;

 private:
  handler::ExternalMessaging& inner_;
  const TargetCheck check_;
};

}  // namespace theater::runtime
