// Verification of a chain: recompute every hash and check every parent link.
#pragma once

#include <cstddef>
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

// The first fault in oldest-first order, or none when the whole chain holds.
// The link of an event is checked before its hash: a tampered parent_hash is
// reported as the broken link it is.
std::optional<ChainFault> find_first_fault(std::span<const Event> events);

// ok, or kInvalidArgument carrying find_first_fault(...)->message().
Status verify(std::span<const Event> events);

}  // namespace theater::chain
