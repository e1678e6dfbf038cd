// Supervision: what the supervisor handler needs from the runtime, which
// implements it (runtime/), so the handler depends on this interface only.
// Every call names the calling parent and is refused unless the child is one
// of that parent's own children. Calls block (spawn runs the child's init):
// make them from a blocking section or a thread of the handler's own, never
// from a thread that runs wasm or the runtime's control thread.
//
// The runtime tells a parent's supervisor instance that a child ended through
// the ChildWatcher the instance registers: once per ended child, after the
// parent's own notice (handle-child-*) was queued, never for a child the
// parent stopped or restarted itself, never while the parent is stopping.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chain/chain.h"
#include "common/result.h"
#include "config/handler_schema.h"
#include "config/manifest.h"
#include "handler_api/actor_handle.h"

namespace theater::handler {

// What a child is started from, and started again from on a restart.
struct ChildSpec {
  config::Manifest manifest;
  // Replaces the manifest's init_state with these bytes, as they are.
  std::optional<Bytes> initial_state;
  // True: the initial state is `initial_state` even when that is none
  // (supervisor.resume), instead of the manifest's.
  bool replace_state = false;
};

// How a child ended, as the runtime saw it.
struct ChildEnd {
  enum class Kind {
    kExited,   // it called runtime.shutdown or proc_exit
    kFailed,   // a call failed (trap, err, deadline) or its events were lost
    kStopped,  // stopped or terminated by someone other than its parent
  };
  Kind kind = Kind::kStopped;
  std::optional<Error> error;  // kFailed
  // Where its chain ended: a restart continues from here.
  chain::ChainContinuation chain_end;
};

// Why and how often a child is being started again; recorded as the first
// event of its new incarnation (theater-runtime/restart).
struct ChildRestart {
  chain::ChainContinuation chain_end;
  std::string reason;
  uint32_t attempt = 1;
};

class ChildWatcher {
 public:
  virtual ~ChildWatcher() = default;
  // Called on a runtime or actor thread: must not block (queue the work).
  virtual void on_child_ended(const std::string& child_id, const ChildEnd& end) = 0;
};

class Supervision {
 public:
  virtual ~Supervision() = default;

  // What child manifests are parsed against.
  virtual const config::HandlerSchemas& schemas() const = 0;
  // A child's manifest as spawn receives it: a path (relative to
  // `base_dir`), inline TOML, or a store:// reference to manifest text in
  // the content store (whose relative paths resolve against `base_dir`).
  virtual Result<config::Manifest> parse_child_manifest(std::string_view reference,
                                                        const std::filesystem::path& base_dir) = 0;
  // Starts a child of `parent_id`; its id once its init succeeded.
  virtual Result<std::string> spawn_child(const std::string& parent_id, const ChildSpec& spec) = 0;
  // The parent's running children, in no particular order.
  virtual std::vector<std::string> children(const std::string& parent_id) const = 0;
  // Stops a running child (its subtree first), with no notice to the parent.
  // Returns where its chain ended.
  virtual Result<chain::ChainContinuation> stop_child(const std::string& parent_id,
                                                      const std::string& child_id) = 0;
  // Starts an ended child again under its old id, its chain continuing from
  // `restart.chain_end`; returns once its init succeeded. When it fails,
  // `restart.chain_end` is moved to where the failed start left the chain
  // (for the next attempt).
  virtual Status restart_child(const std::string& parent_id, const std::string& child_id,
                               const ChildSpec& spec, ChildRestart& restart) = 0;
  // A running child's handle (state, events).
  virtual Result<ActorHandle> child(const std::string& parent_id,
                                    const std::string& child_id) const = 0;
  // Stops the actor as Failed with `why` (its parent hears handle-child-error):
  // a supervisor escalating. Returns at once; the stop runs on the runtime's
  // control thread.
  virtual void fail(const std::string& actor_id, const Error& why) = 0;

  // The watcher of `parent_id`'s children, until unwatch (which returns once
  // no call into the watcher is running).
  virtual void watch(const std::string& parent_id, ChildWatcher* watcher) = 0;
  virtual void unwatch(const std::string& parent_id) = 0;
};

}  // namespace theater::handler
