// RunObserver: what `theater run` hears from its runtime, turned into the
// lines it prints and the exit code it ends with (see exit_codes.h).
// Thread-safe: the runtime calls it from its own and its actors' threads.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/theater_runtime.h"

namespace theater::cli {

// The exit code an actor reports in its runtime.shutdown data: the decimal
// text of an integer from 0 to 255 ("0", "1", "127"). Any other data, or
// none, reports nothing (the run succeeded).
std::optional<int> exit_code_in_shutdown_data(const std::optional<handler::Bytes>& data);

class RunObserver final : public runtime::RuntimeObserver {
 public:
  void on_log(const std::string& actor_id, std::string_view source, std::string_view line) override;
  void on_actor_error(const std::string& actor_id, const std::string& export_name,
                      const Error& error) override;
  void on_actor_exit(const std::string& actor_id, const runtime::ActorExit& exit) override;
  void on_events_lost(const std::string& actor_id, const Error& error) override;

  // A stop signal (SIGINT, SIGTERM) arrived.
  void signal_received(int signal);
  // Waits for the actor to end (its exit code) or for a signal (nullopt, once).
  std::optional<int> wait();
  // After a signal and the stop it asked for: the exit code.
  int wait_after_stop();
  // Spawning failed (`id` is known once its init was about to run): one
  // message, and the exit code.
  int spawn_failed(const std::optional<std::string>& id, const Error& error);
  // The exit code once the event log was flushed; a failed flush lost events.
  int after_flush(int code, const Status& flushed);

 private:
  // Ends the run with `code` (the first call wins) and prints `message`.
  // Once events were lost the code is kEventsLost and errors are not printed.
  void finish(int code, const std::string& message, bool is_error);
  void print(const std::string& message, bool is_error);

  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<int> exit_code_;
  std::optional<int> signal_;
  bool stopping_ = false;
  bool events_lost_ = false;
};

}  // namespace theater::cli
