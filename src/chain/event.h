// One record of an actor's event chain and the rule that hashes it.
//
// The hash rule is DESIGN.md's "Event chain rule", byte for byte:
//
//   SHA-256( parent_hash (32 bytes; 32 zero bytes for the first event)
//            || u64le(timestamp_ms)
//            || u32le(len(event_type)) || event_type
//            || u32le(len(description)) || description   (empty when none)
//            || u32le(len(data)) || data )
//
// Lengths are prefixed so no two different events share the same byte string
// (unlike "serde_json of a struct" in the original, this encoding is specified
// and independent of any library's formatting).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/sha256.h"

namespace theater::chain {

using EventHash = Sha256Digest;  // 32 raw bytes

struct Event {
  std::optional<EventHash> parent_hash;  // none only for the first event of a chain
  uint64_t timestamp_ms = 0;             // milliseconds since the Unix epoch
  std::string event_type;                // "<area>/<what>", e.g. "wasm/call"
  std::optional<std::string> description;
  std::vector<uint8_t> data;  // CBOR (see to_cbor_data)
  EventHash hash{};

  bool operator==(const Event&) const = default;
};

// An event whose fields point into bytes it does not own (a segment read from
// the event file): verifying one hashes its data where it lies, without a
// copy. Valid only as long as those bytes are.
struct EventView {
  std::optional<EventHash> parent_hash;
  uint64_t timestamp_ms = 0;
  std::string_view event_type;
  std::optional<std::string_view> description;
  std::span<const uint8_t> data;
  EventHash hash{};
};

// A view of the event's own fields.
EventView view_of(const Event& event);
// Copies the view's fields into `event`, reusing its buffers.
void assign(Event& event, const EventView& view);

// Called once per event of a chain being read, oldest first. The event's
// buffers may be reused for the next one: a visitor that keeps an event moves
// or copies it. A non-ok status stops the read and is returned.
using EventVisitor = std::function<Status(Event& event)>;
// The same for views: the bytes they point into are reused for later events.
using EventViewVisitor = std::function<Status(const EventView& event)>;

// A visitor that moves every event into `events`: a chain read into memory.
EventVisitor append_to(std::vector<Event>& events);

// Events never change once made, so the chain, the log's queue and every
// subscriber share one copy.
using EventPtr = std::shared_ptr<const Event>;

// The hash of an event with these fields, by the rule above. Field lengths
// must fit in u32; larger fields are a caller bug and abort.
EventHash compute_event_hash(const std::optional<EventHash>& parent_hash, uint64_t timestamp_ms,
                             std::string_view event_type,
                             std::optional<std::string_view> description,
                             std::span<const uint8_t> data);

// compute_event_hash over the event's own fields (ignores its stored hash).
EventHash compute_event_hash(const Event& event);
EventHash compute_event_hash(const EventView& event);

// Builds a fully hashed event.
Event make_event(const std::optional<EventHash>& parent_hash, uint64_t timestamp_ms,
                 std::string event_type, std::optional<std::string> description,
                 std::vector<uint8_t> data);

// Event data is CBOR; these convert from and to JSON values.
std::vector<uint8_t> to_cbor_data(const nlohmann::json& value);
Result<nlohmann::json> cbor_data_to_json(std::span<const uint8_t> data);

// Lowercase hex of a hash (64 characters) and its inverse (either case).
std::string hash_to_hex(const EventHash& hash);
Result<EventHash> hash_from_hex(std::string_view hex);

}  // namespace theater::chain
