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

namespace theater::process_tests {

using namespace std::chrono_literals;

template <class Predicate>
bool wait_until(Predicate predicate, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

struct ProcInfo {
  pid_t pid = 0;
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
};

inline std::optional<ProcInfo> read_proc(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(file, text)) return std::nullopt;
  const auto close = text.rfind(')');  // comm may hold spaces and parentheses
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 2));
  ProcInfo info;
  info.pid = pid;
  rest >> info.state >> info.ppid >> info.pgrp;
  return info;
}

inline std::vector<ProcInfo> all_processes() {
  std::vector<ProcInfo> result;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return result;
  while (dirent* entry = readdir(dir)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0) continue;
    if (auto info = read_proc(pid)) result.push_back(*info);
  }
  closedir(dir);
  return result;
}

// Members of a process group that are still alive (zombies count as dead).
inline std::vector<pid_t> live_members_of_group(pid_t group) {
  std::vector<pid_t> members;
  for (const ProcInfo& info : all_processes()) {
    if (info.pgrp == group && info.state != 'Z') members.push_back(info.pid);
  }
  return members;
}

inline std::vector<pid_t> zombie_children_of(pid_t parent) {
  std::vector<pid_t> zombies;
  for (const ProcInfo& info : all_processes()) {
    if (info.ppid == parent && info.state == 'Z') zombies.push_back(info.pid);
  }
  return zombies;
}

inline std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  for (const ProcInfo& info : all_processes()) {
    if (info.ppid == parent) children.push_back(info.pid);
  }
  return children;
}

inline int count_open_fds() {
  int count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory's own descriptor
}

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
