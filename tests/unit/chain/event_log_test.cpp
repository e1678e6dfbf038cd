// EventLog: real SQLite files in a temp dir; batching, reopen, read-only
// access, backpressure and SQLite errors as a user of the runtime sees them.
#include "chain/event_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "chain/chain.h"
#include "chain/verify.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using namespace std::chrono_literals;
using testing::sample_data;
using testing::StepClock;
using testing::TempDir;

std::unique_ptr<EventLog> open_log(const std::filesystem::path& path,
                                   EventLogOptions options = {}) {
  auto log = EventLog::open(path, options);
  EXPECT_TRUE(log.ok()) << log.error().message;
  return log.ok() ? std::move(log).value() : nullptr;
}

// Every event the subscription saw, as appended (a persisted chain keeps
// none in memory, so this is the independent record to compare the log with).
std::vector<Event> seen(Subscription& subscription) {
  std::vector<Event> events;
  for (auto event = subscription.next(0ms); event.ok(); event = subscription.next(0ms)) {
    events.push_back(**event);
  }
  return events;
}

// Another connection that holds the database's write lock while it lives,
// like a second process writing the same file.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::filesystem::path& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  void release() {
    if (db_ == nullptr) return;
    EXPECT_EQ(sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db_);
    db_ = nullptr;
  }
  ~WriteLockHolder() { release(); }

 private:
  sqlite3* db_ = nullptr;
};

TEST(EventLog, EventsSurviveReopen) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  std::vector<Event> written;
  {
    auto log = open_log(path);
    StepClock clock;
    EventChain chain("actor-1", {.clock = clock.clock(), .log = log.get()});
    auto appended = chain.subscribe();
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
    written = seen(*appended);
    // No flush: closing the log commits what is queued.
  }
  auto log = open_log(path);
  auto events = log->read_events("actor-1");
  ASSERT_TRUE(events.ok()) << events.error().message;
  EXPECT_EQ(*events, written);
  EXPECT_TRUE(verify(*events).ok());
  EXPECT_EQ(*log->list_actors(), std::vector<std::string>{"actor-1"});
  EXPECT_TRUE(log->read_events("nobody")->empty());
}

TEST(EventLog, BatchedWriterCommitsEverythingAppendedBeforeFlush) {
  TempDir dir;
  // Small batches and a small queue: many transactions and real backpressure.
  auto log = open_log(dir.file("theater.db"), {.queue_capacity = 32, .max_batch = 7});
  EventChain alpha("alpha", {.log = log.get()});
  EventChain beta("beta", {.log = log.get()});
  auto alpha_appended = alpha.subscribe();
  auto beta_appended = beta.subscribe();
  std::thread second([&] {
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(beta.append("test/b", sample_data(i)).ok());
  });
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(alpha.append("test/a", sample_data(i)).ok());
  second.join();

  ASSERT_TRUE(log->flush(30s).ok());
  for (auto [chain, appended] :
       {std::pair{&alpha, alpha_appended.get()}, std::pair{&beta, beta_appended.get()}}) {
    auto events = log->read_events(chain->actor_id());
    ASSERT_TRUE(events.ok()) << events.error().message;
    EXPECT_EQ(*events, seen(*appended)) << chain->actor_id();
    EXPECT_TRUE(verify(*events).ok());
  }
  EXPECT_EQ(*log->list_actors(), (std::vector<std::string>{"alpha", "beta"}));
}

TEST(EventLog, ReadOnlyReaderSeesCommittedEventsWhileTheWriterRuns) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  auto log = open_log(path);
  EventChain chain("actor-1", {.log = log.get()});
  auto appended = chain.subscribe();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
  ASSERT_TRUE(log->flush(10s).ok());

  auto reader = EventLogReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(*(*reader)->read_events("actor-1"), seen(*appended));
  ASSERT_TRUE(chain.append("test/event", {}).ok());
  ASSERT_TRUE(log->flush(10s).ok());
  EXPECT_EQ((*reader)->read_events("actor-1")->size(), 11u);
}

TEST(EventLog, PersistedChainKeepsNothingInMemoryAndSnapshotReadsTheLog) {
  TempDir dir;
  auto log = open_log(dir.file("theater.db"), {.max_batch_delay = 1h});
  EventChain chain("actor-1", {.log = log.get()});
  auto appended = chain.subscribe();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
  // Nothing committed yet (the batch waits an hour): snapshot makes the log commit.
  auto snapshot = chain.snapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  const std::vector<Event> expected = seen(*appended);
  ASSERT_EQ(expected.size(), 50u);
  EXPECT_EQ(*snapshot, expected);
  EXPECT_EQ(chain.size(), 50u);
  EXPECT_EQ(chain.head(), expected.back().hash);
  // The next append links to the head the chain remembers.
  ASSERT_TRUE(chain.append("test/event", {}).ok());
  auto longer = chain.snapshot();
  ASSERT_TRUE(longer.ok());
  ASSERT_EQ(longer->size(), 51u);
  EXPECT_EQ(longer->back().parent_hash, expected.back().hash);
  EXPECT_TRUE(verify(*longer).ok());
}

TEST(EventLog, LargeEventsAndManySegmentsReadBackExactly) {
  TempDir dir;
  auto log = open_log(dir.file("theater.db"), {.max_batch = 64});
  EventChain alpha("alpha", {.log = log.get()});
  EventChain beta("beta", {.log = log.get()});
  auto alpha_appended = alpha.subscribe();
  auto beta_appended = beta.subscribe();
  // Sizes around the inline limit and past the segment size, interleaved.
  for (int i = 0; i < 300; ++i) {
    const size_t size = (i % 5 == 0) ? (size_t{1} << 20) + 3 : static_cast<size_t>(i * 37 % 2000);
    ASSERT_TRUE(alpha.append("test/big", std::vector<uint8_t>(size, uint8_t(i))).ok());
    ASSERT_TRUE(beta.append("test/small", sample_data(i), "described").ok());
  }
  ASSERT_TRUE(log->flush(60s).ok());
  for (auto [id, appended] :
       {std::pair{"alpha", alpha_appended.get()}, std::pair{"beta", beta_appended.get()}}) {
    auto events = log->read_events(id);
    ASSERT_TRUE(events.ok()) << events.error().message;
    EXPECT_EQ(*events, seen(*appended)) << id;
    EXPECT_TRUE(verify(*events).ok());
  }
}

TEST(EventLog, ATruncatedEventFileIsReportedNotMisread) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  {
    auto log = open_log(path);
    EventChain chain("actor-1", {.log = log.get()});
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
  }
  const auto event_file = dir.file("theater.db-events");
  std::filesystem::resize_file(event_file, std::filesystem::file_size(event_file) - 5);
  auto reader = EventLogReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto events = (*reader)->read_events("actor-1");
  ASSERT_FALSE(events.ok());
  EXPECT_NE(events.error().message.find("theater.db-events ends at byte"), std::string::npos)
      << events.error().message;
}

TEST(EventLog, ReaderRefusesMissingFilesAndForeignDatabases) {
  TempDir dir;
  auto missing = EventLogReader::open(dir.file("absent.db"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("absent.db"), std::string::npos);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("other.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE notes (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto foreign = EventLogReader::open(dir.file("other.db"));
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("not a theater event log"), std::string::npos);
}

TEST(EventLog, RefusesAFileWithAnotherSchemaVersion) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  open_log(path).reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  auto log = EventLog::open(path);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().message.find("schema version 99"), std::string::npos)
      << log.error().message;
  auto reader = EventLogReader::open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kFailedPrecondition);
}

TEST(EventLog, FullQueueMakesAppendWaitThenFailWithoutLosingEvents) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  auto log = open_log(path, {.queue_capacity = 4,
                             .max_batch = 4,
                             .append_timeout = 50ms,
                             .busy_timeout = 60s});  // the writer waits out the lock
  EventChain chain("actor-1", {.log = log.get()});
  auto appended = chain.subscribe();
  WriteLockHolder lock(path);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());

  auto refused = chain.append("test/event", sample_data(4));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(refused.error().message.find("is full (4 uncommitted events"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(chain.size(), 4u);  // the refused event is not in memory either

  lock.release();
  ASSERT_TRUE(log->flush(30s).ok());
  EXPECT_EQ(*log->read_events("actor-1"), seen(*appended));
  ASSERT_TRUE(chain.append("test/event", sample_data(4)).ok());  // room again
  ASSERT_TRUE(log->flush(30s).ok());
  EXPECT_TRUE(verify(*log->read_events("actor-1")).ok());
}

TEST(EventLog, UncommittedBytesAreBoundedToo) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  auto log =
      open_log(path, {.max_uncommitted_bytes = 4096, .append_timeout = 50ms, .busy_timeout = 60s});
  EventChain chain("actor-1", {.log = log.get()});
  WriteLockHolder lock(path);
  // A single event larger than the bound still goes in, alone.
  ASSERT_TRUE(chain.append("test/big", std::vector<uint8_t>(10000, 0xab)).ok());
  auto refused = chain.append("test/small", sample_data(1));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);

  lock.release();
  ASSERT_TRUE(log->flush(30s).ok());
  ASSERT_TRUE(chain.append("test/small", sample_data(1)).ok());
  ASSERT_TRUE(log->flush(30s).ok());
  auto events = log->read_events("actor-1");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->front().data.size(), 10000u);
  EXPECT_TRUE(verify(*events).ok());
}

TEST(EventLog, FailedCommitReportsSqliteMessageAndStopsTheChain) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  auto log = open_log(path, {.busy_timeout = 0ms});  // a held lock fails the commit at once
  EventChain chain("actor-1", {.log = log.get()});
  {
    WriteLockHolder lock(path);
    ASSERT_TRUE(chain.append("test/event", {}).ok());
    const Status flushed = log->flush(30s);
    ASSERT_FALSE(flushed.ok());
    EXPECT_NE(flushed.error().message.find("database is locked"), std::string::npos)
        << flushed.error().message;
  }
  // The failure is sticky: a chain with a hole could never verify.
  auto refused = chain.append("test/event", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("has failed"), std::string::npos);
  EXPECT_EQ(chain.size(), 1u);
}

TEST(EventLog, ARepeatedOrSkippedSeqIsRejectedNamingBoth) {
  TempDir dir;
  auto log = open_log(dir.file("theater.db"));
  const auto event =
      std::make_shared<const Event>(make_event(std::nullopt, 1, "a/b", std::nullopt, {}));
  ASSERT_TRUE(log->append("actor-1", 0, event).ok());
  ASSERT_TRUE(log->append("actor-1", 0, event).ok());  // queued; the commit will refuse
  const Status flushed = log->flush(30s);
  ASSERT_FALSE(flushed.ok());
  EXPECT_NE(flushed.error().message.find(
                "events 0..0 of actor actor-1: event 0 was appended where event 1 was expected"),
            std::string::npos)
      << flushed.error().message;

  // Across batches and reopening, too: the writer learns where each chain ends.
  TempDir other;
  {
    auto first = open_log(other.file("theater.db"));
    ASSERT_TRUE(first->append("actor-1", 0, event).ok());
    ASSERT_TRUE(first->flush(30s).ok());
  }
  auto reopened = open_log(other.file("theater.db"));
  ASSERT_TRUE(reopened->append("actor-1", 2, event).ok());
  const Status skipped = reopened->flush(30s);
  ASSERT_FALSE(skipped.ok());
  EXPECT_NE(skipped.error().message.find("event 2 was appended where event 1 was expected"),
            std::string::npos)
      << skipped.error().message;
}

}  // namespace
}  // namespace theater::chain
