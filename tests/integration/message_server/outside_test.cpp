// Messages, requests and channels from outside any actor
// (TheaterRuntime::messaging()), against real messenger_probe actors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "messaging_fixture.h"

namespace theater::runtime::testing {
namespace {

using ::testing::HasSubstr;

handler::Bytes bytes(const std::string& text) {
  return handler::Bytes(text.begin(), text.end());
}
std::string text(const handler::Bytes& b) {
  return std::string(b.begin(), b.end());
}

class OutsideTest : public MessagingTest {
 protected:
  handler::ExternalMessaging& messaging() {
    auto found = runtime_->messaging();
    EXPECT_TRUE(found.ok()) << found.error().message;
    return **found;
  }
};

TEST_F(OutsideTest, ASendArrivesNamingTheOutsideSender) {
  const std::string b = messenger();
  auto& m = messaging();
  const handler::OutsideSender me = m.new_sender();
  ASSERT_TRUE(m.send(me, b, bytes("hello")).ok());
  EXPECT_EQ(line(b, "got"), "got: hello");
  bool named = false;
  for (const auto& call : events_of_type(b, "wasm/call"))
    if (call.value("from", "") == me.id) named = true;
  EXPECT_TRUE(named);
}

TEST_F(OutsideTest, ARequestGetsItsReplyAndADeferredOneIsAnsweredLater) {
  const std::string b = messenger();
  auto& m = messaging();
  auto reply = m.request(m.new_sender(), b, bytes("hi"));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(text(*reply), "echo:hi");
  auto later =
      std::async(std::launch::async, [&] { return m.request(m.new_sender(), b, bytes("defer")); });
  line(b, "deferred ");
  run(b, "!respond-all later");
  auto answered = later.get();
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(text(*answered), "later");
}

TEST_F(OutsideTest, ACancelledRequestAndATimeoutAreReportedDistinctly) {
  const std::string b = messenger("request_timeout_ms = 300\n");
  auto& m = messaging();
  auto cancelled =
      std::async(std::launch::async, [&] { return m.request(m.new_sender(), b, bytes("defer")); });
  line(b, "deferred ");
  run(b, "!cancel-all");
  auto got = cancelled.get();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kCancelled);
  EXPECT_THAT(got.error().message, HasSubstr("was cancelled by actor " + b));
  auto timed_out = m.request(m.new_sender(), b, bytes("defer"));
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(timed_out.error().message, HasSubstr("300 ms (request_timeout_ms)"));
  handler::OutsideCallOptions options;
  options.reply_timeout = std::chrono::milliseconds(100);
  auto own = m.request(m.new_sender(), b, bytes("defer"), options);
  ASSERT_FALSE(own.ok());
  EXPECT_THAT(own.error().message, HasSubstr("100 ms (the caller's timeout)"));
}

TEST_F(OutsideTest, ATargetThatStopsAnswersAPendingRequestAtOnce) {
  const std::string b = messenger();
  auto& m = messaging();
  auto pending =
      std::async(std::launch::async, [&] { return m.request(m.new_sender(), b, bytes("defer")); });
  line(b, "deferred ");
  ASSERT_TRUE(runtime_->stop(b).ok());
  auto got = pending.get();
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.error().message, HasSubstr("stopped before answering"));
}

TEST_F(OutsideTest, BoundsAndSizesApplyAsToActors) {
  const std::string b =
      messenger("mailbox_size = 1\nsend_timeout_ms = 200\nmax_message_size = 8\n");
  auto& m = messaging();
  const auto me = m.new_sender();
  auto big = m.send(me, b, bytes("far-too-long-for-eight"));
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.error().message, HasSubstr("exceeds max_message_size (8 bytes)"));
  ASSERT_TRUE(handle(b).pause().ok());
  ASSERT_TRUE(m.send(me, b, bytes("t:0")).ok());
  auto full = m.send(me, b, bytes("t:1"));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kResourceExhausted);
  EXPECT_THAT(full.error().message, HasSubstr("the mailbox of actor " + b + " is full"));
  ASSERT_TRUE(handle(b).resume().ok());
}

TEST_F(OutsideTest, UnknownActorsAndActorsWithoutMessagingAreRefusedClearly) {
  auto& m = messaging();
  auto unknown = m.send(m.new_sender(), "no-such-actor", bytes("x"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto counter = spawn(counter_manifest());
  ASSERT_TRUE(counter.ok()) << counter.error().message;
  auto plain = m.send(m.new_sender(), *counter, bytes("inc"));
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(plain.error().message, HasSubstr("no message-server handler"));
}

struct Heard {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> messages;
  std::optional<std::string> closed;
  handler::ChannelListener listener() {
    return {[this](handler::Bytes msg) {
              std::lock_guard lock(mutex);
              messages.push_back(text(msg));
              cv.notify_all();
              return ok_status();
            },
            [this](std::string reason) {
              std::lock_guard lock(mutex);
              closed = reason;
              cv.notify_all();
            }};
  }
  bool wait(const std::function<bool()>& until) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(30), until);
  }
};

TEST_F(OutsideTest, AChannelCarriesMessagesBothWaysAndClosesFromEitherSide) {
  const std::string b = messenger();
  auto& m = messaging();
  Heard heard;
  auto refused = m.open_channel(m.new_sender(), b, bytes("reject"), heard.listener());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);

  auto channel = m.open_channel(m.new_sender(), b, bytes("welcome"), heard.listener());
  ASSERT_TRUE(channel.ok()) << channel.error().message;
  const std::string id = (*channel)->id();
  ASSERT_TRUE(heard.wait([&] { return !heard.messages.empty(); }));
  EXPECT_EQ(heard.messages[0], "welcome!");
  ASSERT_TRUE((*channel)->send(bytes("to-actor")).ok());
  EXPECT_EQ(line(b, "chan-msg"), "chan-msg " + id + " to-actor");
  run(b, "!chan " + id + " to-outside");
  ASSERT_TRUE(heard.wait([&] { return heard.messages.size() == 2; }));
  EXPECT_EQ(heard.messages[1], "to-outside");
  run(b, "!close " + id);
  ASSERT_TRUE(heard.wait([&] { return heard.closed.has_value(); }));
  EXPECT_THAT(*heard.closed, HasSubstr("closed channel " + id));
  EXPECT_EQ((*channel)->send(bytes("late")).error().code, ErrorCode::kFailedPrecondition);

  Heard second;
  auto other = m.open_channel(m.new_sender(), b, bytes("hi"), second.listener());
  ASSERT_TRUE(other.ok()) << other.error().message;
  const std::string other_id = (*other)->id();
  (*other)->close();
  EXPECT_EQ(line(b, "chan-closed " + other_id), "chan-closed " + other_id);
  EXPECT_FALSE(second.closed.has_value());  // its own close is not told back
}

TEST_F(OutsideTest, TheActorStoppingClosesTheChannel) {
  const std::string b = messenger();
  auto& m = messaging();
  Heard heard;
  auto channel = m.open_channel(m.new_sender(), b, bytes("hi"), heard.listener());
  ASSERT_TRUE(channel.ok()) << channel.error().message;
  ASSERT_TRUE(runtime_->stop(b).ok());
  ASSERT_TRUE(heard.wait([&] { return heard.closed.has_value(); }));
  EXPECT_THAT(*heard.closed, HasSubstr("stopped"));
}

}  // namespace
}  // namespace theater::runtime::testing
