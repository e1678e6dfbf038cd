// How the actor runtime writes values into event data (JSON, stored as CBOR):
// bytes as CBOR byte strings, text only when it is valid UTF-8.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "chain/event.h"
#include "handler_api/actor_handle.h"

namespace theater::actor {

nlohmann::json binary(std::span<const uint8_t> bytes);
// A string when `text` is valid UTF-8, else its bytes.
nlohmann::json text_or_bytes(std::string_view text);
// null for no state, else the bytes.
nlohmann::json state_json(const handler::State& state);
handler::ChainEvent to_handler_event(chain::Event event);

}  // namespace theater::actor
