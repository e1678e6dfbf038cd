// What `theater verify` concludes about a runtime's chain, beyond its hashes
// and links: whose chain it is (its first event binds the actor's id and
// module), whether it was cut (the log's recorded head), and whether it ended
// (the runtime's stop event). Streams: memory does not grow with the chain.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "chain/event.h"
#include "chain/event_log.h"
#include "chain/verify.h"
#include "common/result.h"

namespace theater::chain {

// The runtime's conventions that an audit checks. The first event's data is
// a CBOR map naming the actor and the SHA-256 of its module; the runtime
// records the stop event when the actor stops, however it stops.
inline constexpr std::string_view kStoppedEventType = "theater-runtime/stopped";
inline constexpr const char* kActorIdKey = "actor_id";
inline constexpr const char* kModuleSha256Key = "module_sha256";

enum class Verdict {
  kOk,          // holds, is whole, names its actor, and has its stop event
  kIncomplete,  // holds and is whole but has no stop event: still running, or killed
  kBroken,      // a hash or link does not hold (the first bad event is named)
  kTruncated,   // holds, but does not end at the head the log recorded for it
  kMismatch,    // holds, but its first event binds another actor (or none)
};
const char* to_string(Verdict verdict);

struct ChainReport {
  Verdict verdict = Verdict::kOk;
  uint64_t events = 0;
  std::string detail;                        // why, for every verdict but kOk
  std::optional<std::string> actor_id;       // as its first event binds it
  std::optional<std::string> module_sha256;  // as its first event binds it

  // One line for a user: "ok: 42 events verify; ..." or "<verdict>: <detail>".
  std::string summary() const;
};

// Audits a chain fed one event at a time, oldest first.
class ChainAudit {
 public:
  // `stored_under`: the actor id the chain is stored under, which its first
  // event must bind. None for an export, whose binding is reported only.
  explicit ChainAudit(std::optional<std::string> stored_under = std::nullopt);

  void add(const EventView& event);
  void add(const Event& event) { add(view_of(event)); }
  // The verdict of a chain that has no recorded head (an export).
  ChainReport finish() const;
  // The verdict of a stored chain, compared with the head the log recorded.
  ChainReport finish(const std::optional<ChainHead>& recorded_head) const;

 private:
  void bind(const EventView& first);
  ChainReport report(Verdict verdict, std::string detail) const;
  std::optional<ChainReport> fault_or_mismatch() const;
  std::optional<ChainReport> head_mismatch(const std::optional<ChainHead>& head) const;
  ChainReport completion() const;

  std::optional<std::string> stored_under_;
  ChainVerifier verifier_;
  std::optional<std::string> actor_id_;
  std::optional<std::string> module_sha256_;
  EventHash first_hash_{};
  bool saw_stop_ = false;
};

// Streams the actor's stored chain through an audit, and through `also` when
// given (a printer, say). kNotFound when the log has nothing of the actor;
// a read error (damaged or cut event file, broken index) is returned as is.
Result<ChainReport> audit_stored_chain(EventLogReader& reader, std::string_view actor_id,
                                       const EventVisitor& also = nullptr);

// The same for a JSON Lines export: no head to compare, no id to expect.
Result<ChainReport> audit_jsonl_file(const std::filesystem::path& path,
                                     const EventVisitor& also = nullptr);

}  // namespace theater::chain
