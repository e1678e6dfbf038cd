// The wasm/call event data of the process-handlers callbacks, written
// directly as CBOR (chain::CborWriter) because output arrives a piece at a
// time on the event loop: no JSON value per piece. The bytes are exactly
// what handler::make_callback_call makes of the equivalent JSON record
// (tests/unit/process/callback_data_test.cpp holds them to it).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "handlers/process/os/process_options.h"

namespace theater::handlers {

// handle-stdout / handle-stderr: {"export": <callback>,
//                                 "params": {"data": <piece as bytes>, "pid": <id>}}
std::vector<std::uint8_t> output_call_data(std::string_view callback, process::ProcessId id,
                                           std::span<const std::uint8_t> piece);

// handle-exit: {"export": <callback>, "params": {"exit_code": <code>, "pid": <id>}}
std::vector<std::uint8_t> exit_call_data(std::string_view callback, process::ProcessId id,
                                         std::int32_t exit_code);

}  // namespace theater::handlers
