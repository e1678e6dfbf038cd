#include "handlers/process/os/cgroup.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/unique_fd.h"
#include "handlers/process/os/os_error.h"
#include "handlers/process/os/pidfd.h"

namespace theater::process {
namespace {

// How long a destructor waits for SIGKILLed members to be gone.
constexpr std::chrono::milliseconds kKilledMembersTimeout{2000};
// Upper bound of one sleep between looks at cgroup.events, in case a change
// notification is missed: waiting stays bounded either way.
constexpr std::chrono::milliseconds kEventsPollSlice{100};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

Status write_file(const std::string& path, std::string_view text) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return os_error("opening " + path, errno);
  if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return os_error("writing " + path, errno);
  }
  return ok_status();
}

struct Cgroup2Mount {
  std::string root;         // the part of the hierarchy the mount shows ("/" usually)
  std::string mount_point;  // e.g. /sys/fs/cgroup or /sys/fs/cgroup/unified
};

// /proc/self/mountinfo: "id parent dev root mount-point options ... - fstype source ...".
std::optional<Cgroup2Mount> find_cgroup2_mount() {
  std::ifstream file("/proc/self/mountinfo");
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::vector<std::string> words;
    for (std::string word; fields >> word;) words.push_back(word);
    auto separator = std::find(words.begin(), words.end(), "-");
    if (words.size() < 5 || separator == words.end() || separator + 1 == words.end()) continue;
    if (*(separator + 1) == "cgroup2") return Cgroup2Mount{words[3], words[4]};
  }
  return std::nullopt;
}

// Our own cgroup in the v2 hierarchy: the "0::<path>" line of /proc/<pid>/cgroup.
std::optional<std::string> cgroup2_of(const std::string& pid) {
  std::ifstream file("/proc/" + pid + "/cgroup");
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return std::nullopt;
}

std::optional<pid_t> process_group_of(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  const auto close = text->rfind(')');  // comm may hold spaces and parentheses
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text->substr(close + 2));
  char state;
  pid_t ppid;
  pid_t group;
  if (!(rest >> state >> ppid >> group)) return std::nullopt;
  return group;
}

// `base` + `relative`, where relative is an absolute cgroup path ("/" alone adds nothing).
std::string join(const std::string& base, const std::string& relative) {
  return relative == "/" ? base : base + relative;
}

bool populated(int events_fd) {
  char buffer[256];
  const ssize_t n = pread(events_fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return false;  // the directory is gone: nothing can be in it
  buffer[n] = '\0';
  return std::string_view(buffer).find("populated 1") != std::string_view::npos;
}

}  // namespace

// --- CgroupRoot ---------------------------------------------------------------------

Result<std::unique_ptr<CgroupRoot>> CgroupRoot::create() {
  static std::atomic<unsigned> next_root{1};
  const auto mount = find_cgroup2_mount();
  if (!mount) return make_error(ErrorCode::kUnavailable, "no cgroup v2 hierarchy is mounted");
  auto own = cgroup2_of("self");
  if (!own) return make_error(ErrorCode::kUnavailable, "this process is in no cgroup v2");
  const std::string own_name = *own;  // as /proc/<pid>/cgroup spells it
  if (mount->root != "/") {
    if (own->rfind(mount->root, 0) != 0) {
      return make_error(ErrorCode::kUnavailable,
                        "our cgroup " + *own + " is outside the mounted part " + mount->root);
    }
    own = own->substr(mount->root.size());
    if (own->empty()) own = "/";
  }
  const std::string own_directory = join(mount->mount_point, *own);
  const std::string leaf =
      "/theater-" + std::to_string(getpid()) + "-" + std::to_string(next_root.fetch_add(1));
  const std::string directory = own_directory + leaf;
  if (mkdir(directory.c_str(), 0755) != 0) return os_error("cgroup v2: mkdir " + directory, errno);

  // Moving a process needs write access to the cgroup.procs of both ends.
  std::string missing;
  if (access((directory + "/cgroup.kill").c_str(), W_OK) != 0) {
    missing = "cgroup.kill (Linux 5.14 or later)";
  } else if (access((own_directory + "/cgroup.procs").c_str(), W_OK) != 0 ||
             access((directory + "/cgroup.procs").c_str(), W_OK) != 0) {
    missing = "write access to cgroup.procs";
  }
  if (!missing.empty()) {
    rmdir(directory.c_str());
    return make_error(ErrorCode::kUnavailable, "cgroup v2 at " + own_directory + ": no " + missing);
  }
  return std::unique_ptr<CgroupRoot>(new CgroupRoot(directory, join("", own_name) + leaf));
}

CgroupRoot::CgroupRoot(std::string directory, std::string name)
    : directory_(std::move(directory)), name_(std::move(name)) {}

CgroupRoot::~CgroupRoot() {
  // Every table has removed its own cgroup by now; this is only a backstop.
  Cgroup whole(directory_, name_);
  // ~Cgroup kills, waits and removes the directory; the lifeline may have done
  // so already (ENOENT), which is fine.
}

Result<std::unique_ptr<Cgroup>> CgroupRoot::make_child() {
  const std::string leaf = "/t" + std::to_string(next_child_.fetch_add(1));
  const std::string directory = directory_ + leaf;
  if (mkdir(directory.c_str(), 0755) != 0) return os_error("cgroup v2: mkdir " + directory, errno);
  return std::unique_ptr<Cgroup>(new Cgroup(directory, name_ + leaf));
}

// --- Cgroup ---------------------------------------------------------------------------

Cgroup::Cgroup(std::string directory, std::string name)
    : directory_(std::move(directory)),
      name_(std::move(name)),
      procs_file_(directory_ + "/cgroup.procs") {}

Cgroup::~Cgroup() {
  if (!empty()) {
    kill_all();
    if (!wait_until_empty(std::chrono::steady_clock::now() + kKilledMembersTimeout)) {
      spdlog::error("cgroup {}: members still alive {} ms after SIGKILL", directory_,
                    kKilledMembersTimeout.count());
    }
  }
  if (rmdir(directory_.c_str()) != 0 && errno != ENOENT) {
    spdlog::warn("cgroup {}: cannot remove it: {}", directory_, errno_text(errno));
  }
}

void Cgroup::signal_members(int signal, const std::set<pid_t>& skipped_groups) const {
  std::istringstream members(read_file(procs_file_).value_or(""));
  for (pid_t pid; members >> pid;) {
    UniqueFd pidfd(pidfd_open_fd(pid));
    if (!pidfd.valid()) continue;  // gone already
    // Held by a pidfd now: if /proc still says ours, the pidfd's process is
    // ours or dead (then the signal fails harmlessly).
    if (cgroup2_of(std::to_string(pid)) != name_) continue;
    const auto group = process_group_of(pid);
    if (!group || skipped_groups.count(*group) != 0) continue;
    pidfd_signal(pidfd.get(), signal);
  }
}

void Cgroup::kill_all() const {
  if (Status killed = write_file(directory_ + "/cgroup.kill", "1"); !killed.ok()) {
    if (access(directory_.c_str(), F_OK) == 0) {
      spdlog::error("cgroup {}: {}", directory_, killed.error().message);
    }
  }
}

bool Cgroup::empty() const {
  UniqueFd events(open((directory_ + "/cgroup.events").c_str(), O_RDONLY | O_CLOEXEC));
  return !events.valid() || !populated(events.get());
}

bool Cgroup::wait_until_empty(std::chrono::steady_clock::time_point deadline) const {
  using namespace std::chrono;
  UniqueFd events(open((directory_ + "/cgroup.events").c_str(), O_RDONLY | O_CLOEXEC));
  if (!events.valid()) return true;
  for (;;) {
    if (!populated(events.get())) return true;
    const auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
    if (left <= milliseconds::zero()) return false;
    // The kernel flags cgroup.events with POLLPRI when "populated" changes.
    pollfd p{events.get(), POLLPRI, 0};
    poll(&p, 1, static_cast<int>(std::min(left, kEventsPollSlice).count()) + 1);
  }
}

}  // namespace theater::process
