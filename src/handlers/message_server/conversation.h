// What a request and a channel's opening need on both sides, whoever asks
// (an actor's MessageServerInstance, or OutsideMessaging for a caller
// outside any actor): the deliveries that carry them and settle their
// answers, and the notices that tell a channel's other side it closed.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "handler_api/actor_handle.h"
#include "handlers/message_server/endpoint.h"
#include "handlers/message_server/message_wit.h"
#include "handlers/message_server/pending_answer.h"
#include "handlers/message_server/router.h"

namespace theater::handlers {

using AcceptAnswer = PendingAnswer<message_wit::ChannelAccept>;

// Refuses `bytes` over `limit` (max_message_size), naming `what`.
Status check_message_size(std::string_view what, std::size_t bytes, std::size_t limit);

// An answer to `request_id` that nobody waits for any more, recorded
// (late-reply-dropped) in the chain of the actor that gave it.
void record_dropped_reply(const handler::ActorHandle& giver, const std::string& request_id,
                          const std::string& reason);

// Request `request_id` into `to`'s handle-request. Its reply, or the
// target's failure, settles `answer`; a deferred one (none returned) stays
// in `to`'s endpoint for respond-to-request or cancel-request. A reply
// nobody waits for any more is recorded as dropped in `to`'s chain.
handler::CallbackCall request_delivery(const std::shared_ptr<Endpoint>& to,
                                       const std::string& request_id, handler::Bytes msg,
                                       std::vector<std::uint8_t> call_data,
                                       std::shared_ptr<RequestAnswer> answer);

// The opening of `channel_id` into `to`'s handle-channel-open: its decision
// settles `answer`. Accepted after the opener gave up, the channel never
// opened, and `to` hears handle-channel-close.
handler::CallbackCall channel_open_delivery(const std::shared_ptr<Endpoint>& to,
                                            const std::string& channel_id, handler::Bytes initial,
                                            std::vector<std::uint8_t> call_data,
                                            std::shared_ptr<AcceptAnswer> answer);

// Records, in the acceptor's chain, that its accept message goes to `to`;
// the event's hash is the message's cause.
Result<handler::Bytes> record_accept_message(const Endpoint& acceptor,
                                             const std::string& channel_id, std::size_t size,
                                             const std::string& to);

// Tells `to` that `channel_id` is closed, as caused by event `cause` of
// `from` (empty: `from` has no chain).
void notify_close(Endpoint& to, const std::string& channel_id, const std::string& from,
                  std::span<const std::uint8_t> cause);

// `closer` closed `channel` (or stopped): its other side hears it, an actor
// through handle-channel-close, an outside peer through its listener.
void tell_other_side_closed(const MessageRouter& router, const Channel& channel,
                            const std::string& closer, std::span<const std::uint8_t> cause,
                            const std::string& reason);

}  // namespace theater::handlers
