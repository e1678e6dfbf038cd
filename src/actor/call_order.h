// CallOrder: an actor's calls run in the order they were accepted.
//
// Calls are numbered when accepted. The mailbox usually hands them over in
// that order, but not always: a pause holds the calls that reach the actor's
// thread during it, and on resume they go back to the mailbox behind calls
// that were still queued. So the actor's thread runs a call only when it is
// the oldest still outstanding; one out of turn (or any during a pause) is
// held, in order, and released when its turn comes.
//
// Not thread-safe: the Actor's mutex guards it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "handler_api/actor_handle.h"

namespace theater::actor {

class CallOrder {
 public:
  struct Held {
    uint64_t seq;
    handler::CallbackCall call;
  };

  // Numbers a new call; it is outstanding until finished() or withdrawn().
  uint64_t accept() {
    outstanding_.push_back(next_seq_);
    return next_seq_++;
  }
  // The call with this number will never run (its post was refused, it was
  // cancelled, or it ran): it no longer holds back later ones.
  void finished(uint64_t seq);
  [[nodiscard]] bool in_turn(uint64_t seq) const {
    return !outstanding_.empty() && outstanding_.front() == seq;
  }

  void hold(uint64_t seq, handler::CallbackCall&& call);
  // The held call whose turn it is, if it is held.
  std::optional<Held> release_in_turn();
  std::deque<Held> take_all_held() { return std::exchange(held_, {}); }
  [[nodiscard]] std::size_t held() const { return held_.size(); }

 private:
  uint64_t next_seq_ = 0;
  std::deque<uint64_t> outstanding_;  // increasing
  std::deque<Held> held_;             // increasing seq
};

}  // namespace theater::actor
