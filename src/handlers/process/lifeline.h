// Lifeline: a tiny helper process, forked once, that kills every registered
// process group when the runtime dies, even by SIGKILL.
//
// PR_SET_PDEATHSIG kills a direct child when the runtime dies, but not the
// child's own children. The helper holds one end of a socket pair whose other
// end only the runtime holds; it learns each child's process group through it
// (watch / forget), and when it reaches EOF (the runtime is gone, however it
// died) it SIGKILLs every group still registered, then exits.
//
// The helper runs only async-signal-safe code (it is forked from a
// multithreaded process): no allocation, a fixed table of groups made before
// the fork. It blocks every catchable signal and sits in its own process
// group, so a Ctrl-C meant for the runtime does not stop it before its work.
//
// Limits, stated: a group is registered right after its leader is forked, so a
// runtime killed in that instant leaves it to PDEATHSIG alone; a process that
// leaves its group (setsid, setpgid) is not followed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <memory>

#include "common/result.h"
#include "common/unique_fd.h"

namespace theater::process {

class Lifeline {
 public:
  // Groups the helper can track at once; watch() refuses more.
  static constexpr std::size_t kDefaultCapacity = 16384;

  static Result<std::unique_ptr<Lifeline>> start(std::size_t capacity = kDefaultCapacity);

  // Closes the socket: the helper kills whatever is still registered (nothing,
  // after an orderly shutdown) and exits; it is reaped here, waiting at most
  // a few seconds before SIGKILLing it.
  ~Lifeline();
  Lifeline(const Lifeline&) = delete;
  Lifeline& operator=(const Lifeline&) = delete;

  // Thread-safe: each message is one SOCK_SEQPACKET record.
  Status watch(pid_t process_group);
  // Call before the group's leader is reaped, so the helper never holds an id
  // the kernel may hand out again.
  void forget(pid_t process_group);

  [[nodiscard]] pid_t helper_pid() const { return helper_pid_; }
  [[nodiscard]] std::size_t watched() const { return watched_.load(); }

 private:
  Lifeline(pid_t helper_pid, UniqueFd helper_pidfd, UniqueFd socket, std::size_t capacity);
  Status send(int op, pid_t process_group);

  pid_t helper_pid_;
  UniqueFd helper_pidfd_;
  UniqueFd socket_;  // the runtime's end: O_CLOEXEC, sends time out after a second
  std::size_t capacity_;
  std::atomic<std::size_t> watched_{0};
};

}  // namespace theater::process
