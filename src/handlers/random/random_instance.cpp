#include "handlers/random/random_instance.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "chain/cbor_writer.h"
#include "chain/event.h"

namespace theater::handlers {
namespace {

constexpr const char* kEventPrefix = "theater:simple/random/";

std::string uuid_text(const std::uint8_t (&b)[16]) {
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

std::vector<std::uint8_t> error_record(const Error& error) {
  chain::CborWriter data(error.message.size() + 16);
  data.map(1).text("error").text(error.message);
  return data.take();
}

}  // namespace

RandomInstance::RandomInstance(RandomPermissions permissions, RandomSettings settings)
    : permissions_(permissions), settings_(settings), source_(make_random_source(settings_.seed)) {}

Status RandomInstance::start(handler::ActorHandle actor, std::stop_token) {
  std::lock_guard lock(mutex_);
  if (actor_ || stopped_) {
    return make_error(ErrorCode::kFailedPrecondition, "the random handler was started before");
  }
  actor_ = std::move(actor);
  return {};
}

void RandomInstance::stop(std::chrono::milliseconds) {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

bool RandomInstance::fill_random(std::span<std::uint8_t> out) {
  std::lock_guard lock(mutex_);
  source_->fill(out);
  return true;
}

Result<handler::ActorHandle> RandomInstance::actor(const char* function) const {
  std::lock_guard lock(mutex_);
  if (stopped_ || !actor_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      std::string("random.") + function + ": the random handler " +
                          (stopped_ ? "has stopped" : "has not started"));
  }
  return *actor_;
}

Status RandomInstance::record(const handler::ActorHandle& actor, const char* function,
                              std::vector<std::uint8_t> data) const {
  auto recorded =
      actor.record_cbor(std::string(kEventPrefix) + function, std::nullopt, std::move(data));
  if (!recorded.ok()) return recorded.error().context(std::string("random.") + function);
  return {};
}

Error RandomInstance::refuse(const handler::ActorHandle& actor, const char* function,
                             Error error) const {
  (void)record(actor, function, error_record(error));
  return error;
}

Result<std::vector<std::uint8_t>> RandomInstance::random_bytes(std::uint32_t length) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("random-bytes"));
  if (length > permissions_.max_bytes) {
    return refuse(self, "random-bytes",
                  make_error(ErrorCode::kPermissionDenied,
                             "permission denied: random-bytes of " + std::to_string(length) +
                                 " bytes exceeds max_bytes (" +
                                 std::to_string(permissions_.max_bytes) + " bytes)"));
  }
  std::vector<std::uint8_t> bytes(length);
  {
    std::lock_guard lock(mutex_);
    source_->fill(bytes);
  }
  chain::CborWriter data(bytes.size() + 16);
  data.map(1).text("bytes").bytes(bytes);
  THEATER_RETURN_IF_ERROR(record(self, "random-bytes", data.take()));
  return bytes;
}

Result<std::uint64_t> RandomInstance::random_range(std::uint64_t min, std::uint64_t max) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("random-range"));
  if (min >= max) {
    return refuse(self, "random-range",
                  make_error(ErrorCode::kInvalidArgument,
                             "random-range needs min < max (the range is [min, max)), got min " +
                                 std::to_string(min) + " and max " + std::to_string(max)));
  }
  std::uint64_t value;
  {
    std::lock_guard lock(mutex_);
    value = min + source_->below(max - min);
  }
  chain::CborWriter data(48);
  data.map(3).text("min").uint(min).text("max").uint(max).text("value").uint(value);
  THEATER_RETURN_IF_ERROR(record(self, "random-range", data.take()));
  return value;
}

Result<double> RandomInstance::random_float() {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("random-float"));
  double value;
  {
    std::lock_guard lock(mutex_);
    value = source_->unit_double();
  }
  // A CBOR float64 holds the double exactly.
  THEATER_RETURN_IF_ERROR(
      record(self, "random-float", chain::to_cbor_data(nlohmann::json{{"value", value}})));
  return value;
}

Result<std::string> RandomInstance::generate_uuid() {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("generate-uuid"));
  std::uint8_t b[16];
  {
    std::lock_guard lock(mutex_);
    source_->fill(b);
  }
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string uuid = uuid_text(b);
  chain::CborWriter data(56);
  data.map(1).text("uuid").text(uuid);
  THEATER_RETURN_IF_ERROR(record(self, "generate-uuid", data.take()));
  return uuid;
}

}  // namespace theater::handlers
