// A runtime with the store tests' actor (tests/guests/store/store_actor.c):
// manifests with a [[handler]] type = "store" entry, commands sent as
// handle-send calls, the answer read back from the actor's state, chains
// read from the event log, and a second connection to the content store.
#pragma once

#include <nlohmann/json.hpp>

#include "../runtime/runtime_fixture.h"
#include "chain/event_log.h"
#include "store/content_store.h"

namespace theater::runtime::testing {

using handler::Bytes;

class StoreTest : public RuntimeTest {
 protected:
  static constexpr const char* kHandleSend = "theater:simple/message-server-client#handle-send";

  // Spawns the store actor; `keys`: lines of its [[handler]] entry.
  Result<std::string> start(const std::string& keys = "", const std::string& file = "store.toml",
                            const std::string& top = "") {
    std::ofstream(home_ / file) << "name = \"store-user\"\ncomponent = \"" + guest("store_actor") +
                                       "\"\n" + top + "[[handler]]\ntype = \"store\"\n" + keys;
    THEATER_ASSIGN_OR_RETURN(
        config::Manifest m, config::parse_manifest_file(home_ / file, runtime_->handler_schemas()));
    return runtime_->spawn(m);
  }

  // Runs one command ("<function>|<arg>|..."); the actor's answer.
  std::string run(const std::string& id, const std::string& command) {
    auto handle = runtime_->handle(id);
    if (!handle.ok()) return "no actor: " + handle.error().message;
    auto done = handle->call_and_wait<std::tuple<Bytes>>(
        kHandleSend, std::tuple<Bytes>(Bytes(command.begin(), command.end())), {},
        std::chrono::seconds(60));
    if (!done.ok()) return "call failed: " + done.error().message;
    auto state = handle->state();
    if (!state.ok() || !*state) return "no state";
    return std::string((*state)->begin(), (*state)->end());
  }
  // The value of an "ok:<value>" answer ("" otherwise).
  static std::string value_of(const std::string& answer) {
    return answer.rfind("ok:", 0) == 0 ? answer.substr(3) : "";
  }
  static bool is_err(const std::string& answer) { return answer.rfind("err:", 0) == 0; }

  // The actor's stored events whose type starts with `prefix`, data decoded.
  std::vector<std::pair<std::string, nlohmann::json>> events_of(const std::string& id,
                                                                const std::string& prefix) {
    std::vector<std::pair<std::string, nlohmann::json>> out;
    if (!runtime_->flush_events().ok()) return out;
    auto reader = chain::EventLogReader::open(home_ / "theater.db");
    if (!reader.ok()) return out;
    auto events = (*reader)->read_events(id);
    if (!events.ok()) return out;
    for (const chain::Event& e : *events)
      if (e.event_type.rfind(prefix, 0) == 0)
        out.emplace_back(e.event_type, nlohmann::json::from_cbor(e.data));
    return out;
  }

  // The content store file, through a connection of the test's own.
  store::ContentStore& content_store() {
    if (!store_) {
      auto opened = store::ContentStore::open(store::ContentStore::path_in(home_));
      if (!opened.ok()) std::abort();
      store_ = std::move(*opened);
    }
    return *store_;
  }
  void TearDown() override {
    store_.reset();
    RuntimeTest::TearDown();
  }

 private:
  std::unique_ptr<store::ContentStore> store_;
};

}  // namespace theater::runtime::testing
