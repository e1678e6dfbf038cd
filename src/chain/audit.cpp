#include "chain/audit.h"

#include <nlohmann/json.hpp>

#include "chain/jsonl.h"

namespace theater::chain {
namespace {

std::optional<std::string> string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string short_hash(const EventHash& hash) {
  return hash_to_hex(hash).substr(0, 16);
}

// Feeds every event to the audit, then to `also`.
EventVisitor auditing(ChainAudit& audit, const EventVisitor& also) {
  return [&audit, &also](Event& event) {
    audit.add(event);
    return also ? also(event) : ok_status();
  };
}

// The same for views. Only `also` needs an Event of its own, so an audit
// alone (`theater verify`) copies no event's data.
EventViewVisitor auditing_views(ChainAudit& audit, const EventVisitor& also, Event& copy) {
  return [&audit, &also, &copy](const EventView& event) {
    audit.add(event);
    if (!also) return ok_status();
    assign(copy, event);
    return also(copy);
  };
}

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kIncomplete:
      return "incomplete";
    case Verdict::kBroken:
      return "broken";
    case Verdict::kTruncated:
      return "truncated";
    case Verdict::kMismatch:
      return "mismatch";
  }
  return "unknown verdict";
}

std::string ChainReport::summary() const {
  if (verdict != Verdict::kOk) return std::string(to_string(verdict)) + ": " + detail;
  return "ok: " + std::to_string(events) + " events verify; actor " +
         actor_id.value_or("(unnamed)") + ", module sha256 " + module_sha256.value_or("(unnamed)") +
         ", stopped";
}

ChainAudit::ChainAudit(std::optional<std::string> stored_under)
    : stored_under_(std::move(stored_under)) {}

void ChainAudit::add(const EventView& event) {
  if (verifier_.count() == 0) bind(event);
  verifier_.add(event);
  if (event.event_type == kStoppedEventType) saw_stop_ = true;
}

void ChainAudit::bind(const EventView& first) {
  first_hash_ = first.hash;
  auto data = cbor_data_to_json(first.data);
  if (!data.ok()) return;
  actor_id_ = string_field(*data, kActorIdKey);
  module_sha256_ = string_field(*data, kModuleSha256Key);
}

ChainReport ChainAudit::report(Verdict verdict, std::string detail) const {
  return ChainReport{verdict, verifier_.count(), std::move(detail), actor_id_, module_sha256_};
}

// A chain whose hashes do not hold says nothing trustworthy, its binding
// included: a fault outranks every other verdict.
std::optional<ChainReport> ChainAudit::fault_or_mismatch() const {
  if (verifier_.fault()) return report(Verdict::kBroken, verifier_.fault()->message());
  if (!stored_under_ || verifier_.count() == 0 || actor_id_ == stored_under_) return std::nullopt;
  const std::string first = "its first event (hash " + short_hash(first_hash_) + ")";
  if (!actor_id_) {
    return report(Verdict::kMismatch, "the chain stored under actor " + *stored_under_ +
                                          " does not say whose it is: " + first +
                                          " binds no actor id");
  }
  return report(Verdict::kMismatch, "the chain stored under actor " + *stored_under_ +
                                        " is actor " + *actor_id_ + "'s: " + first +
                                        " binds actor " + *actor_id_ +
                                        " (the log's actor ids were swapped or edited)");
}

std::optional<ChainReport> ChainAudit::head_mismatch(const std::optional<ChainHead>& head) const {
  const uint64_t stored = verifier_.count();
  if (!head) {
    return report(Verdict::kTruncated,
                  "the log records no head for actor " + stored_under_.value_or("?") + ", so its " +
                      std::to_string(stored) + " stored events cannot be shown to be all of it");
  }
  const std::string recorded = "the log's head records " + std::to_string(head->count) +
                               " events ending in " + short_hash(head->hash);
  if (head->count > stored) {
    return report(Verdict::kTruncated, recorded + ", but only " + std::to_string(stored) +
                                           " are stored: events " + std::to_string(stored) + ".." +
                                           std::to_string(head->count - 1) + " are missing");
  }
  if (head->count < stored) {
    return report(Verdict::kTruncated, recorded + ", but " + std::to_string(stored) +
                                           " are stored: events " + std::to_string(head->count) +
                                           ".." + std::to_string(stored - 1) +
                                           " were not written by the log");
  }
  if (verifier_.last_hash() != head->hash) {
    return report(Verdict::kTruncated, recorded + ", but stored event " +
                                           std::to_string(stored - 1) + " has hash " +
                                           short_hash(verifier_.last_hash().value_or(EventHash{})));
  }
  return std::nullopt;
}

ChainReport ChainAudit::completion() const {
  if (saw_stop_) return report(Verdict::kOk, "");
  return report(Verdict::kIncomplete, std::to_string(verifier_.count()) +
                                          " events verify, but the chain has no " +
                                          std::string(kStoppedEventType) +
                                          " event: the actor is still running, or it was killed");
}

ChainReport ChainAudit::finish() const {
  if (auto bad = fault_or_mismatch()) return *bad;
  return completion();
}

ChainReport ChainAudit::finish(const std::optional<ChainHead>& recorded_head) const {
  if (auto bad = fault_or_mismatch()) return *bad;
  if (auto cut = head_mismatch(recorded_head)) return *cut;
  return completion();
}

Result<ChainReport> audit_stored_chain(EventLogReader& reader, std::string_view actor_id,
                                       const EventVisitor& also) {
  ChainAudit audit{std::string(actor_id)};
  Event copy;  // for `also`, its buffers reused from one event to the next
  THEATER_ASSIGN_OR_RETURN(const std::optional<ChainHead> head,
                           reader.stream_event_views(actor_id, auditing_views(audit, also, copy)));
  ChainReport report = audit.finish(head);
  if (!head && report.events == 0) {
    return make_error(ErrorCode::kNotFound,
                      "the event log has no events of actor " + std::string(actor_id));
  }
  return report;
}

Result<ChainReport> audit_jsonl_file(const std::filesystem::path& path, const EventVisitor& also) {
  ChainAudit audit;
  THEATER_RETURN_IF_ERROR(for_each_jsonl_event_in_file(path, auditing(audit, also)));
  return audit.finish();
}

}  // namespace theater::chain
