// A real TheaterRuntime (real V8, real SQLite event log) in a temporary
// THEATER_HOME, and Probe: a client for the SDK-built process_probe_actor
// (tests/guests/process), which runs real processes through the handler.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/manifest.h"
#include "proc_support.h"
#include "runtime/theater_runtime.h"

namespace theater::process_tests {

using handler::Bytes;

inline constexpr const char* kHandleRequest = "theater:simple/message-server-client#handle-request";

inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// What the actor heard, parsed from its transcript.
struct Transcript {
  std::map<std::uint64_t, std::vector<std::string>> out, err;  // pieces, in order
  std::map<std::uint64_t, int> exit;
  // Every line in arrival order ("out 1", "err 1", "exit 1", ...), for ordering checks.
  std::vector<std::string> order;
  bool chain_done = false;  // the chain's last process exited, or a spawn failed
  bool chain_error = false;

  std::string joined_out(std::uint64_t pid) const {
    std::string all;
    if (auto it = out.find(pid); it != out.end())
      for (const auto& piece : it->second) all += piece;
    return all;
  }
};

inline Transcript parse_transcript(const std::string& text) {
  Transcript t;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string kind, hex;
    std::uint64_t pid = 0;
    words >> kind;
    if (kind == "chain" || kind == "chain-error") {
      t.chain_done = true;
      t.chain_error = kind == "chain-error";
      continue;
    }
    words >> pid;
    t.order.push_back(kind + " " + std::to_string(pid));
    if (kind == "exit") {
      int code = 0;
      words >> code;
      t.exit[pid] = code;
    } else {
      words >> hex;
      (kind == "out" ? t.out : t.err)[pid].push_back(from_hex(hex));
    }
  }
  return t;
}

// Drives one probe actor.
class Probe {
 public:
  Probe() = default;
  Probe(std::string id, handler::ActorHandle actor)
      : id_(std::move(id)), actor_(std::move(actor)) {}

  const std::string& id() const { return id_; }
  handler::ActorHandle& actor() { return actor_; }

  // Fields joined with 0x1f; the actor's answer ("ok ...", "err ...").
  std::string request(const std::vector<std::string>& fields) {
    std::string message;
    for (const auto& field : fields) {
      if (!message.empty()) message += '\x1f';
      message += field;
    }
    return request_raw(Bytes(message.begin(), message.end()));
  }
  std::string request_raw(Bytes message) {
    using Params = std::tuple<std::string, Bytes>;
    auto answer = actor_.call_and_wait<Params, std::tuple<std::optional<Bytes>>>(
        kHandleRequest, Params("test", std::move(message)), {{"test", "request"}}, 30s);
    if (!answer.ok()) return "call failed: " + answer.error().message;
    const std::optional<Bytes>& bytes = std::get<0>(std::get<0>(*answer));
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string("<no answer>");
  }

  // Spawns with "key=value" fields; the process id, or the actor's error text.
  Result<std::uint64_t> spawn(std::vector<std::string> fields) {
    fields.insert(fields.begin(), "spawn");
    const std::string answer = request(fields);
    if (answer.rfind("ok ", 0) == 0) return std::stoull(answer.substr(3));
    return make_error(ErrorCode::kInvalidArgument, answer);
  }

  Transcript transcript() { return parse_transcript(request({"transcript"})); }

  // Waits (bounded) for handle-exit of `pid`; its code.
  std::optional<int> wait_exit(std::uint64_t pid, std::chrono::milliseconds timeout = 30s) {
    std::optional<int> code;
    wait_until(
        [&] {
          Transcript t = transcript();
          if (auto it = t.exit.find(pid); it != t.exit.end()) code = it->second;
          return code.has_value();
        },
        timeout);
    return code;
  }

  // The actor's chain events of `type`, with their data decoded from CBOR.
  std::vector<nlohmann::json> events(std::string_view type) {
    std::vector<nlohmann::json> found;
    auto events = actor_.events();
    if (!events.ok()) return found;
    for (const handler::ChainEvent& event : *events) {
      if (event.event_type == type) found.push_back(nlohmann::json::from_cbor(event.data));
    }
    return found;
  }
  // Every event: its type and its data decoded from CBOR, oldest first.
  std::vector<std::pair<std::string, nlohmann::json>> all_events() {
    std::vector<std::pair<std::string, nlohmann::json>> all;
    if (auto events = actor_.events(); events.ok())
      for (const auto& event : *events)
        all.emplace_back(event.event_type, nlohmann::json::from_cbor(event.data));
    return all;
  }
  std::vector<std::string> event_types() {
    std::vector<std::string> types;
    if (auto events = actor_.events(); events.ok())
      for (const auto& event : *events) types.push_back(event.event_type);
    return types;
  }

  // The OS pid of process `pid`, from its spawn event.
  pid_t os_pid(std::uint64_t pid) {
    for (const auto& data : events("theater:simple/process/spawn"))
      if (data.at("pid") == pid) return data.at("os_pid").get<pid_t>();
    return -1;
  }

 private:
  std::string id_;
  handler::ActorHandle actor_;
};

// What the runtime's owner hears: log lines and how actors ended.
class RecordingObserver final : public runtime::RuntimeObserver {
 public:
  void on_log(const std::string& id, std::string_view source, std::string_view line) override {
    std::lock_guard lock(mutex_);
    logs_[id].emplace_back(line);
  }
  void on_actor_exit(const std::string& id, const runtime::ActorExit& exit) override {
    std::lock_guard lock(mutex_);
    exits_.emplace(id, exit);
  }
  std::vector<std::string> logs(const std::string& id) {
    std::lock_guard lock(mutex_);
    return logs_[id];
  }
  std::optional<runtime::ActorExit> wait_exit(const std::string& id) {
    std::optional<runtime::ActorExit> exit;
    wait_until([&] {
      std::lock_guard lock(mutex_);
      if (auto it = exits_.find(id); it != exits_.end()) exit = it->second;
      return exit.has_value();
    });
    return exit;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::string>> logs_;
  std::map<std::string, runtime::ActorExit> exits_;
};

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ =
        std::filesystem::temp_directory_path() /
        ("theater-process-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_);
    home_ = std::filesystem::canonical(home_);
    runtime::RuntimeOptions options;
    options.home = home_;
    options.engine.isolates = 2;
    options.stop_grace = std::chrono::milliseconds(2000);
    auto runtime = runtime::TheaterRuntime::create(options, &observer_);
    ASSERT_TRUE(runtime.ok()) << runtime.error().message;
    runtime_ = std::move(*runtime);
  }
  void TearDown() override {
    runtime_.reset();
    std::filesystem::remove_all(home_);
  }

  static std::string probe_component() {
    return std::string(THEATER_WASM_DIR) + "/process_probe_actor.wasm";
  }

  // The probe's manifest; `process_keys` go into its process [[handler]].
  std::string probe_manifest(const std::string& process_keys) {
    return "name = \"process-probe\"\nversion = \"0.1.0\"\ncomponent = \"" + probe_component() +
           "\"\n\n[[handler]]\ntype = \"message-server\"\n\n[[handler]]\ntype = \"process\"\n" +
           process_keys;
  }

  Result<Probe> start_probe(const std::string& process_keys = "allowed_programs = [\"*\"]\n") {
    const std::filesystem::path file = home_ / ("probe-" + std::to_string(probes_++) + ".toml");
    std::ofstream(file) << probe_manifest(process_keys);
    THEATER_ASSIGN_OR_RETURN(config::Manifest manifest, config::parse_manifest_file(file));
    THEATER_ASSIGN_OR_RETURN(std::string id, runtime_->spawn(manifest));
    THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, runtime_->handle(id));
    return Probe(id, actor);
  }

  static inline int counter_ = 0;
  int probes_ = 0;
  std::filesystem::path home_;
  RecordingObserver observer_;
  std::unique_ptr<runtime::TheaterRuntime> runtime_;
};

#define ASSERT_PROBE(probe, ...)                                        \
  auto probe##_started = start_probe(__VA_ARGS__);                      \
  ASSERT_TRUE(probe##_started.ok()) << probe##_started.error().message; \
  Probe probe = std::move(*probe##_started)

}  // namespace theater::process_tests
