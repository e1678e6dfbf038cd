// The message server's chain data, written as CBOR directly on the hot paths
// (byte-for-byte what chain::to_cbor_data makes of the same JSON: keys sorted).
//
// Sender side: each delivering host call is recorded *before* it delivers,
// as theater:simple/message-server-host/<send|request|open-channel|
// channel-send|close-channel|channel-closed|channel-accepted>, and that
// event's hash is the delivery's cause. Its result follows only when it is
// not plain success (e.g. send-failed, request-answered).
//
// Receiver side: the delivery is the wasm/call event of the callback, with
// two more keys: {"cause": <hash of the sender's event>, "export", "from":
// <sender's actor id>, "params"}. chain/links.h checks these across chains.
// A sender outside any actor ("client:<n>") has no chain: no "cause".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace theater::handlers {

constexpr std::string_view kMessageEventPrefix = "theater:simple/message-server-host/";

// One key of a small CBOR map: a text or a byte-string value.
struct CborField {
  std::string_view key;
  std::variant<std::string_view, std::span<const std::uint8_t>, std::uint64_t> value;
};

// {fields...} (keys must be given sorted).
std::vector<std::uint8_t> cbor_map(std::initializer_list<CborField> fields);

// A delivery's wasm/call data: params' fields must be given sorted. An
// empty `cause` (a sender outside any actor, which has no chain) leaves the
// "cause" key out.
std::vector<std::uint8_t> delivery_call_data(std::string_view export_name, std::string_view from,
                                             std::span<const std::uint8_t> cause,
                                             std::initializer_list<CborField> params);

}  // namespace theater::handlers
