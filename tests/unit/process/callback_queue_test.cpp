// The process handler's CallbackQueue against a fake actor core: order of
// callbacks, one call in flight at a time, a full mailbox waited out without
// polling, holds and close. Deterministic: the test drives every step on its
// own thread (the queue dispatches inline off the event loop), no V8, no
// processes, no sleeps.
#include "handlers/process/callback_queue.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "chain/event.h"
#include "handlers/process/os/output_budget.h"

namespace theater::handlers {
namespace {

using handler::ActorStatus;
using handler::CallbackCall;
using process::StreamId;

// An actor that only queues: a bounded mailbox the test empties by hand.
class FakeActor final : public handler::ActorCore {
 public:
  explicit FakeActor(std::size_t capacity) : capacity_(capacity) {}

  const std::string& id() const override { return id_; }
  Status submit(CallbackCall&& call) override {
    ++submits;
    if (stopped) return make_error(ErrorCode::kUnavailable, "the actor is stopping");
    if (mailbox.size() >= capacity_) {
      return make_error(ErrorCode::kResourceExhausted, "the actor's mailbox is full");
    }
    mailbox.push_back(std::move(call));
    return {};
  }
  void notify_when_space(std::function<void()> wake) override {
    waiters.push_back(std::move(wake));
  }
  ActorStatus status() const override { return ActorStatus::kRunning; }
  handler::State state() const override { return std::nullopt; }
  Result<std::vector<handler::ChainEvent>> events() const override {
    return std::vector<handler::ChainEvent>{};
  }
  handler::ActorMetrics metrics() const override { return {}; }
  Status pause() override { return {}; }
  Status resume() override { return {}; }
  Status shutdown(std::optional<handler::Bytes>) override { return {}; }
  Status terminate() override { return {}; }
  void log(std::string_view) override {}
  void record(std::string event_type, std::optional<std::string>, const nlohmann::json&) override {
    recorded.push_back(std::move(event_type));
  }
  Result<handler::Bytes> record_cbor(std::string event_type, std::optional<std::string>,
                                     std::vector<uint8_t>) override {
    recorded.push_back(std::move(event_type));
    return handler::Bytes(32, 0);
  }
  bool exports(std::string_view) const override { return true; }

  // Runs the oldest queued call: its `before`, then its outcome.
  std::string run_next() {
    CallbackCall call = std::move(mailbox.front());
    mailbox.pop_front();
    if (call.before) call.before();
    std::string what = describe(call);
    ran.push_back(what);
    call.done(Status());
    return what;
  }
  // Frees the mailbox and wakes whoever waits for room.
  void wake_waiters() {
    std::vector<std::function<void()>> woken;
    woken.swap(waiters);
    for (auto& wake : woken) wake();
  }

  // "stdout:<pid>:<text>", "stderr:...", or "exit:<pid>:<code>", from the
  // call's recorded wasm/call data.
  static std::string describe(const CallbackCall& call) {
    auto data = chain::cbor_data_to_json(call.call_data);
    if (!data.ok()) return "undecodable";
    const nlohmann::json& params = (*data)["params"];
    const std::string name = call.export_name.substr(call.export_name.find('#') + 1);
    const std::string pid = std::to_string(params["pid"].get<uint64_t>());
    if (name == "handle-exit") return "exit:" + pid + ":" + params["exit_code"].dump();
    const auto bytes = params["data"].get_binary();
    return name.substr(7) + ":" + pid + ":" + std::string(bytes.begin(), bytes.end());
  }

  std::deque<CallbackCall> mailbox;
  std::vector<std::function<void()>> waiters;
  std::vector<std::string> ran;
  std::vector<std::string> recorded;
  int submits = 0;
  bool stopped = false;

 private:
  std::string id_ = "fake-actor";
  std::size_t capacity_;
};

class CallbackQueueTest : public ::testing::Test {
 protected:
  void SetUp() override { make(/*capacity=*/16); }
  void make(std::size_t capacity) {
    actor = std::make_shared<FakeActor>(capacity);
    queue = std::make_shared<CallbackQueue>(handler::ActorHandle(actor), loop, worker);
    queue->set_exports({.handle_stdout = true, .handle_stderr = true, .handle_exit = true});
  }
  // A piece whose receipt draws on `budget` until the actor's call returned.
  void output(process::ProcessId id, StreamId stream, const std::string& text) {
    budget->consume(text.size());
    queue->on_output(id, stream, std::vector<uint8_t>(text.begin(), text.end()),
                     process::DeliveryReceipt(budget, text.size()));
  }

  process::EventLoop loop;
  BlockingWorker worker;
  std::shared_ptr<process::OutputBudget> budget = std::make_shared<process::OutputBudget>(1 << 20);
  std::shared_ptr<FakeActor> actor;
  std::shared_ptr<CallbackQueue> queue;
};

TEST_F(CallbackQueueTest, CallbacksReachTheActorOneAtATimeInTheOrderReported) {
  output(1, StreamId::kStdout, "one");
  output(1, StreamId::kStderr, "oops");
  output(2, StreamId::kStdout, "other");
  queue->on_exit(1, process::ProcessExit{.exit_code = 3});
  ASSERT_EQ(actor->mailbox.size(), 1u) << "the next call waits until the previous one returned";
  while (!actor->mailbox.empty()) actor->run_next();
  EXPECT_EQ(actor->ran, (std::vector<std::string>{"stdout:1:one", "stderr:1:oops", "stdout:2:other",
                                                  "exit:1:3"}));
  EXPECT_EQ(actor->recorded, (std::vector<std::string>{"theater:simple/process/exit"}))
      << "the exit event is recorded by its handle-exit call, right before it";
}

TEST_F(CallbackQueueTest, APieceHoldsItsBytesUntilTheActorsCallReturned) {
  output(1, StreamId::kStdout, "12345");
  EXPECT_EQ(budget->pending(), 5u);
  actor->run_next();
  EXPECT_EQ(budget->pending(), 0u);
}

TEST_F(CallbackQueueTest, AFullMailboxIsWaitedOutWithoutPollingAndTheCallComesBackIntact) {
  make(/*capacity=*/0);  // every submit is refused as full until the test makes room
  output(1, StreamId::kStdout, "kept");
  EXPECT_EQ(actor->submits, 1);
  ASSERT_EQ(actor->waiters.size(), 1u) << "the queue asks to be woken instead of retrying";
  EXPECT_EQ(budget->pending(), 4u) << "the piece is kept, its bytes held back";
  output(1, StreamId::kStdout, "later");
  EXPECT_EQ(actor->submits, 1) << "nothing is submitted while one call waits for room";
}

TEST_F(CallbackQueueTest, ARefusedCallIsResubmittedWhenTheActorSaysThereIsRoom) {
  make(/*capacity=*/1);
  // Another producer fills the actor's mailbox first.
  CallbackCall other = handler::make_recorded_call<std::tuple<uint64_t, std::vector<uint8_t>>>(
      kHandleStdout, std::tuple<uint64_t, std::vector<uint8_t>>(7, {}),
      chain::to_cbor_data({{"export", kHandleStdout},
                           {"params", {{"data", nlohmann::json::binary({})}, {"pid", 7}}}}),
      [](Result<std::tuple<>>) {}, {});
  ASSERT_TRUE(actor->submit(std::move(other)).ok());
  output(1, StreamId::kStdout, "mine");
  ASSERT_EQ(actor->waiters.size(), 1u);
  EXPECT_EQ(actor->mailbox.size(), 1u);
  actor->run_next();      // the other producer's call ran: room
  actor->wake_waiters();  // the actor tells its waiters
  ASSERT_EQ(actor->mailbox.size(), 1u) << "the kept call went in";
  EXPECT_EQ(actor->run_next(), "stdout:1:mine") << "intact: same piece, same pid";
  EXPECT_EQ(budget->pending(), 0u);
}

TEST_F(CallbackQueueTest, NothingIsDispatchedWhileAHoldLives) {
  {
    CallbackQueue::Hold hold = queue->hold();
    output(1, StreamId::kStdout, "x");
    EXPECT_TRUE(actor->mailbox.empty()) << "a host call's own event goes first";
  }
  EXPECT_EQ(actor->mailbox.size(), 1u);
}

TEST_F(CallbackQueueTest, CloseDropsWhatIsQueuedAndReleasesItsBytes) {
  output(1, StreamId::kStdout, "in-flight");
  output(1, StreamId::kStdout, "queued");
  queue->close();
  EXPECT_EQ(budget->pending(), 0u) << "receipts go with the dropped items";
  actor->run_next();  // the call already in the actor's mailbox returns
  output(1, StreamId::kStdout, "after");
  EXPECT_TRUE(actor->mailbox.empty());
}

TEST_F(CallbackQueueTest, AnActorThatStoppedTakingCallsLosesTheItemNotTheQueue) {
  actor->stopped = true;
  output(1, StreamId::kStdout, "dropped");
  EXPECT_TRUE(actor->waiters.empty()) << "a stopping actor is not waited for";
  EXPECT_EQ(budget->pending(), 0u);
  actor->stopped = false;
  output(1, StreamId::kStdout, "next");
  EXPECT_EQ(actor->mailbox.size(), 1u) << "the queue goes on with the next item";
}

}  // namespace
}  // namespace theater::handlers
