// Delivery of messages: backpressure at a full mailbox, refusals, order
// under load, and the cross-chain links each delivery records.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "chain/links.h"
#include "messaging_fixture.h"

namespace theater::runtime::testing {
namespace {

using ::testing::HasSubstr;

// Waits (bounded) until `id` has `calls` calls queued.
bool wait_pending(const handler::ActorHandle& actor, uint64_t calls) {
  for (int i = 0; i < 2000; ++i) {
    auto metrics = actor.metrics();
    if (metrics.ok() && metrics->pending_calls >= calls) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST_F(MessagingTest, ASendToAFullMailboxWaitsAndSucceedsOnceItDrains) {
  const std::string a = messenger("send_timeout_ms = 60000\n");
  const std::string b = messenger("mailbox_size = 2\n");
  ASSERT_TRUE(handle(b).pause().ok());
  command(a, "!burst " + b + " 3 t");
  // Two are queued; the third cannot be until b handles one, so a waits.
  ASSERT_TRUE(wait_pending(handle(b), 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(log_.has_line(a, "burst"));
  ASSERT_TRUE(handle(b).resume().ok());
  EXPECT_EQ(line(a, "burst"), "burst: done 3");
  run(b, "!report");
  EXPECT_EQ(line(b, "order"), "order: kept t=3");
}

TEST_F(MessagingTest, ASendToAFullMailboxFailsAfterTheSendTimeoutNamingIt) {
  const std::string a = messenger("send_timeout_ms = 200\n");
  const std::string b = messenger("mailbox_size = 2\n");
  ASSERT_TRUE(handle(b).pause().ok());
  run(a, "!burst " + b + " 3 t");
  const std::string failed = line(a, "burst");
  EXPECT_THAT(failed, HasSubstr("burst: err at 2: the mailbox of actor " + b + " is full"));
  EXPECT_THAT(failed, HasSubstr("send_timeout_ms (200 ms)"));
  ASSERT_TRUE(handle(b).resume().ok());
  run(b, "!report");
  EXPECT_EQ(line(b, "order"), "order: kept t=2");  // the two accepted ones, nothing lost
}

TEST_F(MessagingTest, ASendToAStoppedActorFails) {
  const std::string a = messenger(), b = messenger();
  ASSERT_TRUE(runtime_->stop(b).ok());
  run(a, "!send " + b + " hello");
  EXPECT_THAT(line(a, "send: err"), HasSubstr("no actor " + b + " takes messages"));
}

TEST_F(MessagingTest, AMessageOverTheSizeLimitIsRefusedBeforeDelivery) {
  const std::string a = messenger("max_message_size = 8\n"), b = messenger();
  run(a, "!send " + b + " far-too-long-for-eight");
  EXPECT_THAT(line(a, "send: err"), HasSubstr("exceeds max_message_size (8 bytes)"));
  run(a, "!send " + b + " short");
  EXPECT_EQ(line(b, "got"), "got: short");
}

TEST_F(MessagingTest, OrderIsKeptFromEachOfFourSendersUnder100000Messages) {
  const std::string receiver = messenger();
  std::vector<std::string> senders;
  for (int i = 0; i < 4; ++i) senders.push_back(messenger());
  for (int i = 0; i < 4; ++i)
    command(senders[i], "!burst " + receiver + " 25000 s" + std::to_string(i));
  for (const std::string& sender : senders) {
    auto done = log_.wait_line(sender, "burst", std::chrono::seconds(300));
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(*done, "burst: done 25000");
  }
  run(receiver, "!report");
  const std::string report = line(receiver, "order");
  EXPECT_THAT(report, HasSubstr("order: kept"));
  for (int i = 0; i < 4; ++i) EXPECT_THAT(report, HasSubstr("s" + std::to_string(i) + "=25000"));
}

// The links of a conversation: a send, a request, a channel, its close.
class LinkTest : public MessagingTest {
 protected:
  void converse(const std::string& a, const std::string& b) {
    run(a, "!send " + b + " one");
    run(a, "!request " + b + " two");
    run(a, "!open " + b + " welcome");
    const std::string opened = line(a, "open: ok ");
    const std::string channel = opened.substr(std::string("open: ok ").size());
    run(b, "!chan " + channel + " three");
    run(a, "!close " + channel);
    line(b, "chan-closed");
  }
  chain::LinkReport check(
      const std::vector<std::pair<std::string, std::vector<chain::Event>>>& chains) {
    chain::LinkChecker checker;
    for (const auto& [id, events] : chains) {
      checker.begin_chain(id);
      for (const chain::Event& event : events) checker.add(event);
    }
    return checker.finish();
  }
};

TEST_F(LinkTest, EveryDeliveryLinksToTheSendersEventThatCausedIt) {
  const std::string a = messenger(), b = messenger();
  converse(a, b);
  const chain::LinkReport report = check({{a, chain_of(a)}, {b, chain_of(b)}});
  EXPECT_TRUE(report.ok()) << report.summary();
  // a -> b: send, request, channel open, close; b -> a: accept message, channel message.
  EXPECT_EQ(report.checked, 6u) << report.summary();
  EXPECT_EQ(report.unchecked, 0u);  // the test's own commands carry no sender
}

TEST_F(LinkTest, ATamperedLinkIsFound) {
  const std::string a = messenger(), b = messenger();
  converse(a, b);
  std::vector<chain::Event> tampered = chain_of(b);
  // Change the cause of b's first delivery from a to a hash a's chain does not have.
  bool changed = false;
  for (chain::Event& event : tampered) {
    if (event.event_type != "wasm/call" || changed) continue;
    auto data = chain::cbor_data_to_json(event.data);
    ASSERT_TRUE(data.ok());
    if (!data->contains("cause")) continue;
    auto& cause = (*data)["cause"].get_binary();
    cause[0] ^= 0xff;
    event.data = chain::to_cbor_data(*data);
    changed = true;
  }
  ASSERT_TRUE(changed);
  const chain::LinkReport report = check({{a, chain_of(a)}, {b, tampered}});
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.summary(), HasSubstr("which has no such event"));
  // A chain passed off as another actor's: b's deliveries into it were
  // addressed to a, not to it; b's deliveries from a are left unchecked.
  const chain::LinkReport wrong = check({{"someone-else", chain_of(a)}, {b, chain_of(b)}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.summary(), HasSubstr("was addressed to " + a));
  EXPECT_EQ(wrong.unchecked, 4u);
}

}  // namespace
}  // namespace theater::runtime::testing
