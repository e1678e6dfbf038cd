#include "handlers/process/os/child_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <limits>
#include <string>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif
#include <vector>

#include "handlers/process/os/cgroup.h"
#include "handlers/process/os/descriptors.h"
#include "handlers/process/os/lifeline.h"
#include "handlers/process/os/os_error.h"

namespace theater::process {
namespace {

// Stack of the cloned child until it execs. Only our few syscalls run on it
// (plus sanitizer interceptors in sanitized builds); pages are touched lazily.
constexpr std::size_t kChildStackSize = std::size_t{256} * 1024;
// How long the destructor waits for a SIGKILLed group leader to die.
constexpr std::chrono::milliseconds kDestructorReapTimeout{2000};
// Exit code reported when something else in the runtime reaped our child
// (a waitpid(-1) elsewhere, or SIGCHLD set to SIG_IGN): the real one is lost.
constexpr std::int32_t kExitCodeLost = std::numeric_limits<std::int32_t>::min();

// Where a child failed before its program ran; travels through the error pipe.
enum class ChildStage : std::int32_t { kSetup = 1, kWorkingDirectory = 2, kExec = 3, kCgroup = 4 };

struct ChildFailure {
  ChildStage stage;
  std::int32_t error;
};

// Everything the child reads. The child shares our memory until it execs
// (CLONE_VM) and may not allocate, so it is all prepared here.
struct ChildSetup {
  const char* const* candidates;
  std::size_t candidate_count;
  char* const* argv;
  char* const* envp;
  const char* cwd;           // nullptr: stay where we are
  const char* cgroup_procs;  // the cgroup.procs file to join; nullptr: stay
  int stdio[3];              // the child's ends of the pipes, all above 2
  int error_fd;              // write end of the error pipe, O_CLOEXEC, above 2
  pid_t parent;
  int fd_limit;  // for the close() loop when close_range is unavailable
};

// Owns the strings the child's argv, envp and candidate list point into.
class ExecPlan {
 public:
  explicit ExecPlan(const SpawnOptions& options)
      : candidates_(program_candidates(options.program, options.env)) {
    arguments_.reserve(options.args.size() + 1);
    arguments_.push_back(options.program);
    arguments_.insert(arguments_.end(), options.args.begin(), options.args.end());
    for (const auto& [name, value] : options.env) {
      std::string entry;
      entry.reserve(name.size() + 1 + value.size());
      environment_.push_back(entry.append(name).append("=").append(value));
    }
    for (auto& arg : arguments_) argv_.push_back(arg.data());
    argv_.push_back(nullptr);
    for (auto& entry : environment_) envp_.push_back(entry.data());
    envp_.push_back(nullptr);
    for (const auto& candidate : candidates_) candidate_ptrs_.push_back(candidate.c_str());
  }

  const char* const* candidates() const { return candidate_ptrs_.data(); }
  std::size_t candidate_count() const { return candidate_ptrs_.size(); }
  char* const* argv() const { return argv_.data(); }
  char* const* envp() const { return envp_.data(); }

 private:
  std::vector<std::string> candidates_;
  std::vector<std::string> arguments_;
  std::vector<std::string> environment_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
  std::vector<const char*> candidate_ptrs_;
};

// One per spawning thread, kept for the thread's life: CLONE_VFORK suspends
// the thread until the child has exec'd or exited, so the stack is free again
// when clone returns. Mapping and unmapping one per spawn cost a TLB
// shootdown across the runtime's threads every time.
class ChildStack {
 public:
  static Result<void*> top_for_this_thread() {
    thread_local ChildStack stack;
    if (!stack.base_) {
      void* base = mmap(nullptr, kChildStackSize, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
      if (base == MAP_FAILED) return os_error("mmap of a child stack", errno);
      stack.base_ = base;
    }
#if defined(__SANITIZE_ADDRESS__)
    // Interceptors in the child may leave shadow behind; it must say "usable".
    __asan_unpoison_memory_region(stack.base_, kChildStackSize);
#endif
    // Stacks grow down on every architecture we build for.
    return static_cast<void*>(static_cast<char*>(stack.base_) + kChildStackSize);
  }
  ChildStack(const ChildStack&) = delete;
  ChildStack& operator=(const ChildStack&) = delete;
  ~ChildStack() {
    if (base_) munmap(base_, kChildStackSize);
  }

 private:
  ChildStack() = default;
  void* base_ = nullptr;
};

// Blocks every signal in this thread for its lifetime: none of our handlers
// may run in the child, which shares our memory until it has reset them.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous_);
  }
  ~AllSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t previous_;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> make_pipe(const char* what) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) return os_error(std::string("pipe for ") + what, errno);
  return Pipe{UniqueFd(ends[0]), UniqueFd(ends[1])};
}

// The child dup2()s its ends onto 0, 1 and 2; an end already sitting on one of
// those numbers (a runtime started with stdio closed) would be clobbered.
Status move_above_stdio(UniqueFd& fd) {
  if (fd.get() > 2) return ok_status();
  const int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (moved < 0) return os_error("fcntl(F_DUPFD_CLOEXEC)", errno);
  fd.reset(moved);
  return ok_status();
}

std::int32_t decode_exit(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return info.si_status;
  return -info.si_status;  // CLD_KILLED, CLD_DUMPED: the signal number
}

// --- the child, between clone and exec: THEATER_CHILD_CODE only -------------

[[noreturn]] THEATER_CHILD_CODE void fail_in_child(const ChildSetup& setup, ChildStage stage,
                                                   int error) {
  const ChildFailure failure{stage, error};
  const ssize_t ignored = write(setup.error_fd, &failure, sizeof failure);
  (void)ignored;
  _exit(127);
}

THEATER_CHILD_CODE void reset_signals_in_child() {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &default_action, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Marks every descriptor above 2 close-on-exec, the error pipe included (it
// must stay open until exec). Older kernels: close all but the error pipe.
THEATER_CHILD_CODE void close_inherited_descriptors(const ChildSetup& setup) {
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  close_descriptors_except(3, setup.error_fd, setup.fd_limit);
}

// Like execvp's search, without its shell fallback: a denied candidate is
// remembered and the search goes on; other errors than "not there" stop it.
[[noreturn]] THEATER_CHILD_CODE void exec_program(const ChildSetup& setup) {
  int error = ENOENT;
  bool denied = false;
  for (std::size_t i = 0; i < setup.candidate_count; ++i) {
    execve(setup.candidates[i], setup.argv, setup.envp);
    error = errno;
    if (error == EACCES) {
      denied = true;
    } else if (error != ENOENT && error != ENOTDIR) {
      fail_in_child(setup, ChildStage::kExec, error);
    }
  }
  fail_in_child(setup, ChildStage::kExec, denied ? EACCES : error);
}

// Joins the owner's cgroup before anything can fork: from here on, whatever
// this process starts (setsid, double forks) is in it too.
THEATER_CHILD_CODE void join_cgroup_in_child(const ChildSetup& setup) {
  if (setup.cgroup_procs == nullptr) return;
  const int fd = open(setup.cgroup_procs, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail_in_child(setup, ChildStage::kCgroup, errno);
  if (write(fd, "0", 1) != 1) fail_in_child(setup, ChildStage::kCgroup, errno);
  close(fd);
}

THEATER_CHILD_CODE int child_main(void* argument) {
  const ChildSetup& setup = *static_cast<const ChildSetup*>(argument);
  reset_signals_in_child();
  join_cgroup_in_child(setup);
  if (setpgid(0, 0) != 0) fail_in_child(setup, ChildStage::kSetup, errno);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
    fail_in_child(setup, ChildStage::kSetup, errno);
  }
  // The runtime may have died before the line above: then nobody would kill us.
  if (getppid() != setup.parent) _exit(127);
  for (int target = 0; target < 3; ++target) {
    if (dup2(setup.stdio[target], target) < 0) fail_in_child(setup, ChildStage::kSetup, errno);
  }
  close_inherited_descriptors(setup);
  if (setup.cwd != nullptr && chdir(setup.cwd) != 0) {
    fail_in_child(setup, ChildStage::kWorkingDirectory, errno);
  }
  exec_program(setup);
}

// --- back in the parent ----------------------------------------------------

Error child_failure_error(const SpawnOptions& options, const Cgroup* cgroup,
                          const ChildFailure& failure) {
  std::string what = "cannot start '" + options.program + "'";
  switch (failure.stage) {
    case ChildStage::kWorkingDirectory:
      what += ": working directory '" + *options.cwd + "'";
      break;
    case ChildStage::kSetup:
      what += ": setting up the child";
      break;
    case ChildStage::kCgroup:
      what += ": joining " + cgroup->procs_file();
      break;
    case ChildStage::kExec:
      break;
  }
  return os_error(what, failure.error);
}

// Reads the child's failure report; false when the pipe closed empty (exec
// succeeded, the close-on-exec write end went away with it).
Result<bool> read_child_failure(int fd, ChildFailure& failure) {
  ssize_t n;
  do {
    n = read(fd, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return os_error("reading the child's error pipe", errno);
  return n == sizeof failure;
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<ChildProcess> ChildProcess::spawn(const SpawnOptions& options, Lifeline* lifeline,
                                         const Cgroup* cgroup) {
  THEATER_RETURN_IF_ERROR(validate_spawn_options(options));
  const ExecPlan plan(options);
  THEATER_ASSIGN_OR_RETURN(Pipe in, make_pipe("stdin"));
  THEATER_ASSIGN_OR_RETURN(Pipe out, make_pipe("stdout"));
  THEATER_ASSIGN_OR_RETURN(Pipe err, make_pipe("stderr"));
  THEATER_ASSIGN_OR_RETURN(Pipe failure_pipe, make_pipe("exec errors"));
  for (UniqueFd* child_end : {&in.read, &out.write, &err.write, &failure_pipe.write}) {
    THEATER_RETURN_IF_ERROR(move_above_stdio(*child_end));
  }
  THEATER_ASSIGN_OR_RETURN(void* stack_top, ChildStack::top_for_this_thread());

  const ChildSetup setup{plan.candidates(),
                         plan.candidate_count(),
                         plan.argv(),
                         plan.envp(),
                         options.cwd ? options.cwd->c_str() : nullptr,
                         cgroup ? cgroup->procs_file().c_str() : nullptr,
                         {in.read.get(), out.write.get(), err.write.get()},
                         failure_pipe.write.get(),
                         getpid(),
                         open_file_limit()};

  // CLONE_VM | CLONE_VFORK, as posix_spawn does: no copy of the runtime's page
  // tables (V8 maps a lot), and we resume only once the child has exec'd or
  // exited. CLONE_PIDFD: a pidfd from the start, so no PID-reuse race.
  int pidfd = -1;
  pid_t pid;
  {
    AllSignalsBlocked blocked;
    pid = clone(child_main, stack_top, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD,
                const_cast<ChildSetup*>(&setup), &pidfd);
  }
  if (pid < 0) return os_error("cannot start '" + options.program + "': clone", errno);

  ChildProcess child;
  child.pid_ = pid;
  child.pidfd_ = UniqueFd(pidfd);
  child.start_time_ms_ = now_ms();
  in.read.reset();
  out.write.reset();
  err.write.reset();
  failure_pipe.write.reset();

  ChildFailure failure{};
  THEATER_ASSIGN_OR_RETURN(bool failed, read_child_failure(failure_pipe.read.get(), failure));
  if (failed) {
    child.kill_and_reap(kDestructorReapTimeout);  // it has exited already
    return child_failure_error(options, cgroup, failure);
  }
  child.stdin_ = std::move(in.write);
  child.stdout_ = std::move(out.read);
  child.stderr_ = std::move(err.read);
  if (lifeline != nullptr) {
    if (Status watched = lifeline->watch(pid); watched.ok()) {
      child.lifeline_ = lifeline;
    } else {
      spdlog::warn("process {} ('{}') is not covered by the lifeline: {}", pid, options.program,
                   watched.error().message);
    }
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)),
      start_time_ms_(other.start_time_ms_),
      exit_code_(other.exit_code_),
      lifeline_(std::exchange(other.lifeline_, nullptr)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
    stdin_ = std::move(other.stdin_);
    stdout_ = std::move(other.stdout_);
    stderr_ = std::move(other.stderr_);
    start_time_ms_ = other.start_time_ms_;
    exit_code_ = other.exit_code_;
    lifeline_ = std::exchange(other.lifeline_, nullptr);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  reset();
}

void ChildProcess::reset() {
  if (pidfd_.valid() && !exit_code_ && !kill_and_reap(kDestructorReapTimeout)) {
    spdlog::error("process {} did not die within {} ms of SIGKILL; leaving it unreaped", pid_,
                  kDestructorReapTimeout.count());
  }
  pidfd_.reset();
}

Status ChildProcess::signal_group(int signal) {
  if (!pidfd_.valid() || exit_code_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "process " + std::to_string(pid_) + " has exited");
  }
  // The leader is not reaped yet, so its group id is still ours.
  if (killpg(pid_, signal) != 0) {
    return os_error(
        "signal " + std::to_string(signal) + " to process group " + std::to_string(pid_), errno);
  }
  return ok_status();
}

std::optional<std::int32_t> ChildProcess::try_reap() {
  if (exit_code_ || !pidfd_.valid()) return exit_code_;
  const auto pidfd_id = static_cast<id_t>(pidfd_.get());
  siginfo_t info{};
  // WNOWAIT: look, but leave the leader a zombie; it keeps its group id ours
  // while we kill what is left of the group.
  int rc;
  do {
    rc = waitid(static_cast<idtype_t>(P_PIDFD), pidfd_id, &info, WEXITED | WNOHANG | WNOWAIT);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno == ECHILD) {
      exit_code_ = kExitCodeLost;
      pidfd_.reset();
    }
    return exit_code_;
  }
  if (info.si_pid == 0) return std::nullopt;  // still running

  killpg(pid_, SIGKILL);
  if (lifeline_ != nullptr) lifeline_->forget(pid_);
  info = {};
  do {
    rc = waitid(static_cast<idtype_t>(P_PIDFD), pidfd_id, &info, WEXITED);
  } while (rc != 0 && errno == EINTR);
  exit_code_ = rc == 0 ? decode_exit(info) : kExitCodeLost;
  pidfd_.reset();  // nothing left to wait for
  return exit_code_;
}

std::optional<std::int32_t> ChildProcess::kill_and_reap(std::chrono::milliseconds timeout) {
  if (exit_code_ || !pidfd_.valid()) return exit_code_;
  killpg(pid_, SIGKILL);
  if (auto code = try_reap()) return code;
  wait_readable(pidfd_.get(), timeout);
  return try_reap();
}

}  // namespace theater::process
