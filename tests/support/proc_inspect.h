// Looking at processes through /proc, for tests that check no child, zombie
// or descriptor is left behind. Shared by the process unit and integration tests.
#pragma once

#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace theater::testing::proc {

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

inline bool alive(pid_t pid) {
  auto info = read_proc(pid);
  return info && info->state != 'Z';
}

// Live processes whose argv is exactly `argv` (e.g. {"sleep", marker} with a
// unique marker), wherever they are in the process tree.
inline std::vector<pid_t> live_processes_running(const std::vector<std::string>& argv) {
  std::vector<pid_t> found;
  for (const ProcInfo& info : all_processes()) {
    if (info.state == 'Z') continue;
    std::ifstream file("/proc/" + std::to_string(info.pid) + "/cmdline");
    std::vector<std::string> args;
    for (std::string arg; std::getline(file, arg, '\0');) args.push_back(arg);
    if (args == argv) found.push_back(info.pid);
  }
  return found;
}

// A marker argument no other test run uses: "1000.<pid><random digits>",
// which `sleep` takes as a number of seconds.
inline std::string unique_sleep_marker() {
  static unsigned counter = 0;
  return "1000." + std::to_string(getpid()) + std::to_string(++counter) +
         std::to_string(std::random_device{}() % 100000);
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

}  // namespace theater::testing::proc
