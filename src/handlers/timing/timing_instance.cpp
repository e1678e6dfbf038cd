#include "handlers/timing/timing_instance.h"

#include "chain/cbor_writer.h"

namespace theater::handlers {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kEventPrefix = "theater:simple/timing/";

std::uint64_t wall_clock_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string ms_text(std::uint64_t ms) {
  return std::to_string(ms) + " ms";
}

// The event of one sleep or deadline: what was asked and, when it failed, why.
std::vector<std::uint8_t> wait_record(const char* key, std::uint64_t value, const Status& outcome) {
  chain::CborWriter data(64);
  data.map(outcome.ok() ? 1 : 2).text(key).uint(value);
  if (!outcome.ok()) data.text("error").text(outcome.error().message);
  return data.take();
}

}  // namespace

Status TimingInstance::start(handler::ActorHandle actor, std::stop_token shutdown) {
  {
    std::lock_guard lock(mutex_);
    if (actor_ || stopped_) {
      return make_error(ErrorCode::kFailedPrecondition, "the timing handler was started before");
    }
    actor_ = std::move(actor);
  }
  // Outside the lock: a token that already fired runs the callback right here.
  on_shutdown_.emplace(std::move(shutdown), std::function<void()>([this] { wake_all(); }));
  return {};
}

void TimingInstance::stop(milliseconds) {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_all();
}

void TimingInstance::wake_all() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  woken_.notify_all();
}

Result<handler::ActorHandle> TimingInstance::actor(const char* function) const {
  std::lock_guard lock(mutex_);
  // While the actor is stopping its last call may still read the clock; a
  // sleep then ends at once (wait() says so, and it is recorded).
  if (stopped_ || !actor_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      std::string("timing.") + function + ": the timing handler " +
                          (stopped_ ? "has stopped" : "has not started"));
  }
  return *actor_;
}

Result<std::uint64_t> TimingInstance::now() {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("now"));
  const std::uint64_t ms = wall_clock_ms();
  chain::CborWriter data(16);
  data.map(1).text("ms").uint(ms);
  // A clock value the chain does not hold must not reach the guest.
  THEATER_RETURN_IF_ERROR(
      self.record_cbor(std::string(kEventPrefix) + "now", std::nullopt, data.take()));
  return ms;
}

Status TimingInstance::check_limit(const char* function, std::uint64_t wait_ms) const {
  if (wait_ms <= static_cast<std::uint64_t>(permissions_.max_sleep.count())) return {};
  return make_error(ErrorCode::kPermissionDenied,
                    std::string("permission denied: timing.") + function + " would wait " +
                        ms_text(wait_ms) + ", more than max_sleep_ms (" +
                        ms_text(permissions_.max_sleep.count()) + ")");
}

Status TimingInstance::wait(wasm::HostCall& call, const char* function, std::uint64_t wait_ms) {
  if (wait_ms == 0) return {};
  const auto started = steady_clock::now();
  const auto until = started + milliseconds(wait_ms);
  bool stopped = false;
  Status parked = call.blocking([&](std::stop_token call_ended) {
    std::unique_lock lock(mutex_);
    woken_.wait_until(lock, call_ended, until, [&] { return stopping_; });
    stopped = stopping_;
  });
  const auto waited = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
  const std::string progress =
      " (waited " + ms_text(waited.count()) + " of " + ms_text(wait_ms) + ")";
  if (stopped) {
    return make_error(ErrorCode::kCancelled, std::string("timing.") + function +
                                                 " ended early: the actor is stopping" + progress);
  }
  if (!parked.ok()) return parked.error().context(std::string("timing.") + function + progress);
  return {};
}

Status TimingInstance::sleep(wasm::HostCall& call, std::uint64_t duration_ms) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("sleep"));
  Status outcome = check_limit("sleep", duration_ms);
  if (outcome.ok()) outcome = wait(call, "sleep", duration_ms);
  (void)self.record_cbor(std::string(kEventPrefix) + "sleep", std::nullopt,
                         wait_record("duration_ms", duration_ms, outcome));
  return outcome;
}

Status TimingInstance::deadline(wasm::HostCall& call, std::uint64_t timestamp_ms) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("deadline"));
  const std::uint64_t now_ms = wall_clock_ms();
  const std::uint64_t wait_ms = timestamp_ms > now_ms ? timestamp_ms - now_ms : 0;
  Status outcome = check_limit("deadline", wait_ms);
  if (outcome.ok()) outcome = wait(call, "deadline", wait_ms);
  (void)self.record_cbor(std::string(kEventPrefix) + "deadline", std::nullopt,
                         wait_record("timestamp_ms", timestamp_ms, outcome));
  return outcome;
}

}  // namespace theater::handlers
