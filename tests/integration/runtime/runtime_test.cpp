// The actor runtime end to end: real V8, a real SDK-built C actor, a real
// SQLite event log.
#include <future>
#include <thread>

#include "../../support/tamper.h"
#include "../../support/wait.h"
#include "chain/event_log.h"
#include "chain/verify.h"
#include "runtime_fixture.h"

namespace theater::runtime::testing {
namespace {

using handler::ActorStatus;
using handler::Bytes;
using std::chrono::seconds;
using ::theater::testing::wait_until;

constexpr const char* kHandleSend = "theater:simple/message-server-client#handle-send";

Bytes bytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}
std::string text(const handler::State& s) {
  return s ? std::string(s->begin(), s->end()) : "<none>";
}

Status send(const handler::ActorHandle& actor, const std::string& message) {
  auto r = handler::ActorHandle(actor).call_and_wait<std::tuple<Bytes>>(
      kHandleSend, std::tuple<Bytes>(bytes(message)), {{"message", message}}, seconds(10));
  if (!r.ok()) return r.error();
  return {};
}

class ActorRuntimeTest : public RuntimeTest {
 protected:
  handler::ActorHandle start(std::optional<std::string> init_state = std::nullopt) {
    auto id = spawn(counter_manifest(), std::move(init_state));
    EXPECT_TRUE(id.ok()) << id.error().message;
    id_ = id.ok() ? *id : "";
    auto handle = runtime_->handle(id_);
    EXPECT_TRUE(handle.ok());
    return handle.ok() ? *handle : handler::ActorHandle();
  }
  std::vector<chain::Event> persisted_events() {
    EXPECT_TRUE(runtime_->flush_events().ok());
    auto reader = chain::EventLogReader::open(home_ / "theater.db");
    EXPECT_TRUE(reader.ok());
    auto events = (*reader)->read_events(id_);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<chain::Event>{};
  }
  // `body` is refused with `expected` when parsed against the runtime's
  // schemas, and again at spawn when it was parsed without any; nothing of
  // it is left behind.
  void expect_refused_both_ways(const std::string& body, const std::string& expected) {
    auto parsed = manifest(body);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << parsed.error().message;
    auto unchecked = config::parse_manifest_file(home_ / "actor.toml");
    ASSERT_TRUE(unchecked.ok()) << unchecked.error().message;
    auto spawned = runtime_->spawn(*unchecked);
    ASSERT_FALSE(spawned.ok());
    EXPECT_NE(spawned.error().message.find(expected), std::string::npos) << spawned.error().message;
    EXPECT_TRUE(runtime_->list().empty());
  }
  std::string id_;
};

TEST_F(ActorRuntimeTest, InitRunsAndTheStateRoundTrips) {
  handler::ActorHandle actor = start("5");
  EXPECT_EQ(*actor.status(), ActorStatus::kRunning);
  EXPECT_EQ(text(*actor.state()), "5");
  EXPECT_TRUE(observer_.wait_log("log: hello from " + id_));
  ASSERT_TRUE(send(actor, "inc").ok());
  ASSERT_TRUE(send(actor, "inc").ok());
  EXPECT_EQ(text(*actor.state()), "7");
}

TEST_F(ActorRuntimeTest, AFailingOrTrappingCallLeavesStateRuntimeAndOtherActorsIntact) {
  handler::ActorHandle actor = start();
  auto other_id = spawn(counter_manifest());
  ASSERT_TRUE(other_id.ok());
  handler::ActorHandle other = *runtime_->handle(*other_id);
  ASSERT_TRUE(send(actor, "inc").ok());

  Status failed = send(actor, "fail");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("failing on purpose"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(text(*actor.state()), "1");  // the failed call's state change was discarded

  Status trapped = send(actor, "trap");
  ASSERT_FALSE(trapped.ok());
  EXPECT_EQ(trapped.error().code, ErrorCode::kTrap) << trapped.error().message;

  ASSERT_TRUE(send(other, "inc").ok());
  EXPECT_EQ(text(*other.state()), "1");
  ASSERT_TRUE(send(actor, "inc").ok());
  EXPECT_EQ(text(*actor.state()), "2");
  EXPECT_EQ(observer_.errors().size(), 2u);  // the supervisor (observer) heard of both
}

TEST_F(ActorRuntimeTest, ARunawayCallStopsAtTheManifestDeadline) {
  auto id = spawn(counter_manifest("[limits]\ncall_timeout_ms = 200\n"));
  ASSERT_TRUE(id.ok()) << id.error().message;
  handler::ActorHandle actor = *runtime_->handle(*id);
  Status spun = send(actor, "spin");
  ASSERT_FALSE(spun.ok());
  EXPECT_EQ(spun.error().code, ErrorCode::kDeadlineExceeded) << spun.error().message;
  EXPECT_TRUE(send(actor, "inc").ok());
}

TEST_F(ActorRuntimeTest, RuntimeShutdownStopsTheActorWithItsData) {
  handler::ActorHandle actor = start();
  ASSERT_TRUE(send(actor, "shutdown:all done").ok());
  auto exit = observer_.wait_exit(id_);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->kind, ActorExit::Kind::kShutdown);
  EXPECT_EQ(text(exit->data), "all done");
  EXPECT_EQ(*runtime_->status(id_), ActorStatus::kStopped);
  EXPECT_FALSE(send(actor, "inc").ok());  // the handle fails cleanly now
}

TEST_F(ActorRuntimeTest, ProcExitStopsTheActorWithItsCode) {
  handler::ActorHandle actor = start();
  EXPECT_FALSE(send(actor, "exit:4").ok());
  auto exit = observer_.wait_exit(id_);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->kind, ActorExit::Kind::kExited);
  EXPECT_EQ(exit->exit_code, 4);
}

TEST_F(ActorRuntimeTest, PausedActorsHoldCallsUntilResumed) {
  handler::ActorHandle actor = start();
  ASSERT_TRUE(actor.pause().ok());
  EXPECT_EQ(*actor.status(), ActorStatus::kPaused);
  std::promise<Status> done;
  ASSERT_TRUE(
      (actor.call<std::tuple<Bytes>>(
           kHandleSend, std::tuple<Bytes>(bytes("inc")), {},
           [&](Result<std::tuple<>> r) { done.set_value(r.ok() ? Status() : Status(r.error())); }))
          .ok());
  auto future = done.get_future();
  EXPECT_EQ(future.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  EXPECT_EQ(text(*actor.state()), "0");
  ASSERT_TRUE(actor.resume().ok());
  ASSERT_EQ(future.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_TRUE(future.get().ok());
  EXPECT_EQ(text(*actor.state()), "1");
  EXPECT_FALSE(actor.resume().ok());  // not paused any more
}

// Calls a command without waiting; the future tells its outcome.
std::future<Status> call_async(const handler::ActorHandle& actor, const std::string& message,
                               Status& submitted) {
  auto promise = std::make_shared<std::promise<Status>>();
  submitted = handler::ActorHandle(actor).call<std::tuple<Bytes>>(
      kHandleSend, std::tuple<Bytes>(bytes(message)), {}, [promise](Result<std::tuple<>> r) {
        promise->set_value(r.ok() ? Status() : Status(r.error()));
      });
  return promise->get_future();
}

TEST_F(ActorRuntimeTest, CallsHeldByAPauseRunInTheOrderTheyWereSubmitted) {
  auto id = spawn(counter_manifest("[limits]\ncall_timeout_ms = 300\n"));
  ASSERT_TRUE(id.ok()) << id.error().message;
  handler::ActorHandle actor = *runtime_->handle(*id);
  Status submitted;
  const uint64_t events_before = actor.metrics()->events;
  auto busy = call_async(actor, "spin", submitted);  // holds the actor until its deadline
  ASSERT_TRUE(submitted.ok());
  // Pause only once the spin runs (its wasm/call event is recorded), or it would wait, too.
  ASSERT_TRUE(wait_until([&] { return actor.metrics()->events > events_before; }));
  auto first = call_async(actor, "digit:1", submitted);  // waits in the mailbox
  ASSERT_TRUE(submitted.ok());
  ASSERT_TRUE(actor.pause().ok());
  auto second = call_async(actor, "digit:2", submitted);  // arrives during the pause
  ASSERT_TRUE(submitted.ok());
  // Once the spin ends, the first call leaves the mailbox and waits for resume, too.
  ASSERT_EQ(busy.wait_for(seconds(10)), std::future_status::ready);
  ASSERT_TRUE(wait_until([&] { return actor.metrics()->pending_calls == 2; }));
  ASSERT_TRUE(actor.resume().ok());
  auto third = call_async(actor, "digit:3", submitted);  // after the resume: last
  ASSERT_TRUE(submitted.ok());
  for (auto* call : {&first, &second, &third}) {
    ASSERT_EQ(call->wait_for(seconds(10)), std::future_status::ready);
    EXPECT_TRUE(call->get().ok());
  }
  EXPECT_EQ(text(*actor.state()), "123");
}

TEST_F(ActorRuntimeTest, APauseAndResumeRacingTheActorNeverReordersCalls) {
  // Calls in flight while the actor is paused and resumed at once: some run
  // before the pause, some are held, some are still queued at the resume.
  // Whatever the interleaving, they run in the order they were submitted.
  for (int round = 0; round < 40; ++round) {
    auto id = spawn(counter_manifest());
    ASSERT_TRUE(id.ok()) << id.error().message;
    handler::ActorHandle actor = *runtime_->handle(*id);
    std::vector<std::future<Status>> calls;
    Status submitted;
    const int before_pause = 1 + round % 5;                   // queued, maybe running
    const int during_pause = round / 5 % (6 - before_pause);  // held by the pause
    for (int n = 1; n <= 5; ++n) {
      calls.push_back(call_async(actor, "digit:" + std::to_string(n), submitted));
      ASSERT_TRUE(submitted.ok());
      if (n == before_pause) {
        ASSERT_TRUE(actor.pause().ok());
      }
      if (n == before_pause + during_pause) {
        ASSERT_TRUE(actor.resume().ok());
      }
    }
    for (auto& call : calls) {
      ASSERT_EQ(call.wait_for(seconds(10)), std::future_status::ready);
      EXPECT_TRUE(call.get().ok());
    }
    ASSERT_EQ(text(*actor.state()), "12345") << "round " << round;
    ASSERT_TRUE(runtime_->stop(*id).ok());
  }
}

TEST_F(ActorRuntimeTest, ACallRefusedByAFullMailboxIsLeftIntactForARetry) {
  auto id = spawn(counter_manifest());
  ASSERT_TRUE(id.ok()) << id.error().message;
  handler::ActorHandle actor = *runtime_->handle(*id);
  // Paused, the actor takes nothing out of its mailbox: fill it until it refuses.
  ASSERT_TRUE(actor.pause().ok());
  Status submitted;
  auto retried = std::make_shared<std::promise<Status>>();
  handler::CallbackCall call = handler::make_callback_call<std::tuple<Bytes>>(
      kHandleSend, std::tuple<Bytes>(bytes("inc")), {},
      [retried](Result<std::tuple<>> r) { retried->set_value(r.ok() ? Status() : r.error()); }, {});
  Status refused;
  std::vector<std::future<Status>> fillers;
  for (int attempts = 0; attempts < 5000; ++attempts) {
    auto filler = call_async(actor, "inc", submitted);
    if (!submitted.ok()) {
      refused = submitted;
      break;
    }
    fillers.push_back(std::move(filler));
  }
  ASSERT_FALSE(refused.ok()) << "the mailbox never filled";
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted) << refused.error().message;
  Status first_try = actor.submit(call);
  ASSERT_FALSE(first_try.ok());
  EXPECT_EQ(first_try.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(call.export_name, kHandleSend);
  ASSERT_NE(call.body, nullptr);
  // The actor says when there is room; then the same call goes through and runs last.
  auto room = std::make_shared<std::promise<void>>();
  actor.notify_when_space([room] { room->set_value(); });
  ASSERT_TRUE(actor.resume().ok());
  ASSERT_EQ(room->get_future().wait_for(seconds(20)), std::future_status::ready);
  ASSERT_TRUE(actor.submit(call).ok());
  auto future = retried->get_future();
  ASSERT_EQ(future.wait_for(seconds(20)), std::future_status::ready);
  EXPECT_TRUE(future.get().ok());
  for (auto& filler : fillers) {
    ASSERT_EQ(filler.wait_for(seconds(20)), std::future_status::ready);
    EXPECT_TRUE(filler.get().ok()) << "a paused actor's queued calls do not expire";
  }
  EXPECT_EQ(text(*actor.state()), std::to_string(fillers.size() + 1));
}

TEST_F(ActorRuntimeTest, ACallsTimeoutMeasuresItsRunNotItsWaitInTheMailbox) {
  auto id = spawn(counter_manifest("[limits]\ncall_timeout_ms = 300\n"));
  ASSERT_TRUE(id.ok()) << id.error().message;
  handler::ActorHandle actor = *runtime_->handle(*id);
  ASSERT_TRUE(actor.pause().ok());
  Status submitted;
  auto waited = call_async(actor, "digit:7", submitted);
  ASSERT_TRUE(submitted.ok());
  // Longer than the call timeout, paused: the call must still run, not expire.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  ASSERT_TRUE(actor.resume().ok());
  ASSERT_EQ(waited.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_TRUE(waited.get().ok());
  EXPECT_EQ(text(*actor.state()), "7");
}

TEST_F(ActorRuntimeTest, LogsAndWasiOutputReachTheObserverAndTheChain) {
  handler::ActorHandle actor = start();
  ASSERT_TRUE(send(actor, "log:via runtime.log").ok());
  ASSERT_TRUE(send(actor, "printf:via printf").ok());
  EXPECT_TRUE(observer_.wait_log("log: via runtime.log"));
  EXPECT_TRUE(observer_.wait_log("stdout: via printf"));
  std::vector<std::string> types;
  for (const chain::Event& e : persisted_events()) types.push_back(e.event_type);
  for (const char* expected :
       {"theater-runtime/actor-load", "wasm/call", "wasm/result", "theater:simple/runtime/log",
        "wasi/output", "theater-runtime/actor-ready"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), expected), types.end()) << expected;
  }
}

TEST_F(ActorRuntimeTest, GetChainSeesTheActorsOwnEvents) {
  handler::ActorHandle actor = start();
  const size_t before = (*actor.events()).size();
  ASSERT_TRUE(send(actor, "chain").ok());
  // The guest sees every event up to its own wasm/call, which is one more.
  EXPECT_TRUE(observer_.wait_log("log: chain has " + std::to_string(before + 1) + " events"))
      << "logs: " << ::testing::PrintToString(observer_.logs());
}

TEST_F(ActorRuntimeTest, ThePersistedChainVerifiesAndATamperedByteIsNamed) {
  handler::ActorHandle actor = start();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(send(actor, "inc").ok());
  std::vector<chain::Event> events = persisted_events();
  ASSERT_GE(events.size(), 10u);
  EXPECT_TRUE(chain::verify(events).ok());
  runtime_.reset();  // stop writing before tampering

  test_support::flip_stored_data_byte(home_ / "theater.db", id_, 4);

  auto reader = chain::EventLogReader::open(home_ / "theater.db");
  auto tampered = (*reader)->read_events(id_);
  ASSERT_TRUE(tampered.ok());
  auto fault = chain::find_first_fault(*tampered);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 4u);
  EXPECT_NE(fault->message().find("event 4"), std::string::npos) << fault->message();
}

TEST_F(ActorRuntimeTest, AFailingInitLeavesNothingBehind) {
  auto failed = spawn(counter_manifest(), "\"fail-init\"");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("init refused: asked to fail"), std::string::npos)
      << failed.error().message;
  auto trapped = spawn(counter_manifest(), "\"trap-init\"");
  ASSERT_FALSE(trapped.ok());
  EXPECT_NE(trapped.error().message.find("unreachable"), std::string::npos)
      << trapped.error().message;
  EXPECT_TRUE(runtime_->list().empty());
  // Instances are freed by their isolate shortly after they close.
  for (int i = 0; i < 500 && runtime_->engine().stats().live_instances != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(runtime_->engine().stats().live_instances, 0u);
}

TEST_F(ActorRuntimeTest, TheIdIsKnownBeforeInitRunsSoAFailedInitsChainCanBeFound) {
  auto manifest = this->manifest(counter_manifest());
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  TheaterRuntime::SpawnOptions options;
  options.init_state_json = "\"fail-init\"";
  std::string announced;
  options.before_init = [&](const std::string& id) { announced = id; };
  auto failed = runtime_->spawn(*manifest, options);
  ASSERT_FALSE(failed.ok());
  ASSERT_FALSE(announced.empty());
  id_ = announced;
  std::vector<chain::Event> events = persisted_events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event_type, "theater-runtime/stopped");
  EXPECT_TRUE(chain::verify(events).ok());
}

TEST_F(ActorRuntimeTest, ManifestProblemsAreClearErrors) {
  auto missing = manifest("name = \"x\"\ncomponent = \"nowhere.wasm\"\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nowhere.wasm"), std::string::npos)
      << missing.error().message;
  auto bad_toml = manifest("name = \"x\n");
  ASSERT_FALSE(bad_toml.ok());
  EXPECT_NE(bad_toml.error().message.find(":1"), std::string::npos) << bad_toml.error().message;
  auto unknown = manifest(counter_manifest("[[handler]]\ntype = \"proccess\"\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("proccess"), std::string::npos) << unknown.error().message;
}

// The manifest's handler types and keys are the registered handlers' own:
// refused whether the manifest was parsed against the runtime's schemas or
// without any (spawn checks it again).
TEST_F(ActorRuntimeTest, AHandlerTypeNoRegisteredHandlerProvidesIsRefusedByName) {
  expect_refused_both_ways(
      counter_manifest("[[handler]]\ntype = \"teleport\"\n"),
      "actor.toml:5: [[handler]] #1: unknown handler type \"teleport\" (known: runtime, process");
}

TEST_F(ActorRuntimeTest, AnUnknownKeyOfARegisteredHandlerIsRefusedWithItsLine) {
  expect_refused_both_ways(
      counter_manifest(
          "[[handler]]\ntype = \"process\"\nallowed_programs = []\nmax_proceses = 3\n"),
      "actor.toml:7: [[handler]] #1 (process): unknown key \"max_proceses\" (known keys: type, "
      "allowed_programs");
}

TEST_F(ActorRuntimeTest, ATypeReservedForAHandlerStillToComeTakesNoKeys) {
  // Reserved here, not among the built-in types: those get their handlers
  // one by one (store was the last reserved type this test used).
  runtime_.reset();
  RuntimeOptions options;
  options.home = home_;
  options.engine.isolates = 1;
  options.register_handlers = [](handler::HandlerRegistry& registry) {
    registry.reserve("planned");
    return ok_status();
  };
  auto runtime = TheaterRuntime::create(options, &observer_);
  ASSERT_TRUE(runtime.ok()) << runtime.error().message;
  runtime_ = std::move(*runtime);
  EXPECT_TRUE(spawn(counter_manifest("[[handler]]\ntype = \"planned\"\n")).ok());
  auto with_key = manifest(counter_manifest("[[handler]]\ntype = \"planned\"\nmax_bytes = 5\n"));
  ASSERT_FALSE(with_key.ok());
  EXPECT_NE(with_key.error().message.find("(planned): unknown key \"max_bytes\""),
            std::string::npos)
      << with_key.error().message;
}

TEST_F(ActorRuntimeTest, StoppingIsOrderedAndFinal) {
  handler::ActorHandle actor = start();
  ASSERT_TRUE(runtime_->stop(id_).ok());
  EXPECT_EQ(*runtime_->status(id_), ActorStatus::kStopped);
  std::vector<std::string> types;
  for (const chain::Event& e : persisted_events()) types.push_back(e.event_type);
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.back(), "theater-runtime/stopped");
  EXPECT_FALSE(runtime_->stop(id_).ok());
}

}  // namespace
}  // namespace theater::runtime::testing
