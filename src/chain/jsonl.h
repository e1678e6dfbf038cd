// JSON Lines export and import, exactly as DESIGN.md gives it, one event per line:
//   {"hash": hex, "parent_hash": hex|null, "event_type": str, "timestamp": int,
//    "description": str|null, "data": base64}
// Hex is lowercase on output (either case is read); base64 is standard with padding.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/event.h"
#include "common/result.h"

namespace theater::chain {

// One event as one line, without the newline. Fails when event_type or
// description is not valid UTF-8 (JSON cannot carry it faithfully).
Result<std::string> to_jsonl_line(const Event& event);

// The inverse of to_jsonl_line. Does not verify the hash.
Result<Event> parse_jsonl_line(std::string_view line);

Status write_jsonl(std::ostream& out, std::span<const Event> events);
Status write_jsonl_file(const std::filesystem::path& path, std::span<const Event> events);

// Streams every event to `visit`, one line at a time; empty lines are
// skipped. Errors name "<source>:<line>".
Status for_each_jsonl_event(std::istream& in, std::string_view source_name,
                            const EventVisitor& visit);
Status for_each_jsonl_event_in_file(const std::filesystem::path& path, const EventVisitor& visit);

// Reads every event; empty lines are skipped. Errors name "<source>:<line>".
Result<std::vector<Event>> read_jsonl(std::istream& in, std::string_view source_name);
Result<std::vector<Event>> read_jsonl_file(const std::filesystem::path& path);

}  // namespace theater::chain
