// EventChain in memory: links, clock, subscriptions and their bounded queues.
#include "chain/chain.h"

#include <gtest/gtest.h>

#include <thread>

#include "chain/verify.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using namespace std::chrono_literals;
using testing::sample_data;
using testing::StepClock;

TEST(EventChain, AppendLinksEachEventToThePreviousOne) {
  StepClock clock;
  EventChain chain("actor-1", {.clock = clock.clock()});
  EXPECT_EQ(chain.size(), 0u);
  EXPECT_FALSE(chain.head().has_value());

  auto first = chain.append("wasm/call", sample_data(0), "init");
  auto second = chain.append("wasm/result", sample_data(1));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->seq, 0u);
  EXPECT_EQ(second->seq, 1u);

  const std::vector<Event> events = *chain.snapshot();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0].parent_hash.has_value());
  EXPECT_EQ(events[1].parent_hash, events[0].hash);
  EXPECT_EQ(events[0].hash, first->hash);
  EXPECT_EQ(chain.head(), second->hash);
  EXPECT_EQ(events[0].description, "init");
  EXPECT_EQ(events[1].description, std::nullopt);
  EXPECT_TRUE(verify(events).ok());
}

TEST(EventChain, TimestampsComeFromTheInjectedClock) {
  StepClock clock(42);
  EventChain chain("actor-1", {.clock = clock.clock()});
  ASSERT_TRUE(chain.append("a/b", {}).ok());
  ASSERT_TRUE(chain.append("a/b", {}).ok());
  const auto events = *chain.snapshot();
  EXPECT_EQ(events[0].timestamp_ms, 42u);
  EXPECT_EQ(events[1].timestamp_ms, 43u);
  // Same clock, same inputs: same chain (what replay relies on).
  StepClock again(42);
  EventChain twin("actor-2", {.clock = again.clock()});
  ASSERT_TRUE(twin.append("a/b", {}).ok());
  EXPECT_EQ(twin.head(), events[0].hash);
}

TEST(EventChain, RejectsEventsThatCouldNotBeExported) {
  EventChain chain("actor-1");
  auto empty_type = chain.append("", {});
  ASSERT_FALSE(empty_type.ok());
  EXPECT_NE(empty_type.error().message.find("event type is empty"), std::string::npos);
  auto bad_description = chain.append("a/b", {}, std::string("\xff\xfe"));
  ASSERT_FALSE(bad_description.ok());
  EXPECT_NE(bad_description.error().message.find("not valid UTF-8"), std::string::npos);
  EXPECT_EQ(chain.size(), 0u);  // refused appends leave no trace
}

TEST(EventChain, ConcurrentAppendsFormOneValidChain) {
  EventChain chain("actor-1");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&chain, t] {
      for (int i = 0; i < 500; ++i) ASSERT_TRUE(chain.append("test/append", sample_data(t)).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  const auto events = *chain.snapshot();
  EXPECT_EQ(events.size(), 2000u);
  EXPECT_TRUE(verify(events).ok());
}

TEST(Subscription, SeesEveryLaterAppendInOrder) {
  EventChain chain("actor-1");
  ASSERT_TRUE(chain.append("before/subscribe", {}).ok());
  auto subscription = chain.subscribe();
  EXPECT_EQ(subscription->next_seq(), 1u);

  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
  });
  std::vector<Event> received;
  while (received.size() < 100) {
    auto event = subscription->next(10s);
    ASSERT_TRUE(event.ok()) << event.error().message;
    received.push_back(**event);
  }
  producer.join();

  const auto events = *chain.snapshot();
  ASSERT_EQ(events.size(), 101u);
  for (size_t i = 0; i < received.size(); ++i) EXPECT_EQ(received[i], events[i + 1]);
  EXPECT_EQ(subscription->next_seq(), 101u);
  EXPECT_EQ(subscription->next(0ms).error().code, ErrorCode::kDeadlineExceeded);
}

TEST(Subscription, SlowSubscriberLagsWithoutBlockingAppends) {
  EventChain chain("actor-1", {.subscriber_queue_capacity = 4});
  auto slow = chain.subscribe();
  auto fast = chain.subscribe();
  // Nobody reads `slow` while 10 events go in: appends must all succeed.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
    ASSERT_TRUE(fast->next(0ms).ok());  // a subscriber that keeps up is unaffected
  }
  EXPECT_EQ(chain.size(), 10u);
  EXPECT_TRUE(slow->lagged());
  EXPECT_FALSE(fast->lagged());

  // The slow one gets what fitted, in order, then is told it lagged and from where.
  const auto events = *chain.snapshot();
  for (size_t i = 0; i < 4; ++i) {
    auto event = slow->next(0ms);
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(**event, events[i]);
  }
  auto lag = slow->next(1s);
  ASSERT_FALSE(lag.ok());
  EXPECT_EQ(lag.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(lag.error().message.find("from seq 4"), std::string::npos) << lag.error().message;

  // A new subscription starts clean.
  auto again = chain.subscribe();
  ASSERT_TRUE(chain.append("test/event", {}).ok());
  EXPECT_TRUE(again->next(0ms).ok());
}

TEST(Subscription, DestroyingItUnsubscribes) {
  EventChain chain("actor-1", {.subscriber_queue_capacity = 1});
  { auto gone = chain.subscribe(); }
  // With the subscriber gone, nothing queues for it; appends carry on.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(chain.append("test/event", {}).ok());
  EXPECT_EQ(chain.size(), 5u);
}

TEST(Subscription, OutlivingTheChainReportsUnavailable) {
  auto chain = std::make_unique<EventChain>("actor-1");
  auto subscription = chain->subscribe();
  ASSERT_TRUE(chain->append("test/event", {}).ok());
  chain.reset();
  EXPECT_TRUE(subscription->next(0ms).ok());  // delivered before the chain went away
  auto after = subscription->next(1s);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace theater::chain
