#include "chain/verify.h"

namespace theater::chain {
namespace {

std::optional<ChainFault> check_link(const EventView& event,
                                     const std::optional<EventHash>& previous, size_t index) {
  if (!previous) {
    if (!event.parent_hash) return std::nullopt;
    return ChainFault{index, event.hash, FaultKind::kFirstEventHasParent,
                      "it names parent " + hash_to_hex(*event.parent_hash)};
  }
  if (event.parent_hash == previous) return std::nullopt;
  const std::string found = event.parent_hash ? hash_to_hex(*event.parent_hash) : "none";
  return ChainFault{index, event.hash, FaultKind::kBrokenLink,
                    "parent is " + found + ", previous event's hash is " + hash_to_hex(*previous)};
}

std::optional<ChainFault> check_hash(const EventView& event, size_t index) {
  const EventHash recomputed = compute_event_hash(event);
  if (recomputed == event.hash) return std::nullopt;
  return ChainFault{index, event.hash, FaultKind::kHashMismatch,
                    "recomputed " + hash_to_hex(recomputed)};
}

}  // namespace

const char* to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::kFirstEventHasParent:
      return "first event has a parent";
    case FaultKind::kBrokenLink:
      return "broken link";
    case FaultKind::kHashMismatch:
      return "hash mismatch";
  }
  return "unknown fault";
}

std::string ChainFault::message() const {
  return "event " + std::to_string(index) + " (hash " + hash_to_hex(stored_hash) +
         "): " + to_string(kind) + ": " + detail;
}

std::optional<ChainFault> ChainVerifier::check(const EventView& event) const {
  const auto index = static_cast<size_t>(count_);
  if (auto fault = check_link(event, last_hash_, index)) return fault;
  return check_hash(event, index);
}

std::optional<ChainFault> ChainVerifier::add(const EventView& event) {
  std::optional<ChainFault> fault;
  if (!fault_) {
    fault = check(event);
    fault_ = fault;
  }
  last_hash_ = event.hash;
  ++count_;
  return fault;
}

std::optional<ChainFault> find_first_fault(std::span<const Event> events) {
  ChainVerifier verifier;
  for (const Event& event : events) {
    if (auto fault = verifier.add(event)) return fault;
  }
  return std::nullopt;
}

Status verify(std::span<const Event> events) {
  if (auto fault = find_first_fault(events)) {
    return make_error(ErrorCode::kInvalidArgument, fault->message());
  }
  return ok_status();
}

}  // namespace theater::chain
