// pidfd system calls. Called directly: glibc 2.36's <sys/pidfd.h> lacks
// extern "C", so its declarations do not link from C++.
#pragma once

#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace theater::process {

inline int pidfd_open_fd(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

inline int pidfd_signal(int pidfd, int signal) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

}  // namespace theater::process
