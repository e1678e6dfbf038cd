#include "handlers/process/callback_data.h"

#include "chain/cbor_writer.h"
#include "handler_api/actor_handle.h"

namespace theater::handlers {

// Keys in the order to_cbor_data writes them (sorted): "data" < "pid",
// "exit_code" < "pid". The size hints cover the keys and integer heads.
std::vector<std::uint8_t> output_call_data(std::string_view callback, process::ProcessId id,
                                           std::span<const std::uint8_t> piece) {
  return handler::begin_call_data(callback, piece.size() + 24)
      .map(2)
      .text("data")
      .bytes(piece)
      .text("pid")
      .uint(id)
      .take();
}

std::vector<std::uint8_t> exit_call_data(std::string_view callback, process::ProcessId id,
                                         std::int32_t exit_code) {
  return handler::begin_call_data(callback, 32)
      .map(2)
      .text("exit_code")
      .sint(exit_code)
      .text("pid")
      .uint(id)
      .take();
}

}  // namespace theater::handlers
