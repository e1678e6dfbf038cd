#include "cli/run_observer.h"

#include <csignal>
#include <cstdio>
#include <cstring>

#include "cli/exit_codes.h"
#include "common/utf8.h"

namespace theater::cli {
namespace {

std::string describe(const std::optional<handler::Bytes>& data) {
  if (!data) return "(no data)";
  std::string text(data->begin(), data->end());
  if (is_valid_utf8(text)) return text;
  return std::to_string(data->size()) + " bytes";
}

}  // namespace

std::optional<int> exit_code_in_shutdown_data(const std::optional<handler::Bytes>& data) {
  if (!data || data->empty() || data->size() > 3) return std::nullopt;
  int value = 0;
  for (uint8_t c : *data) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > 255) return std::nullopt;
  return value;
}

void RunObserver::on_log(const std::string& actor_id, std::string_view source,
                         std::string_view line) {
  std::lock_guard lock(mutex_);
  std::printf("[%.*s] %.*s\n", static_cast<int>(source.size()), source.data(),
              static_cast<int>(line.size()), line.data());
  std::fflush(stdout);
}

void RunObserver::on_actor_error(const std::string& actor_id, const std::string& export_name,
                                 const Error& error) {
  finish(exit_codes::kFailure, "error: " + export_name + " failed: " + error.message, true);
}

void RunObserver::on_actor_exit(const std::string& actor_id, const runtime::ActorExit& exit) {
  using Kind = runtime::ActorExit::Kind;
  switch (exit.kind) {
    case Kind::kShutdown:
      finish(exit_code_in_shutdown_data(exit.data).value_or(exit_codes::kSuccess),
             "shutdown: " + describe(exit.data), false);
      break;
    case Kind::kExited:
      finish(*exit.exit_code, "exited with code " + std::to_string(*exit.exit_code), false);
      break;
    case Kind::kFailed:
      finish(exit_codes::kFailure,
             "error: " + (exit.error ? exit.error->message : std::string("the actor failed")),
             true);
      break;
    case Kind::kStopped:
    case Kind::kTerminated: {
      std::optional<int> signal;
      {
        std::lock_guard lock(mutex_);
        signal = signal_;
      }
      std::string message = std::string("actor ") + runtime::to_string(exit.kind);
      if (signal) message += std::string(" (SIG") + sigabbrev_np(*signal) + ")";
      finish(signal ? exit_codes::kSignalBase + *signal : exit_codes::kFailure, message, false);
      break;
    }
  }
}

void RunObserver::on_events_lost(const std::string& actor_id, const Error& error) {
  std::lock_guard lock(mutex_);
  if (events_lost_) return;  // the log is shared: one message for the run
  events_lost_ = true;
  print("error: " + error.message, true);
}

void RunObserver::signal_received(int signal) {
  std::lock_guard lock(mutex_);
  if (!signal_) signal_ = signal;
  cv_.notify_all();
}

std::optional<int> RunObserver::wait() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return exit_code_.has_value() || (signal_ && !stopping_); });
  if (exit_code_) return exit_code_;
  stopping_ = true;
  return std::nullopt;
}

int RunObserver::wait_after_stop() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return exit_code_.has_value(); });
  return *exit_code_;
}

int RunObserver::spawn_failed(const std::optional<std::string>& id, const Error& error) {
  std::lock_guard lock(mutex_);
  if (events_lost_) return exit_codes::kEventsLost;  // its message named the cause already
  print("error: " + (id ? "actor " + *id + " did not start: " : std::string()) + error.message,
        true);
  return exit_codes::kFailure;
}

int RunObserver::after_flush(int code, const Status& flushed) {
  std::lock_guard lock(mutex_);
  if (!flushed.ok() && !events_lost_) {
    events_lost_ = true;
    print("error: events were lost: " + flushed.error().message, true);
  }
  return events_lost_ ? exit_codes::kEventsLost : code;
}

void RunObserver::finish(int code, const std::string& message, bool is_error) {
  std::lock_guard lock(mutex_);
  if (exit_code_) return;
  // After a loss, errors are its consequences (the actor stopped, its call
  // interrupted): the loss was reported when it happened, once.
  if (!message.empty() && !(events_lost_ && is_error)) print(message, is_error);
  exit_code_ = events_lost_ ? exit_codes::kEventsLost : code;
  cv_.notify_all();
}

void RunObserver::print(const std::string& message, bool is_error) {
  FILE* stream = is_error ? stderr : stdout;
  std::fprintf(stream, "%s\n", message.c_str());
  std::fflush(stream);
}

}  // namespace theater::cli
