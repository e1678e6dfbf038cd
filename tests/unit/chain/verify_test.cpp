// verify(): every hash and every link, and the first bad event named, including
// after tampering with the SQLite file directly.
#include "chain/verify.h"

#include <gtest/gtest.h>

#include "../../support/tamper.h"
#include "chain/chain.h"
#include "chain/event_log.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using namespace std::chrono_literals;
using testing::sample_data;
using testing::StepClock;
using testing::TempDir;

std::vector<Event> make_chain(size_t count) {
  StepClock clock;
  EventChain chain("actor-1", {.clock = clock.clock()});
  for (size_t i = 0; i < count; ++i) {
    EXPECT_TRUE(chain.append("test/event", sample_data(static_cast<int>(i))).ok());
  }
  return *chain.snapshot();
}

TEST(Verify, AcceptsAnIntactChainAndAnEmptyOne) {
  EXPECT_TRUE(verify(make_chain(10)).ok());
  EXPECT_TRUE(verify(std::vector<Event>{}).ok());
}

TEST(Verify, NamesTheEventWhoseDataChanged) {
  auto events = make_chain(6);
  events[3].data[0] ^= 0x01;
  const auto fault = find_first_fault(events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 3u);
  EXPECT_EQ(fault->kind, FaultKind::kHashMismatch);
  EXPECT_EQ(fault->stored_hash, events[3].hash);

  const Status status = verify(events);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("event 3 (hash " + hash_to_hex(events[3].hash)),
            std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("hash mismatch"), std::string::npos);
}

TEST(Verify, RehashedTamperingBreaksTheNextLink) {
  // A forger who fixes the hash of the event they changed breaks its child's link.
  auto events = make_chain(5);
  events[2].description = "forged";
  events[2].hash = compute_event_hash(events[2]);
  const auto fault = find_first_fault(events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 3u);
  EXPECT_EQ(fault->kind, FaultKind::kBrokenLink);
}

TEST(Verify, RemovedEventBreaksTheLink) {
  auto events = make_chain(5);
  events.erase(events.begin() + 1);
  const auto fault = find_first_fault(events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 1u);
  EXPECT_EQ(fault->kind, FaultKind::kBrokenLink);
}

TEST(Verify, FirstEventMustHaveNoParent) {
  auto events = make_chain(3);
  events.erase(events.begin());  // a chain cut from its start
  const auto fault = find_first_fault(events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 0u);
  EXPECT_EQ(fault->kind, FaultKind::kFirstEventHasParent);
}

TEST(Verify, MissingParentAfterTheFirstIsABrokenLink) {
  auto events = make_chain(3);
  events[2].parent_hash.reset();
  const auto fault = find_first_fault(events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 2u);
  EXPECT_EQ(fault->kind, FaultKind::kBrokenLink);
  EXPECT_NE(fault->message().find("parent is none"), std::string::npos);
}

TEST(Verify, NamesTheEventTamperedWithInTheDatabaseFile) {
  TempDir dir;
  const auto db_path = dir.file("theater.db");
  std::vector<Event> original;
  {
    auto log = EventLog::open(db_path);
    ASSERT_TRUE(log.ok()) << log.error().message;
    StepClock clock;
    EventChain chain("actor-1", {.clock = clock.clock(), .log = log->get()});
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
    ASSERT_TRUE((*log)->flush(10s).ok());
    original = *chain.snapshot();
  }
  test_support::flip_stored_data_byte(db_path, "actor-1", 5);

  auto reader = EventLogReader::open(db_path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto events = (*reader)->read_events("actor-1");
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 8u);
  const auto fault = find_first_fault(*events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 5u);
  EXPECT_EQ(fault->kind, FaultKind::kHashMismatch);
  EXPECT_EQ(fault->stored_hash, original[5].hash);
}

}  // namespace
}  // namespace theater::chain
