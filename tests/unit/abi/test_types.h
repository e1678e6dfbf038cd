// WIT types from /work/shared/wit (and a few synthetic ones) as C++ types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "abi/abi.h"

namespace theater::abi::testing {

// process.output-mode: a variant whose cases carry no payload.
struct Raw {
  bool operator==(const Raw&) const = default;
};
struct LineByLine {
  bool operator==(const LineByLine&) const = default;
};
struct Json {
  bool operator==(const Json&) const = default;
};
struct Chunked {
  bool operator==(const Chunked&) const = default;
};
using OutputMode = std::variant<Raw, LineByLine, Json, Chunked>;

struct ProcessConfig {
  std::string program;
  std::vector<std::string> args;
  std::optional<std::string> cwd;
  std::vector<std::tuple<std::string, std::string>> env;
  uint32_t buffer_size = 0;
  OutputMode stdout_mode;
  OutputMode stderr_mode;
  std::optional<uint32_t> chunk_size;
  std::optional<uint64_t> execution_timeout;
  bool operator==(const ProcessConfig&) const = default;
};
THEATER_ABI_RECORD(ProcessConfig, program, args, cwd, env, buffer_size, stdout_mode, stderr_mode,
                   chunk_size, execution_timeout)

struct ProcessStatus {
  uint64_t pid = 0;
  bool running = false;
  std::optional<int32_t> exit_code;
  uint64_t start_time = 0;
  bool operator==(const ProcessStatus&) const = default;
};
THEATER_ABI_RECORD(ProcessStatus, pid, running, exit_code, start_time)

// types.chain-event
struct ChainEvent {
  std::vector<uint8_t> hash;
  std::optional<std::vector<uint8_t>> parent_hash;
  std::string event_type;
  std::vector<uint8_t> data;
  uint64_t timestamp = 0;
  std::optional<std::string> description;
  bool operator==(const ChainEvent&) const = default;
};
THEATER_ABI_RECORD(ChainEvent, hash, parent_hash, event_type, data, timestamp, description)

// types.actor-error-kind
enum class ActorErrorKind {
  operation_timeout,
  channel_closed,
  shutting_down,
  function_not_found,
  type_mismatch,
  internal,
  serialization_error,
  update_component_error,
  paused,
  trap,
  out_of_fuel,
};
THEATER_ABI_ENUM(ActorErrorKind, operation_timeout, channel_closed, shutting_down,
                 function_not_found, type_mismatch, internal, serialization_error,
                 update_component_error, paused, trap, out_of_fuel)

struct ActorError {
  ActorErrorKind kind = ActorErrorKind::internal;
  std::string message;
  std::optional<std::vector<uint8_t>> data;
  bool operator==(const ActorError&) const = default;
};
THEATER_ABI_RECORD(ActorError, kind, message, data)

// record { a: option<string>, b: list<u8> }
struct Item {
  std::optional<std::string> a;
  std::vector<uint8_t> b;
  bool operator==(const Item&) const = default;
};
THEATER_ABI_RECORD(Item, a, b)

// Every scalar, in an order that needs padding everywhere.
struct Mixed {
  uint8_t a = 0;
  uint64_t b = 0;
  uint16_t c = 0;
  float d = 0;
  Char e;
  bool f = false;
  double g = 0;
  int8_t h = 0;
  bool operator==(const Mixed&) const = default;
};
THEATER_ABI_RECORD(Mixed, a, b, c, d, e, f, g, h)

// Sixteen u32 fields: exactly MAX_FLAT_PARAMS when passed alone.
struct Sixteen {
  uint32_t f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15;
  bool operator==(const Sixteen&) const = default;
};
THEATER_ABI_RECORD(Sixteen, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15)

// The process-handlers / actor callback result: result<tuple<option<list<u8>>>, string>.
using State = std::optional<std::vector<uint8_t>>;
using CallbackResult = Outcome<std::tuple<State>, std::string>;

}  // namespace theater::abi::testing
