#include "handlers/process/os/descriptors.h"

#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

namespace theater::process {

int open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  return static_cast<int>(limit.rlim_cur);
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  int n;
  do {
    n = poll(&p, 1, static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

THEATER_CHILD_CODE void close_descriptors_except(int first, int keep, int fd_limit) {
  const bool closed =
      (keep == first || close_range(first, keep - 1, 0) == 0) && close_range(keep + 1, ~0U, 0) == 0;
  if (closed) return;
  for (int fd = first; fd < fd_limit; ++fd) {
    if (fd != keep) close(fd);
  }
}

}  // namespace theater::process
