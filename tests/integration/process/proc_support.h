// Looking at processes and descriptors through /proc, and bounded polling
// (for waiting on the OS or the actor, never for asserting a duration).
#pragma once

#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../support/proc_inspect.h"
#include "../../support/wait.h"

namespace theater::process_tests {

using namespace std::chrono_literals;
using namespace theater::testing::proc;

using theater::testing::wait_until;

// What each open descriptor of this process is ("pipe:[123]", "anon_inode:[pidfd]", ...),
// for the kinds a child process would leave behind: pipes and pidfds.
inline std::multiset<std::string> open_pipes_and_pidfds() {
  std::multiset<std::string> targets;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    char target[256] = {0};
    const std::string path = std::string("/proc/self/fd/") + entry->d_name;
    if (readlink(path.c_str(), target, sizeof target - 1) <= 0) continue;
    const std::string text(target);
    if (text.rfind("pipe:", 0) == 0 || text == "anon_inode:[pidfd]") targets.insert(text);
  }
  closedir(dir);
  return targets;
}

// Bytes a process has passed to write() so far (/proc/<pid>/io "wchar").
inline std::optional<std::uint64_t> bytes_written_by(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/io");
  std::string key;
  std::uint64_t value = 0;
  while (file >> key >> value) {
    if (key == "wchar:") return value;
  }
  return std::nullopt;
}

}  // namespace theater::process_tests
