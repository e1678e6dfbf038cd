// The execution model: deadlines, blocking sections, many instances on few
// isolates, calls between instances, and teardown.
#include <future>
#include <thread>

#include "engine_fixture.h"
#include "test_imports.h"

namespace theater::wasm::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ConcurrencyTest : public EngineTest {};

TEST_F(ConcurrencyTest, ARunawayLoopStopsAtItsDeadlineAndOnlyIt) {
  // Several instances per isolate; one spins forever, the others work.
  std::vector<std::shared_ptr<Instance>> instances;
  for (int i = 0; i < 6; ++i) instances.push_back(instantiate("engine_basics", test_imports()));
  std::shared_ptr<Instance> runaway = instances[0];

  auto spin =
      std::async(std::launch::async, [&] { return runaway->call("spin", {}, milliseconds(300)); });
  std::vector<std::future<Result<std::vector<Value>>>> others;
  for (int round = 0; round < 20; ++round) {
    for (size_t i = 1; i < instances.size(); ++i) {
      others.push_back(std::async(std::launch::async, [&, i, round] {
        return instances[i]->call("block_then_mix", {Value::i32(5), Value::i32(round)},
                                  seconds(20));
      }));
    }
  }
  auto stopped = spin.get();
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, ErrorCode::kDeadlineExceeded) << stopped.error().message;
  int round = 0;
  for (auto& f : others) {
    auto r = f.get();
    ASSERT_TRUE(r.ok()) << r.error().message;
    (void)round;
  }
  // The runaway instance itself is usable again.
  auto again = runaway->call("add", {Value::i32(2), Value::i32(3)}, seconds(10));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)[0], Value::i32(5));
}

TEST_F(ConcurrencyTest, TwoHundredInstancesWithBlockingImportsInParallel) {
  constexpr int kInstances = 200;
  std::vector<std::shared_ptr<Instance>> instances;
  for (int i = 0; i < kInstances; ++i) {
    auto instance = instantiate("engine_basics", test_imports());
    ASSERT_TRUE(instance);
    ASSERT_TRUE(instance->call("set_counter", {Value::i32(i)}, seconds(10)).ok());
    instances.push_back(instance);
  }
  int per_isolate[2] = {0, 0};
  for (auto& instance : instances) per_isolate[instance->isolate_index()]++;
  EXPECT_EQ(per_isolate[0], kInstances / 2);
  EXPECT_EQ(per_isolate[1], kInstances / 2);

  // Every instance blocks 50 ms in the host; results mix the instance's own
  // state and arguments, so crossed calls would give wrong answers.
  std::vector<std::future<Result<std::vector<Value>>>> results;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kInstances; ++i) {
      results.push_back(std::async(std::launch::async, [&, i, round] {
        return instances[i]->call("block_then_mix", {Value::i32(50), Value::i32(round * 1000 + i)},
                                  seconds(30));
      }));
    }
    for (int i = 0; i < kInstances; ++i) {
      auto r = results[round * kInstances + i].get();
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ((*r)[0], Value::i32(100 * 31 + round * 1000 + i + i)) << "instance " << i;
    }
  }
}

TEST_F(ConcurrencyTest, AnImportCanCallAnotherInstanceOnTheSameOrAnotherIsolate) {
  auto b_first = instantiate("engine_basics", test_imports());
  auto b_second = instantiate("engine_basics", test_imports());
  for (const auto& b : {b_first, b_second}) {
    GuestPeer peer{b};
    InstanceOptions options;
    options.user_data = &peer;
    auto a = instantiate("engine_basics", test_imports(), options);
    // ask_peer(x) = peer.add(x, 100) + 1
    auto r = a->call("ask_peer", {Value::i32(5)}, seconds(10));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)[0], Value::i32(106));
    a->close();
  }
  // Both placements were exercised: the two peers sit on different isolates.
  EXPECT_NE(b_first->isolate_index(), b_second->isolate_index());
}

TEST_F(ConcurrencyTest, AParkedCallStopsAtItsDeadline) {
  auto instance = instantiate("engine_basics", test_imports());
  auto r = instance->call("block_then_mix", {Value::i32(60000), Value::i32(1)}, milliseconds(200));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kDeadlineExceeded) << r.error().message;
  EXPECT_TRUE(instance->call("noop", {}, seconds(10)).ok());
}

TEST_F(ConcurrencyTest, InterruptStopsTheRunningTaskOnly) {
  auto instance = instantiate("engine_basics", test_imports());
  auto spin =
      std::async(std::launch::async, [&] { return instance->call("spin", {}, seconds(60)); });
  std::this_thread::sleep_for(milliseconds(50));
  instance->interrupt(make_error(ErrorCode::kCancelled, "terminated by the test"));
  auto r = spin.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_NE(r.error().message.find("terminated by the test"), std::string::npos);
  EXPECT_TRUE(instance->call("noop", {}, seconds(10)).ok());
}

TEST_F(ConcurrencyTest, AFullMailboxRefusesMoreTasks) {
  EngineConfig config = test_engine_config();
  config.max_pending_tasks_per_instance = 4;
  auto engine = create_v8_engine(config);
  ASSERT_TRUE(engine.ok());
  auto module = (*engine)->compile(read_guest("engine_basics"));
  auto instance = (*engine)->instantiate(*module, test_imports(), {});
  ASSERT_TRUE(instance.ok());
  // Occupy the instance, then fill its mailbox.
  auto busy = std::async(std::launch::async, [&] {
    return (*instance)->call("block_then_mix", {Value::i32(300), Value::i32(0)}, seconds(10));
  });
  std::this_thread::sleep_for(milliseconds(50));
  Status last;
  int accepted = 0;
  for (int i = 0; i < 10 && last.ok(); ++i) {
    last = (*instance)->post(Task{[](InstanceContext&) {}, nullptr, deadline_in(seconds(10)), {}});
    if (last.ok()) accepted++;
  }
  EXPECT_EQ(accepted, 4);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(last.error().message.find("mailbox is full"), std::string::npos);
  // A refused task comes back as it was, and goes through once there is room.
  auto ran = std::make_shared<std::promise<void>>();
  Task kept{[ran](InstanceContext&) { ran->set_value(); }, nullptr, deadline_in(seconds(10)),
            std::make_shared<int>(7)};
  Status refused = (*instance)->post(std::move(kept));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  ASSERT_TRUE(kept.run);
  ASSERT_NE(kept.keep_alive, nullptr);
  EXPECT_TRUE(busy.get().ok());
  Status posted;
  for (int i = 0; i < 200; ++i) {
    posted = (*instance)->post(std::move(kept));
    if (posted.ok()) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_EQ(ran->get_future().wait_for(seconds(10)), std::future_status::ready);
}

TEST_F(ConcurrencyTest, PastTheParkedCapABlockingSectionIsRefused) {
  EngineConfig config = test_engine_config();
  config.isolates = 1;
  config.max_parked_calls_per_isolate = 3;
  auto engine = create_v8_engine(config);
  ASSERT_TRUE(engine.ok());
  auto module = (*engine)->compile(read_guest("engine_basics"));
  std::vector<std::shared_ptr<Instance>> instances;
  for (int i = 0; i < 5; ++i)
    instances.push_back(*(*engine)->instantiate(*module, test_imports(), {}));
  std::vector<std::future<Result<std::vector<Value>>>> calls;
  for (auto& instance : instances) {
    calls.push_back(std::async(std::launch::async, [&] {
      return instance->call("block_then_mix", {Value::i32(500), Value::i32(0)}, seconds(10));
    }));
  }
  int ok = 0, refused = 0;
  for (auto& c : calls) {
    auto r = c.get();
    if (r.ok())
      ok++;
    else if (r.error().code == ErrorCode::kResourceExhausted)
      refused++;
  }
  EXPECT_EQ(ok + refused, 5);
  EXPECT_GE(refused, 1);
  EXPECT_GE(ok, 3);
}

TEST_F(ConcurrencyTest, TeardownWithCallsParkedIsClean) {
  auto engine = create_v8_engine(test_engine_config());
  ASSERT_TRUE(engine.ok());
  auto module = (*engine)->compile(read_guest("engine_basics"));
  std::vector<std::shared_ptr<Instance>> instances;
  for (int i = 0; i < 20; ++i)
    instances.push_back(*(*engine)->instantiate(*module, test_imports(), {}));
  const int parked_before = g_block_calls.load();
  std::vector<std::future<Result<std::vector<Value>>>> calls;
  for (auto& instance : instances) {
    calls.push_back(std::async(std::launch::async, [&] {
      return instance->call("block_then_mix", {Value::i32(60000), Value::i32(0)}, seconds(120));
    }));
  }
  while (g_block_calls.load() - parked_before < 20) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_EQ((*engine)->stats().parked_calls, 20u);
  engine->reset();  // must end every parked call, not hang or crash
  for (auto& c : calls) {
    auto r = c.get();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
  }
  // Handles outliving their engine fail cleanly.
  auto late = instances[0]->call("noop", {}, seconds(1));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace theater::wasm::testing
