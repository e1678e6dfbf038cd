// A real TheaterRuntime (V8, SQLite event log) in a temporary home, and
// Probe: a client for the host-value probe actors (tests/guests/host_values),
// which answer commands sent to their handle-request export the way an
// outside client would send them.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../runtime/runtime_fixture.h"
#include "chain/event_log.h"

namespace theater::runtime::testing {

inline constexpr const char* kHandleRequest = "theater:simple/message-server-client#handle-request";

class Probe {
 public:
  Probe() = default;
  Probe(std::string id, handler::ActorHandle actor)
      : id_(std::move(id)), actor_(std::move(actor)) {}

  const std::string& id() const { return id_; }
  handler::ActorHandle& actor() { return actor_; }

  // The actor's answer to one command ("ok ...", "err ...").
  std::string request(const std::string& command) {
    using Params = std::tuple<std::string, handler::Bytes>;
    auto answer = actor_.call_and_wait<Params, std::tuple<std::optional<handler::Bytes>>>(
        kHandleRequest, Params("test", handler::Bytes(command.begin(), command.end())),
        {{"test", command}}, std::chrono::seconds(30));
    if (!answer.ok()) return "call failed: " + answer.error().message;
    const std::optional<handler::Bytes>& bytes = std::get<0>(std::get<0>(*answer));
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string("<no answer>");
  }

  // The data of the actor's events of `type`, decoded from CBOR, oldest first.
  std::vector<nlohmann::json> events(std::string_view type) {
    std::vector<nlohmann::json> found;
    auto events = actor_.events();
    if (!events.ok()) return found;
    for (const handler::ChainEvent& event : *events) {
      if (event.event_type == type) found.push_back(nlohmann::json::from_cbor(event.data));
    }
    return found;
  }

  // Every event type of the chain, oldest first.
  std::vector<std::string> event_types() {
    std::vector<std::string> types;
    auto events = actor_.events();
    if (!events.ok()) return types;
    for (const handler::ChainEvent& event : *events) types.push_back(event.event_type);
    return types;
  }

 private:
  std::string id_;
  handler::ActorHandle actor_;
};

// "ok <rest>" -> "<rest>"; anything else fails the test and gives "".
inline std::string ok_value(const std::string& answer) {
  EXPECT_EQ(answer.rfind("ok ", 0), 0u) << answer;
  return answer.rfind("ok ", 0) == 0 ? answer.substr(3) : std::string();
}

inline std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

class HostValuesTest : public RuntimeTest {
 protected:
  // Spawns probe `guest` with `handlers` (TOML [[handler]] tables); fails the test if it does not
  // start.
  Probe spawn_probe(const std::string& guest_name, const std::string& handlers,
                    const std::string& extra = "") {
    const std::string body =
        "name = \"probe\"\ncomponent = \"" + guest(guest_name) + "\"\n" + extra + handlers;
    auto id = spawn(body);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    if (!id.ok()) return {};
    auto handle = runtime_->handle(*id);
    EXPECT_TRUE(handle.ok());
    return Probe(*id, *handle);
  }

  // The data of actor `id`'s events of `type` as the event log holds them
  // (also after the actor stopped), oldest first.
  std::vector<nlohmann::json> persisted(const std::string& id, std::string_view type) {
    std::vector<nlohmann::json> found;
    EXPECT_TRUE(runtime_->flush_events().ok());
    auto reader = chain::EventLogReader::open(home_ / "theater.db");
    EXPECT_TRUE(reader.ok());
    if (!reader.ok()) return found;
    auto events = (*reader)->read_events(id);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return found;
    for (const chain::Event& event : *events) {
      if (event.event_type == type) found.push_back(nlohmann::json::from_cbor(event.data));
    }
    return found;
  }
};

}  // namespace theater::runtime::testing
