// How `theater events --format pretty` shows an event to a person. The JSON
// Lines format is the chain library's (chain/jsonl.h) and stays exact; this
// one is for reading and may lose distinctions (see src/cli/README.md).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "chain/event.h"

namespace theater::cli {

// ISO-8601 UTC with milliseconds: 2026-12-07T10:55:01.123Z.
std::string iso8601_utc(uint64_t unix_ms);

// `value` with every byte string replaced by what a person can read: its text
// when it is valid UTF-8 (a state, an output line), otherwise "hex:" and its
// lowercase hex digits.
nlohmann::json readable(const nlohmann::json& value);

// The block printed for one event: index, time, short hash, type and
// description on the first line; its data, decoded from CBOR to JSON, on the
// second. Ends with a newline.
std::string pretty_block(const chain::Event& event, uint64_t index);

}  // namespace theater::cli
