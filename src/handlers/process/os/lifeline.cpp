#include "handlers/process/os/lifeline.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <numeric>

#include "handlers/process/os/descriptors.h"
#include "handlers/process/os/os_error.h"
#include "handlers/process/os/pidfd.h"

namespace theater::process {
namespace {

constexpr std::chrono::milliseconds kExitWait{3000};
constexpr std::chrono::milliseconds kKillWait{1000};
// How long the helper waits for a killed cgroup to empty before removing it;
// below kExitWait, so an orderly shutdown never has to SIGKILL the helper.
constexpr int kCgroupEmptyWaitMs = 2000;

// --- helper side: async-signal-safe code only from here to run_helper's end ---

// The cgroup subtree to kill and remove, as paths made before the fork.
struct CgroupPaths {
  const char* directory = nullptr;  // nullptr: none
  const char* kill_file = nullptr;
  const char* events_file = nullptr;
};

long monotonic_ms() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

// "populated 1" in cgroup.events, without library string functions.
bool cgroup_populated(int events_fd) {
  char text[256];
  const ssize_t n = pread(events_fd, text, sizeof text, 0);
  static constexpr char kKey[] = "populated 1";
  const ssize_t key_size = sizeof kKey - 1;
  for (ssize_t at = 0; at + key_size <= n; ++at) {
    ssize_t i = 0;
    while (i < key_size && text[at + i] == kKey[i]) ++i;
    if (i == key_size) return true;
  }
  return false;
}

void wait_until_cgroup_empty(const CgroupPaths& cgroup) {
  const int events = open(cgroup.events_file, O_RDONLY | O_CLOEXEC);
  if (events < 0) return;
  const long deadline = monotonic_ms() + kCgroupEmptyWaitMs;
  while (cgroup_populated(events) && monotonic_ms() < deadline) {
    pollfd p{events, POLLPRI, 0};
    poll(&p, 1, 50);  // POLLPRI comes when "populated" changes; the slice bounds a miss
  }
  close(events);
}

// rmdir of every subdirectory (the tables' cgroups), then of the directory.
void remove_cgroup_tree(const char* directory) {
  const int dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    alignas(dirent64) char entries[4096];
    long n;
    while ((n = syscall(SYS_getdents64, dir, entries, sizeof entries)) > 0) {
      for (long at = 0; at < n;) {
        const auto* entry = reinterpret_cast<const dirent64*>(entries + at);
        const char* name = entry->d_name;
        const bool dot = name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
        if (entry->d_type == DT_DIR && !dot) unlinkat(dir, name, AT_REMOVEDIR);
        at += entry->d_reclen;
      }
    }
    close(dir);
  }
  rmdir(directory);
}

// cgroup.kill reaches the whole subtree, whatever sessions or groups are in it.
void kill_cgroup_tree(const CgroupPaths& cgroup) {
  if (cgroup.directory == nullptr) return;
  const int kill_fd = open(cgroup.kill_file, O_WRONLY | O_CLOEXEC);
  if (kill_fd >= 0) {
    const ssize_t ignored = write(kill_fd, "1", 1);
    (void)ignored;
    close(kill_fd);
  }
  wait_until_cgroup_empty(cgroup);
  remove_cgroup_tree(cgroup.directory);
}

// The table's slots: 0 is free, anything else a watched group. Plain ints in
// shared memory, touched only through atomic_ref by both processes.
static_assert(std::atomic_ref<pid_t>::is_always_lock_free);

[[noreturn]] void run_helper(int socket_fd, pid_t* groups, std::size_t capacity, int fd_limit,
                             const CgroupPaths& cgroup) {
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
  kill_cgroup_tree(cgroup);
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

Result<std::unique_ptr<Lifeline>> Lifeline::start(std::size_t capacity,
                                                  const std::string& cgroup_root) {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
    return os_error("lifeline: socketpair", errno);
  }
  UniqueFd runtime_end(ends[0]);
  UniqueFd helper_end(ends[1]);
  THEATER_ASSIGN_OR_RETURN(std::unique_ptr<SharedTable> table, SharedTable::map(capacity));
  const int fd_limit = open_file_limit();
  // Made here: the helper may not allocate.
  const std::string kill_file = cgroup_root + "/cgroup.kill";
  const std::string events_file = cgroup_root + "/cgroup.events";
  CgroupPaths cgroup;
  if (!cgroup_root.empty()) {
    cgroup = CgroupPaths{cgroup_root.c_str(), kill_file.c_str(), events_file.c_str()};
  }

  const pid_t pid = fork();
  if (pid < 0) return os_error("lifeline: fork", errno);
  if (pid == 0) run_helper(helper_end.get(), table->slots(), table->capacity(), fd_limit, cgroup);

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
