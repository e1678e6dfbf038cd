// Channels between real actors: accepted and refused opens, messages both
// ways, closing by either side, refusal of non-participants, and closing when
// an actor stops.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "messaging_fixture.h"

namespace theater::runtime::testing {
namespace {

using ::testing::HasSubstr;

class ChannelTest : public MessagingTest {
 protected:
  // Opens a channel from `opener` to `target`; its id.
  std::string open(const std::string& opener, const std::string& target,
                   const std::string& initial = "hi") {
    run(opener, "!open " + target + " " + initial);
    // The last line: an opener may have opened others before.
    const std::string opened = log_.lines_of(opener).back();
    EXPECT_TRUE(opened.starts_with("open: ok ")) << opened;
    return opened.substr(std::min(opened.size(), std::string("open: ok ").size()));
  }
};

TEST_F(ChannelTest, AnAcceptedChannelCarriesMessagesBothWaysToTheOtherSideOnly) {
  const std::string a = messenger(), b = messenger();
  const std::string channel = open(a, b, "welcome");
  EXPECT_EQ(line(b, "channel-open"), "channel-open " + channel + " welcome");
  // The accept message reaches the opener's handle-channel-message.
  EXPECT_EQ(line(a, "chan-msg"), "chan-msg " + channel + " welcome!");
  run(a, "!chan " + channel + " from-a");
  EXPECT_EQ(line(b, "chan-msg"), "chan-msg " + channel + " from-a");
  run(b, "!chan " + channel + " from-b");
  EXPECT_TRUE(log_.wait_line(a, "chan-msg " + channel + " from-b").has_value());
  // Only the other side hears: neither side got its own message back.
  for (const std::string& l : log_.lines_of(a)) EXPECT_NE(l, "chan-msg " + channel + " from-a");
  for (const std::string& l : log_.lines_of(b)) EXPECT_NE(l, "chan-msg " + channel + " from-b");
}

TEST_F(ChannelTest, ARefusedChannelIsNotOpened) {
  const std::string a = messenger(), b = messenger();
  run(a, "!open " + b + " reject");
  EXPECT_THAT(line(a, "open: err"), HasSubstr("actor " + b + " refused channel"));
}

TEST_F(ChannelTest, EitherSideMayCloseAndTheOtherIsTold) {
  const std::string a = messenger(), b = messenger();
  const std::string first = open(a, b);
  run(b, "!close " + first);  // closed by the acceptor
  EXPECT_EQ(line(b, "close"), "close: ok");
  EXPECT_EQ(line(a, "chan-closed"), "chan-closed " + first);
  run(a, "!chan " + first + " after");
  EXPECT_THAT(line(a, "chan: err"), HasSubstr("no open channel " + first));

  const std::string c = messenger();
  const std::string second = open(a, c);
  run(a, "!close " + second);  // closed by the opener
  EXPECT_EQ(line(c, "chan-closed"), "chan-closed " + second);
}

TEST_F(ChannelTest, ANonParticipantMayNeitherCloseNorSend) {
  const std::string a = messenger(), b = messenger(), outsider = messenger();
  const std::string channel = open(a, b);
  run(outsider, "!close " + channel);
  EXPECT_THAT(line(outsider, "close: err"),
              HasSubstr("actor " + outsider + " is not a participant of channel " + channel));
  run(outsider, "!chan " + channel + " sneaky");
  EXPECT_THAT(line(outsider, "chan: err"), HasSubstr("is not a participant"));
  // The channel is untouched.
  run(a, "!chan " + channel + " still-open");
  EXPECT_EQ(line(b, "chan-msg"), "chan-msg " + channel + " still-open");
}

TEST_F(ChannelTest, AnActorsStopClosesItsChannelsAndTellsEachPeer) {
  const std::string a = messenger(), b = messenger(), c = messenger();
  const std::string to_b = open(a, b);
  const std::string from_c = open(c, a);
  ASSERT_TRUE(runtime_->stop(a).ok());
  EXPECT_EQ(line(b, "chan-closed"), "chan-closed " + to_b);
  EXPECT_EQ(line(c, "chan-closed"), "chan-closed " + from_c);
  run(b, "!chan " + to_b + " anyone");
  EXPECT_THAT(line(b, "chan: err"), HasSubstr("no open channel"));
}

}  // namespace
}  // namespace theater::runtime::testing
