#include "chain/verify.h"

namespace theater::chain {
namespace {

std::optional<ChainFault> check_link(std::span<const Event> events, size_t index) {
  const Event& event = events[index];
  if (index == 0) {
    if (!event.parent_hash) return std::nullopt;
    return ChainFault{index, event.hash, FaultKind::kFirstEventHasParent,
                      "it names parent " + hash_to_hex(*event.parent_hash)};
  }
  const EventHash& previous = events[index - 1].hash;
  if (event.parent_hash == previous) return std::nullopt;
  const std::string found = event.parent_hash ? hash_to_hex(*event.parent_hash) : "none";
  return ChainFault{index, event.hash, FaultKind::kBrokenLink,
                    "parent is " + found + ", previous event's hash is " + hash_to_hex(previous)};
}

std::optional<ChainFault> check_hash(const Event& event, size_t index) {
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

std::optional<ChainFault> find_first_fault(std::span<const Event> events) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (auto fault = check_link(events, i)) return fault;
    if (auto fault = check_hash(events[i], i)) return fault;
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
