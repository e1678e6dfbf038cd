// Verification of a chain: recompute every hash and check every parent link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "chain/event.h"
#include "common/result.h"

namespace theater::chain {

enum class FaultKind {
  kFirstEventHasParent,  // event 0 names a parent; a chain starts with none
  kBrokenLink,           // parent_hash is not the previous event's stored hash
  kHashMismatch,         // the stored hash is not the hash of the event's fields
};

const char* to_string(FaultKind kind);

// The first event that does not verify.
struct ChainFault {
  size_t index = 0;         // position in the chain, 0 = first event
  EventHash stored_hash{};  // the hash the bad event carries
  FaultKind kind = FaultKind::kHashMismatch;
  std::string detail;  // what was expected versus found

  // "event 3 (hash 1f2e...): hash mismatch: ..."
  std::string message() const;
};

// Checks a chain one event at a time, oldest first, keeping only the previous
// event's hash: a chain of any length verifies in constant memory. Once a
// fault is found, later events are counted but not checked.
class ChainVerifier {
 public:
  // The fault, when this event is the chain's first bad one.
  std::optional<ChainFault> add(const EventView& event);
  std::optional<ChainFault> add(const Event& event) { return add(view_of(event)); }

  const std::optional<ChainFault>& fault() const { return fault_; }
  uint64_t count() const { return count_; }  // events added
  // The hash the last event added carries (none before the first).
  const std::optional<EventHash>& last_hash() const { return last_hash_; }

 private:
  std::optional<ChainFault> check(const EventView& event) const;

  std::optional<ChainFault> fault_;
  std::optional<EventHash> last_hash_;
  uint64_t count_ = 0;
};

// The first fault in oldest-first order, or none when the whole chain holds.
// The link of an event is checked before its hash: a tampered parent_hash is
// reported as the broken link it is.
std::optional<ChainFault> find_first_fault(std::span<const Event> events);

// ok, or kInvalidArgument carrying find_first_fault(...)->message().
Status verify(std::span<const Event> events);

}  // namespace theater::chain
