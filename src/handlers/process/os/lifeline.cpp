#include "handlers/process/os/lifeline.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <numeric>

#include "handlers/process/os/descriptors.h"
#include "handlers/process/os/os_error.h"
#include "handlers/process/os/pidfd.h"

namespace theater::process {
namespace {

constexpr std::chrono::milliseconds kExitWait{3000};
constexpr std::chrono::milliseconds kKillWait{1000};

// --- helper side: async-signal-safe code only from here to run_helper's end ---

// The table's slots: 0 is free, anything else a watched group. Plain ints in
// shared memory, touched only through atomic_ref by both processes.
static_assert(std::atomic_ref<pid_t>::is_always_lock_free);

[[noreturn]] void run_helper(int socket_fd, pid_t* groups, std::size_t capacity, int fd_limit) {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  setpgid(0, 0);
  close_descriptors_except(0, socket_fd, fd_limit);
  prctl(PR_SET_NAME, "th-lifeline", 0, 0, 0);

  for (;;) {
    char ignored;
    const ssize_t n = recv(socket_fd, &ignored, sizeof ignored, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the runtime is gone (or closed us on purpose)
  }
  for (std::size_t i = 0; i < capacity; ++i) {
    const pid_t group = std::atomic_ref<pid_t>(groups[i]).load();
    if (group > 0) kill(-group, SIGKILL);
  }
  _exit(0);
}

}  // namespace

// The table, mapped shared before the fork so that both processes see it.
class Lifeline::SharedTable {
 public:
  static Result<std::unique_ptr<SharedTable>> map(std::size_t capacity) {
    const std::size_t bytes = capacity * sizeof(pid_t);
    void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return os_error("lifeline: mmap of the group table", errno);
    return std::unique_ptr<SharedTable>(new SharedTable(static_cast<pid_t*>(base), capacity));
  }
  ~SharedTable() { munmap(slots_, capacity_ * sizeof(pid_t)); }
  SharedTable(const SharedTable&) = delete;
  SharedTable& operator=(const SharedTable&) = delete;

  pid_t* slots() { return slots_; }
  std::size_t capacity() const { return capacity_; }
  void set(std::size_t slot, pid_t group) { std::atomic_ref<pid_t>(slots_[slot]).store(group); }

 private:
  SharedTable(pid_t* slots, std::size_t capacity) : slots_(slots), capacity_(capacity) {}
  pid_t* slots_;  // zero-filled by mmap: every slot free
  std::size_t capacity_;
};

Result<std::unique_ptr<Lifeline>> Lifeline::start(std::size_t capacity) {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
    return os_error("lifeline: socketpair", errno);
  }
  UniqueFd runtime_end(ends[0]);
  UniqueFd helper_end(ends[1]);
  THEATER_ASSIGN_OR_RETURN(std::unique_ptr<SharedTable> table, SharedTable::map(capacity));
  const int fd_limit = open_file_limit();

  const pid_t pid = fork();
  if (pid < 0) return os_error("lifeline: fork", errno);
  if (pid == 0) run_helper(helper_end.get(), table->slots(), table->capacity(), fd_limit);

  helper_end.reset();
  UniqueFd pidfd(pidfd_open_fd(pid));
  if (!pidfd.valid()) {
    const int error = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);  // our own child, just killed: returns at once
    return os_error("lifeline: pidfd_open", error);
  }
  return std::unique_ptr<Lifeline>(
      new Lifeline(pid, std::move(pidfd), std::move(runtime_end), std::move(table)));
}

Lifeline::Lifeline(pid_t helper_pid, UniqueFd helper_pidfd, UniqueFd socket,
                   std::unique_ptr<SharedTable> table)
    : helper_pid_(helper_pid),
      helper_pidfd_(std::move(helper_pidfd)),
      socket_(std::move(socket)),
      table_(std::move(table)),
      free_slots_(table_->capacity()) {
  // Handed out from the back: slot 0 first.
  std::iota(free_slots_.rbegin(), free_slots_.rend(), std::size_t{0});
}

Lifeline::~Lifeline() {
  socket_.reset();
  if (!wait_readable(helper_pidfd_.get(), kExitWait)) {
    pidfd_signal(helper_pidfd_.get(), SIGKILL);
    wait_readable(helper_pidfd_.get(), kKillWait);
  }
  siginfo_t info{};
  waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(helper_pidfd_.get()), &info,
         WEXITED | WNOHANG);
}

Status Lifeline::watch(pid_t process_group) {
  if (process_group <= 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "lifeline: not a process group: " + std::to_string(process_group));
  }
  std::lock_guard lock(mutex_);
  if (slot_of_.count(process_group) != 0) return ok_status();
  if (free_slots_.empty()) {
    return make_error(
        ErrorCode::kResourceExhausted,
        "lifeline: already watching " + std::to_string(table_->capacity()) + " groups");
  }
  const std::size_t slot = free_slots_.back();
  free_slots_.pop_back();
  table_->set(slot, process_group);
  slot_of_.emplace(process_group, slot);
  return ok_status();
}

void Lifeline::forget(pid_t process_group) {
  std::lock_guard lock(mutex_);
  auto it = slot_of_.find(process_group);
  if (it == slot_of_.end()) return;
  table_->set(it->second, 0);
  free_slots_.push_back(it->second);
  slot_of_.erase(it);
}

std::size_t Lifeline::watched() const {
  std::lock_guard lock(mutex_);
  return slot_of_.size();
}

}  // namespace theater::process
