// A real TheaterRuntime whose actors are messenger_probe actors (see
// tests/guests/message_server/messenger_probe.c): the test drives each one by
// sending it commands (straight to its handle-send export, as an outside
// client would) and reads what it saw from its log lines.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>

#include "../runtime/runtime_fixture.h"
#include "chain/event.h"
#include "config/manifest.h"
#include "runtime/theater_runtime.h"

namespace theater::runtime::testing {

constexpr const char* kHandleSend = "theater:simple/message-server-client#handle-send";

// Log lines by actor.
class LogBook : public RuntimeObserver {
 public:
  void on_log(const std::string& id, std::string_view, std::string_view line) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(id, std::string(line));
    cv_.notify_all();
  }
  void on_actor_error(const std::string& id, const std::string& export_name,
                      const Error& error) override {
    std::lock_guard lock(mutex_);
    errors_.emplace_back(id, export_name + ": " + error.message);
    cv_.notify_all();
  }

  // The first line of `id` starting with `prefix`, waiting up to `timeout`.
  std::optional<std::string> wait_line(const std::string& id, const std::string& prefix,
                                       std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    std::optional<std::string> found;
    cv_.wait_for(lock, timeout, [&] {
      found = find_locked(id, prefix);
      return found.has_value();
    });
    return found;
  }
  bool has_line(const std::string& id, const std::string& prefix) {
    std::lock_guard lock(mutex_);
    return find_locked(id, prefix).has_value();
  }
  std::vector<std::string> lines_of(const std::string& id) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto& [who, line] : lines_)
      if (who == id) out.push_back(line);
    return out;
  }
  bool wait_error(const std::string& id, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] {
      for (auto& [who, error] : errors_)
        if (who == id) return true;
      return false;
    });
  }

 private:
  std::optional<std::string> find_locked(const std::string& id, const std::string& prefix) const {
    for (auto& [who, line] : lines_)
      if (who == id && line.starts_with(prefix)) return line;
    return std::nullopt;
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, std::string>> lines_;
  std::vector<std::pair<std::string, std::string>> errors_;
};

// The runtime fixture, with log lines kept by actor.
class MessagingTest : public RuntimeTest {
 protected:
  void SetUp() override { start_runtime(&log_); }

  // A messenger actor; `keys` go into its message-server entry.
  std::string messenger(const std::string& keys = "") {
    auto parsed = manifest("name = \"messenger\"\nversion = \"0.1.0\"\ncomponent = \"" +
                               guest("messenger_probe_actor") +
                               "\"\n[[handler]]\ntype = \"message-server\"\n" + keys,
                           "m" + std::to_string(manifests_++) + ".toml");
    EXPECT_TRUE(parsed.ok()) << parsed.error().message;
    if (!parsed.ok()) return "";
    auto id = runtime_->spawn(*parsed);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : "";
  }

  handler::ActorHandle handle(const std::string& id) {
    auto found = runtime_->handle(id);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? *found : handler::ActorHandle();
  }

  // Queues command `text` for actor `id` and returns at once.
  void command(const std::string& id, const std::string& text) {
    handler::Bytes bytes(text.begin(), text.end());
    Status queued = handle(id).call<std::tuple<handler::Bytes>>(
        kHandleSend, std::tuple(std::move(bytes)), {{"msg", text}}, nullptr);
    ASSERT_TRUE(queued.ok()) << queued.error().message;
  }
  // Runs command `text` in actor `id` and waits until it has returned.
  void run(const std::string& id, const std::string& text) {
    handler::Bytes bytes(text.begin(), text.end());
    // An outside client too meets a full mailbox (e.g. behind a burst just
    // sent): it waits for room (notify_when_space), bounded, as senders do.
    for (int attempt = 0;; ++attempt) {
      auto done = handle(id).call_and_wait<std::tuple<handler::Bytes>>(
          kHandleSend, std::tuple(bytes), {{"msg", text}}, std::chrono::seconds(60));
      if (done.ok()) return;
      const bool full = done.error().code == ErrorCode::kResourceExhausted;
      ASSERT_TRUE(full && attempt < 1000) << text << ": " << done.error().message;
      auto room = std::make_shared<std::promise<void>>();
      handle(id).notify_when_space([room] { room->set_value(); });
      ASSERT_EQ(room->get_future().wait_for(std::chrono::seconds(60)), std::future_status::ready);
    }
  }
  // The line `id` logged starting with `prefix` (empty when none came in time).
  std::string line(const std::string& id, const std::string& prefix) {
    auto found = log_.wait_line(id, prefix);
    EXPECT_TRUE(found.has_value())
        << "actor " << id << " logged no line starting with \"" << prefix << "\"";
    return found.value_or("");
  }

  // The actor's chain as the chain library sees it.
  std::vector<chain::Event> chain_of(const std::string& id) {
    auto events = handle(id).events();
    EXPECT_TRUE(events.ok()) << events.error().message;
    std::vector<chain::Event> out;
    if (!events.ok()) return out;
    for (auto& e : *events) {
      chain::Event event;
      event.event_type = e.event_type;
      event.data = e.data;
      std::copy_n(e.hash.begin(), std::min(e.hash.size(), event.hash.size()), event.hash.begin());
      out.push_back(std::move(event));
    }
    return out;
  }
  // Events of `id` of the given type, data decoded.
  std::vector<nlohmann::json> events_of_type(const std::string& id, const std::string& type) {
    std::vector<nlohmann::json> out;
    for (const chain::Event& event : chain_of(id)) {
      if (event.event_type != type) continue;
      auto data = chain::cbor_data_to_json(event.data);
      if (data.ok()) out.push_back(*data);
    }
    return out;
  }

  int manifests_ = 0;
  LogBook log_;
};

}  // namespace theater::runtime::testing
