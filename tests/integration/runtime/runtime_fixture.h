// A real TheaterRuntime in a temporary THEATER_HOME, manifests written to
// that folder, and an observer that records what a CLI user would see.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "config/manifest.h"
#include "runtime/theater_runtime.h"

namespace theater::runtime::testing {

class RecordingObserver : public RuntimeObserver {
 public:
  void on_log(const std::string& id, std::string_view source, std::string_view line) override {
    std::lock_guard lock(mutex_);
    logs_.push_back(std::string(source) + ": " + std::string(line));
    cv_.notify_all();
  }
  void on_actor_error(const std::string& id, const std::string& export_name,
                      const Error& error) override {
    std::lock_guard lock(mutex_);
    errors_.push_back(export_name + ": " + error.message);
    cv_.notify_all();
  }
  void on_actor_exit(const std::string& id, const ActorExit& exit) override {
    std::lock_guard lock(mutex_);
    exits_.emplace_back(id, exit);
    cv_.notify_all();
  }
  // Waits (bounded) until `id` exited; its exit, or nullopt.
  std::optional<ActorExit> wait_exit(const std::string& id,
                                     std::chrono::seconds timeout = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    std::optional<ActorExit> found;
    cv_.wait_for(lock, timeout, [&] {
      for (auto& [exit_id, exit] : exits_)
        if (exit_id == id) found = exit;
      return found.has_value();
    });
    return found;
  }
  bool wait_log(const std::string& line, std::chrono::seconds timeout = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout,
                        [&] { return std::find(logs_.begin(), logs_.end(), line) != logs_.end(); });
  }
  std::vector<std::string> logs() {
    std::lock_guard lock(mutex_);
    return logs_;
  }
  std::vector<std::string> errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> logs_, errors_;
  std::vector<std::pair<std::string, ActorExit>> exits_;
};

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override { start_runtime(&observer_); }
  // A fresh home and a runtime reporting to `observer` (a fixture with an
  // observer of its own calls this from its SetUp).
  void start_runtime(RuntimeObserver* observer) {
    home_ = std::filesystem::temp_directory_path() /
            ("theater-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_);
    RuntimeOptions options;
    options.home = home_;
    options.engine.isolates = 2;
    options.stop_grace = std::chrono::milliseconds(2000);
    auto runtime = TheaterRuntime::create(options, observer);
    ASSERT_TRUE(runtime.ok()) << runtime.error().message;
    runtime_ = std::move(*runtime);
  }
  void TearDown() override {
    runtime_.reset();
    std::filesystem::remove_all(home_);
  }

  static std::string guest(const std::string& name) {
    return std::string(THEATER_WASM_DIR) + "/" + name + ".wasm";
  }

  // Writes a manifest file and parses it against the runtime's handlers.
  Result<config::Manifest> manifest(const std::string& body,
                                    const std::string& file = "actor.toml") {
    std::ofstream(home_ / file) << body;
    return config::parse_manifest_file(home_ / file, runtime_->handler_schemas());
  }
  std::string counter_manifest(const std::string& extra = "") {
    return "name = \"counter\"\nversion = \"0.1.0\"\ncomponent = \"" +
           guest("runtime_counter_actor") + "\"\n" + extra;
  }
  Result<std::string> spawn(const std::string& body,
                            std::optional<std::string> init_state = std::nullopt) {
    THEATER_ASSIGN_OR_RETURN(config::Manifest m, manifest(body));
    TheaterRuntime::SpawnOptions options;
    options.init_state_json = std::move(init_state);
    return runtime_->spawn(m, options);
  }

  static inline int counter_ = 0;
  std::filesystem::path home_;
  RecordingObserver observer_;
  std::unique_ptr<TheaterRuntime> runtime_;
};

}  // namespace theater::runtime::testing
