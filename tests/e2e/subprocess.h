// Runs a real command (the theater CLI, python3) with a chosen environment,
// capturing its output: what a user at a terminal would see.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

extern char** environ;

namespace theater::e2e {

class Subprocess {
 public:
  // Starts `argv` with `extra_env` added to this process's environment.
  Subprocess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    std::vector<std::string> env_strings(extra_env);
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    std::vector<char*> args, env;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    for (auto& e : env_strings) env.push_back(e.data());
    args.push_back(nullptr);
    env.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), env.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    out_ = out[0];
  }
  ~Subprocess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      wait();
    }
    if (out_ >= 0) close(out_);
  }
  pid_t pid() const { return pid_; }

  // Reads output until `needle` appears or `timeout` passes; true when it appeared.
  bool read_until(const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() >= deadline || read_some(100) == Read::kEof) {
        return output_.find(needle) != std::string::npos;
      }
    }
    return true;
  }
  // Reads to EOF (bounded) and reaps; the exit code, or -signal.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline && read_some(100) != Read::kEof) {
    }
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  const std::string& output() const { return output_; }

 private:
  enum class Read { kData, kNothingYet, kEof };
  Read read_some(int timeout_ms) {
    pollfd p{out_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return Read::kNothingYet;
    char buf[65536];
    ssize_t n = read(out_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) return Read::kNothingYet;
    if (n <= 0) return Read::kEof;
    output_.append(buf, static_cast<size_t>(n));
    return Read::kData;
  }
  pid_t pid_ = -1;
  int out_ = -1;
  bool exited_ = false;
  std::string output_;
};

}  // namespace theater::e2e
