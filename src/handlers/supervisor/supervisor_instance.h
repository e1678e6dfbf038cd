// SupervisorInstance: one actor's children as its supervisor handler sees
// them: their specs (to restart them from), restart types and start order,
// and a restart worker, a thread of its own that applies the strategy when
// a child ends (backoff waits there, on a timer: never on an actor's thread
// or the runtime's control thread).
//
// Host calls (supervisor.*) run in blocking sections; they and the worker
// take turns (ops_mutex_), so a restart never interleaves with the parent's
// own stop-child or spawn. Bounds: one pending end per child incarnation;
// the records of ended children (kept for restart-child) at most
// kMaxEndedKept, oldest dropped first.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "handler_api/handler.h"
#include "handler_api/supervision.h"
#include "handlers/supervisor/restart_policy.h"
#include "handlers/supervisor/supervisor_config.h"

namespace theater::handlers {

class SupervisorInstance final : public handler::HandlerInstance, private handler::ChildWatcher {
 public:
  static constexpr size_t kMaxEndedKept = 1024;

  SupervisorInstance(std::string actor_id, std::filesystem::path base_dir,
                     handler::Supervision& supervision, SupervisorSettings settings);
  ~SupervisorInstance() override;

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  void stop(std::chrono::milliseconds grace) override;

  // The host calls (wit/supervisor.wit); errors are the guest's err(...).
  Result<std::string> spawn(const std::string& manifest, std::optional<handler::Bytes> init,
                            bool resume);
  std::vector<std::string> list_children();
  Status stop_child(const std::string& child_id);
  Status restart_child(const std::string& child_id);
  Result<handler::State> child_state(const std::string& child_id);
  Result<std::vector<handler::ChainEvent>> child_events(const std::string& child_id);

  // The actor's handle, or an error before start() / after stop().
  Result<handler::ActorHandle> actor();
  Status check_started();

 private:
  struct Child {
    handler::ChildSpec spec;
    RestartType type = RestartType::kPermanent;
    uint64_t order = 0;  // start order
    bool running = true;
    uint64_t generation = 0;  // one per start; ends of older ones are stale
    chain::ChainContinuation chain_end;
    ChildRestarts restarts;
  };
  struct Ended {
    std::string child_id;
    handler::ChildEnd end;
    uint64_t generation = 0;
  };

  // ChildWatcher: records the end and queues it for the worker.
  void on_child_ended(const std::string& child_id, const handler::ChildEnd& end) override;

  void work_loop();
  void handle_end(const Ended& ended);
  // Waits `delay` on the worker's timer; false when the instance closed meanwhile.
  bool wait_backoff(std::chrono::milliseconds delay);
  // Stops and restarts the children `strategy` names for `child_id`'s end.
  void apply_strategy(const std::string& child_id, const std::string& reason, uint32_t attempt);
  // Starts an ended child again; a failed start counts as its failure.
  void restart_one(const std::string& child_id, const std::string& reason, uint32_t attempt);
  void escalate(const std::string& why);
  // Children in start order (those still recorded).
  std::vector<std::string> in_start_order() const;  // mutex_ held
  void forget(const std::string& child_id);         // mutex_ held
  void keep_ended(const std::string& child_id);     // mutex_ held
  Error refuse_unknown(const char* call, const std::string& child_id);
  // Whether `child_id` is one of this actor's children and runs; none when it is not a child.
  std::optional<bool> child_running(const std::string& child_id) const;
  void record(const char* what, const nlohmann::json& data);

  const std::string actor_id_;
  const std::filesystem::path base_dir_;
  handler::Supervision& supervision_;
  const SupervisorSettings settings_;

  std::mutex ops_mutex_;  // one child operation at a time (host calls, worker)

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  handler::ActorHandle actor_;
  bool started_ = false;
  bool closing_ = false;
  bool escalated_ = false;
  std::map<std::string, Child> children_;
  std::map<uint64_t, std::string> start_order_;
  uint64_t next_order_ = 0;
  std::deque<std::string> ended_kept_;  // ended children kept for restart-child, oldest first
  // Ends heard for an id that spawn has not recorded yet (it was still returning).
  std::map<std::string, handler::ChildEnd> unclaimed_ends_;
  std::deque<Ended> pending_;
  RestartIntensity intensity_;
  std::thread worker_;
};

}  // namespace theater::handlers
