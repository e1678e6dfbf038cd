// Requests between real actors: replies, deferred replies, cancellation,
// timeouts and late replies, deadlock refusal, failing and stopping targets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "messaging_fixture.h"

namespace theater::runtime::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(MessagingTest, ARequestGetsItsReply) {
  const std::string a = messenger(), b = messenger();
  run(a, "!request " + b + " hello");
  EXPECT_EQ(line(a, "reply"), "reply: echo:hello");
  // The requester's chain records the value its guest got.
  auto answered = events_of_type(a, "theater:simple/message-server-host/request-answered");
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_EQ(answered[0]["from"], b);
  const auto& response = answered[0]["response"].get_binary();
  EXPECT_EQ(std::string(response.begin(), response.end()), "echo:hello");
}

TEST_F(MessagingTest, ADeferredRequestIsAnsweredByRespondToRequest) {
  const std::string a = messenger(), b = messenger();
  command(a, "!request " + b + " defer");
  const std::string deferred = line(b, "deferred ");
  const std::string request_id = deferred.substr(std::string("deferred ").size());
  run(b, "!list");
  EXPECT_EQ(line(b, "outstanding"), "outstanding: " + request_id);
  EXPECT_FALSE(log_.has_line(a, "reply"));  // still waiting
  run(b, "!respond-all later");
  EXPECT_EQ(line(b, "respond"), "respond: ok");
  EXPECT_EQ(line(a, "reply"), "reply: later");
  run(b, "!list");
  auto lines = log_.lines_of(b);
  EXPECT_EQ(lines.back(), "outstanding:");  // answered: no longer outstanding
}

TEST_F(MessagingTest, ACancelledRequestTellsItsRequester) {
  const std::string a = messenger(), b = messenger();
  command(a, "!request " + b + " defer");
  line(b, "deferred ");
  run(b, "!cancel-all");
  EXPECT_EQ(line(b, "cancel"), "cancel: ok");
  EXPECT_THAT(line(a, "request: err"), HasSubstr("was cancelled by actor " + b));
}

TEST_F(MessagingTest, ARequestTimesOutNamingTheTargetAndTheLateReplyIsDropped) {
  const std::string a = messenger("request_timeout_ms = 200\n"), b = messenger();
  run(a, "!request " + b + " defer");
  const std::string timed_out = line(a, "request: err");
  EXPECT_THAT(timed_out, HasSubstr("to actor " + b + " timed out after 200 ms"));
  const std::string request_id = line(b, "deferred ").substr(std::string("deferred ").size());
  run(b, "!respond " + request_id + " too late");
  EXPECT_THAT(line(b, "respond: err"), HasSubstr("no longer awaited"));
  EXPECT_EQ(events_of_type(b, "theater:simple/message-server-host/late-reply-dropped").size(), 1u);
}

TEST_F(MessagingTest, ARequestToItselfFailsAtOnceNamingTheCycle) {
  const std::string a = messenger();
  run(a, "!request " + a + " hello");
  EXPECT_THAT(line(a, "request: err"), HasSubstr("would deadlock"));
  EXPECT_THAT(line(a, "request: err"), HasSubstr(a + " -> " + a));
}

TEST_F(MessagingTest, ARequestClosingACycleOfThreeFailsAtOnceNamingIt) {
  // A asks B; B asks C; C asks A, which waits for B: C's request closes the cycle.
  const std::string a = messenger(), b = messenger(), c = messenger();
  run(a, "!request " + b + " ask " + c + " ask " + a + " hello");
  const std::string reply = line(a, "reply");
  EXPECT_THAT(reply, HasSubstr("would deadlock"));
  EXPECT_THAT(reply, HasSubstr(c + " -> " + a + " -> " + b + " -> " + c));
  // The wait-for graph is clean afterwards: the same actors can talk again.
  run(c, "!request " + a + " again");
  EXPECT_EQ(line(c, "reply"), "reply: echo:again");
}

TEST_F(MessagingTest, ATargetThatTrapsAnswersTheRequestWithAnError) {
  const std::string a = messenger(), b = messenger();
  run(a, "!request " + b + " trap");
  EXPECT_THAT(line(a, "request: err"), HasSubstr("actor " + b + " failed while handling request"));
}

TEST_F(MessagingTest, ATargetThatStopsAnswersItsPendingRequestsAtOnce) {
  const std::string a = messenger(), b = messenger();  // request_timeout_ms: 30 s
  command(a, "!request " + b + " defer");
  line(b, "deferred ");
  ASSERT_TRUE(runtime_->stop(b).ok());
  // Answered well before the 30 s timeout (wait_line gives up after 30 s).
  EXPECT_THAT(line(a, "request: err"), HasSubstr("stopped before answering"));
}

TEST_F(MessagingTest, RequestsToActorsThatDoNotTakeMessagesAreRefusedClearly) {
  const std::string a = messenger(), b = messenger();
  ASSERT_TRUE(runtime_->stop(b).ok());
  run(a, "!request " + b + " hello");
  EXPECT_THAT(line(a, "request: err"), HasSubstr("no actor " + b + " takes messages"));
  run(a, "!request not-an-actor hello");
  EXPECT_EQ(log_.lines_of(a).size(), 2u);
  EXPECT_THAT(log_.lines_of(a).back(), HasSubstr("no actor not-an-actor takes messages"));
}

}  // namespace
}  // namespace theater::runtime::testing
