#include "runtime/messaging_gate.h"

namespace theater::runtime {

Status MessagingGate::send(const handler::OutsideSender& from, const std::string& target,
                           std::vector<std::uint8_t> msg,
                           const handler::OutsideCallOptions& options) {
  THEATER_RETURN_IF_ERROR(check_(target));
  return inner_.send(from, target, std::move(msg), options);
}

Result<std::vector<std::uint8_t>> MessagingGate::request(
    const handler::OutsideSender& from, const std::string& target, std::vector<std::uint8_t> msg,
    const handler::OutsideCallOptions& options) {
  THEATER_RETURN_IF_ERROR(check_(target));
  return inner_.request(from, target, std::move(msg), options);
}

Result<std::unique_ptr<handler::ExternalChannel>> MessagingGate::open_channel(
    const handler::OutsideSender& from, const std::string& target,
    std::vector<std::uint8_t> initial, handler::ChannelListener listener,
    const handler::OutsideCallOptions& options) {
  THEATER_RETURN_IF_ERROR(check_(target));
  return inner_.open_channel(from, target, std::move(initial), std::move(listener), options);
}

}  // namespace theater::runtime
