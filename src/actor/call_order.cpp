#include "actor/call_order.h"

#include <algorithm>

namespace theater::actor {

void CallOrder::finished(uint64_t seq) {
  // Calls nearly always finish in order: the front, at O(1).
  if (!outstanding_.empty() && outstanding_.front() == seq) {
    outstanding_.pop_front();
    return;
  }
  auto it = std::lower_bound(outstanding_.begin(), outstanding_.end(), seq);
  if (it != outstanding_.end() && *it == seq) outstanding_.erase(it);
}

void CallOrder::hold(uint64_t seq, handler::CallbackCall&& call) {
  auto later = std::upper_bound(held_.begin(), held_.end(), seq,
                                [](uint64_t s, const Held& held) { return s < held.seq; });
  held_.insert(later, Held{seq, std::move(call)});
}

std::optional<CallOrder::Held> CallOrder::release_in_turn() {
  if (held_.empty() || !in_turn(held_.front().seq)) return std::nullopt;
  Held next = std::move(held_.front());
  held_.pop_front();
  return next;
}

}  // namespace theater::actor
