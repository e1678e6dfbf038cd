// A real TheaterRuntime in a temporary THEATER_HOME, a folder of directories
// to grant (and one outside them), and Probe: a client for the SDK-built
// filesystem_probe_actor (tests/guests/filesystem).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../../support/temp_dir.h"
#include "config/manifest.h"
#include "runtime/theater_runtime.h"

namespace theater::filesystem_tests {

using namespace std::chrono_literals;
using handler::Bytes;

inline constexpr const char* kHandleRequest = "theater:simple/message-server-client#handle-request";
inline constexpr const char* kDenied = "theater:simple/filesystem/permission-denied";

// The actor's answer split into its verdict and payload.
struct Reply {
  bool ok = false;
  std::string payload;  // after "ok " / "err "
};

class Probe {
 public:
  Probe() = default;
  explicit Probe(handler::ActorHandle actor) : actor_(std::move(actor)) {}

  Reply request(const std::string& command, const std::string& path, const std::string& rest = "",
                bool with_rest = false) {
    std::string message = command + '\x1f' + path;
    if (with_rest) message += '\x1f' + rest;
    using Params = std::tuple<std::string, Bytes>;
    auto answer = actor_.call_and_wait<Params, std::tuple<std::optional<Bytes>>>(
        kHandleRequest, Params("test", Bytes(message.begin(), message.end())),
        {{"test", "request"}}, 30s);
    if (!answer.ok()) return {false, "call failed: " + answer.error().message};
    const std::optional<Bytes>& bytes = std::get<0>(std::get<0>(*answer));
    const std::string text = bytes ? std::string(bytes->begin(), bytes->end()) : "";
    if (text.rfind("ok", 0) == 0) return {true, text.size() > 3 ? text.substr(3) : ""};
    return {false, text.size() > 4 ? text.substr(4) : text};
  }
  Reply read(const std::string& path) { return request("read", path); }
  Reply write(const std::string& path, const std::string& content) {
    return request("write", path, content, true);
  }
  Reply list(const std::string& path) { return request("list", path); }
  Reply exists(const std::string& path) { return request("exists", path); }

  // The data of the chain's events of `type`, decoded from CBOR, oldest first.
  std::vector<nlohmann::json> events(std::string_view type) {
    std::vector<nlohmann::json> found;
    auto events = actor_.events();
    if (!events.ok()) return found;
    for (const handler::ChainEvent& event : *events) {
      if (event.event_type == type) found.push_back(nlohmann::json::from_cbor(event.data));
    }
    return found;
  }
  // The content bytes of one event's data as text.
  static std::string content_of(const nlohmann::json& data) {
    const auto& bytes = data.at("content").get_binary();
    return std::string(bytes.begin(), bytes.end());
  }

 private:
  handler::ActorHandle actor_;
};

class FilesystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime::RuntimeOptions options;
    options.home = home_.path() / "home";
    options.engine.isolates = 2;
    options.stop_grace = 2000ms;
    auto runtime = runtime::TheaterRuntime::create(options);
    ASSERT_TRUE(runtime.ok()) << runtime.error().message;
    runtime_ = std::move(*runtime);
    std::filesystem::create_directories(home_.path() / "data");
    std::filesystem::create_directories(home_.path() / "outside");
    home_.write("outside/secret", "OUTSIDE SECRET");
  }
  void TearDown() override { runtime_.reset(); }

  std::filesystem::path dir(const std::string& relative) const { return home_.path() / relative; }
  std::string slurp(const std::string& relative) const {
    std::ifstream in(dir(relative), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // A probe whose filesystem entry holds `keys` (paths relative to the
  // manifest's folder, the test's directory).
  Result<Probe> start_probe(const std::string& keys) {
    const std::filesystem::path file =
        home_.path() / ("probe-" + std::to_string(probes_++) + ".toml");
    std::ofstream(file) << "name = \"filesystem-probe\"\nversion = \"0.1.0\"\ncomponent = \"" +
                               std::string(THEATER_WASM_DIR) +
                               "/filesystem_probe_actor.wasm\"\n\n[[handler]]\ntype = "
                               "\"message-server\"\n\n[[handler]]\ntype = \"filesystem\"\n" +
                               keys;
    THEATER_ASSIGN_OR_RETURN(config::Manifest manifest, config::parse_manifest_file(file));
    THEATER_ASSIGN_OR_RETURN(std::string id, runtime_->spawn(manifest));
    THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, runtime_->handle(id));
    return Probe(actor);
  }

  test_support::TempDir home_;
  int probes_ = 0;
  std::unique_ptr<runtime::TheaterRuntime> runtime_;
};

#define ASSERT_PROBE(probe, keys)                                       \
  auto probe##_started = start_probe(keys);                             \
  ASSERT_TRUE(probe##_started.ok()) << probe##_started.error().message; \
  Probe probe = std::move(*probe##_started)

inline constexpr const char* kWritableData = "paths = [\"data\"]\nwritable_paths = [\"data\"]\n";

}  // namespace theater::filesystem_tests
