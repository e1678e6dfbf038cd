#include "handlers/process/lifeline.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>

#include "handlers/process/os_error.h"
#include "handlers/process/pidfd.h"

namespace theater::process {
namespace {

enum : std::int32_t { kWatch = 1, kForget = 2 };

struct LifelineMessage {
  std::int32_t op;
  std::int32_t group;
};

// How long a registration may wait for a helper that is not reading (stopped).
constexpr int kSendTimeoutMs = 1000;
constexpr int kExitWaitMs = 3000;
constexpr int kKillWaitMs = 1000;

int open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  return static_cast<int>(limit.rlim_cur);
}

// --- helper side: async-signal-safe code only from here to run_helper's end ---

void close_all_except(int keep, int fd_limit) {
  bool closed =
      (keep == 0 || close_range(0, keep - 1, 0) == 0) && close_range(keep + 1, ~0U, 0) == 0;
  if (closed) return;
  for (int fd = 0; fd < fd_limit; ++fd) {
    if (fd != keep) close(fd);
  }
}

void apply(const LifelineMessage& message, pid_t* groups, std::size_t capacity,
           std::size_t& count) {
  if (message.op == kWatch && count < capacity) {
    groups[count++] = message.group;
  } else if (message.op == kForget) {
    for (std::size_t i = 0; i < count; ++i) {
      if (groups[i] == message.group) {
        groups[i] = groups[--count];
        break;
      }
    }
  }
}

[[noreturn]] void run_helper(int socket_fd, pid_t* groups, std::size_t capacity, int fd_limit) {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  setpgid(0, 0);
  close_all_except(socket_fd, fd_limit);
  prctl(PR_SET_NAME, "th-lifeline", 0, 0, 0);

  std::size_t count = 0;
  for (;;) {
    LifelineMessage message{};
    const ssize_t n = recv(socket_fd, &message, sizeof message, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the runtime is gone (or closed us on purpose)
    if (n == sizeof message) apply(message, groups, capacity, count);
  }
  for (std::size_t i = 0; i < count; ++i) kill(-groups[i], SIGKILL);
  _exit(0);
}

// --- runtime side ---

bool wait_readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int n;
  do {
    n = poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

}  // namespace

Result<std::unique_ptr<Lifeline>> Lifeline::start(std::size_t capacity) {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
    return os_error("lifeline: socketpair", errno);
  }
  UniqueFd runtime_end(ends[0]);
  UniqueFd helper_end(ends[1]);
  const timeval send_timeout{kSendTimeoutMs / 1000, (kSendTimeoutMs % 1000) * 1000};
  if (setsockopt(runtime_end.get(), SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout) !=
      0) {
    return os_error("lifeline: SO_SNDTIMEO", errno);
  }
  // The helper's table is allocated here: after fork it may not allocate.
  auto groups = std::make_unique<pid_t[]>(capacity);
  const int fd_limit = open_file_limit();

  const pid_t pid = fork();
  if (pid < 0) return os_error("lifeline: fork", errno);
  if (pid == 0) run_helper(helper_end.get(), groups.get(), capacity, fd_limit);

  helper_end.reset();
  UniqueFd pidfd(pidfd_open_fd(pid));
  if (!pidfd.valid()) {
    const int error = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);  // our own child, just killed: returns at once
    return os_error("lifeline: pidfd_open", error);
  }
  return std::unique_ptr<Lifeline>(
      new Lifeline(pid, std::move(pidfd), std::move(runtime_end), capacity));
}

Lifeline::Lifeline(pid_t helper_pid, UniqueFd helper_pidfd, UniqueFd socket, std::size_t capacity)
    : helper_pid_(helper_pid),
      helper_pidfd_(std::move(helper_pidfd)),
      socket_(std::move(socket)),
      capacity_(capacity) {}

Lifeline::~Lifeline() {
  socket_.reset();
  if (!wait_readable(helper_pidfd_.get(), kExitWaitMs)) {
    pidfd_signal(helper_pidfd_.get(), SIGKILL);
    wait_readable(helper_pidfd_.get(), kKillWaitMs);
  }
  siginfo_t info{};
  waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(helper_pidfd_.get()), &info,
         WEXITED | WNOHANG);
}

Status Lifeline::watch(pid_t process_group) {
  if (watched_.fetch_add(1) >= capacity_) {
    watched_.fetch_sub(1);
    return make_error(ErrorCode::kResourceExhausted,
                      "lifeline: already watching " + std::to_string(capacity_) + " groups");
  }
  Status sent = send(kWatch, process_group);
  if (!sent.ok()) watched_.fetch_sub(1);
  return sent;
}

void Lifeline::forget(pid_t process_group) {
  // A forget can only be lost when the helper is dead (then it kills nothing)
  // or stopped for longer than the send timeout (then, if the runtime dies
  // later, it may kill a group id the kernel has handed out again).
  (void)send(kForget, process_group);
  watched_.fetch_sub(1);
}

Status Lifeline::send(int op, pid_t process_group) {
  const LifelineMessage message{op, process_group};
  ssize_t n;
  do {
    // MSG_NOSIGNAL: a dead helper is an error here, not a SIGPIPE for the runtime.
    n = ::send(socket_.get(), &message, sizeof message, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n != sizeof message) {
    return os_error("lifeline: cannot reach helper process " + std::to_string(helper_pid_),
                    n < 0 ? errno : EIO);
  }
  return ok_status();
}

}  // namespace theater::process
