// audit_stored_chain / audit_jsonl_file: what `theater verify` concludes about
// a stored chain after the tampering and accidents a user can cause: a cut
// (kill -9, a deleted segment row, a truncated event file), swapped actor ids.
#include "chain/audit.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "../../support/sqlite_tamper.h"
#include "../../support/tamper.h"
#include "chain/chain.h"
#include "chain/event_log.h"
#include "chain/jsonl.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using namespace std::chrono_literals;
using testing::append_runtime_chain;
using testing::sample_data;
using testing::TempDir;

class AuditTest : public ::testing::Test {
 protected:
  // Writes `id`'s runtime-like chain in three batches, so it has three
  // segments (batches only end at a flush or on closing).
  void write_chain(const std::string& id, bool stopped) {
    auto log = EventLog::open(db_, {.max_batch_delay = 1h});
    ASSERT_TRUE(log.ok()) << log.error().message;
    EventChain chain(id, {.log = log->get()});
    append_runtime_chain(chain, 10, /*stopped=*/false);
    ASSERT_TRUE((*log)->flush(30s).ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(chain.append("test/more", sample_data(i)).ok());
    ASSERT_TRUE((*log)->flush(30s).ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(chain.append("test/last", sample_data(i)).ok());
    if (stopped) ASSERT_TRUE(chain.append(std::string(kStoppedEventType), {}).ok());
  }

  Result<ChainReport> audit(const std::string& id) {
    auto reader = EventLogReader::open(db_);
    if (!reader.ok()) return reader.error();
    return audit_stored_chain(**reader, id);
  }

  TempDir dir_;
  std::filesystem::path db_ = dir_.file("theater.db");
};

TEST_F(AuditTest, AChainThatStoppedIsOkAndNamesItsActorAndModule) {
  write_chain("actor-1", /*stopped=*/true);
  auto report = audit("actor-1");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kOk) << report->summary();
  EXPECT_EQ(report->events, 27u);
  EXPECT_EQ(report->actor_id, "actor-1");
  EXPECT_EQ(report->module_sha256, std::string(64, 'a'));
  EXPECT_NE(report->summary().find("ok: 27 events verify; actor actor-1"), std::string::npos)
      << report->summary();
}

TEST_F(AuditTest, AChainWithoutItsStopEventIsIncomplete) {
  write_chain("actor-1", /*stopped=*/false);
  auto report = audit("actor-1");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kIncomplete) << report->summary();
  EXPECT_NE(report->detail.find("no theater-runtime/stopped event"), std::string::npos)
      << report->detail;
}

TEST_F(AuditTest, TheLogKeepsEachChainsHeadWithEveryBatch) {
  auto log = EventLog::open(db_);
  ASSERT_TRUE(log.ok());
  EventChain chain("actor-1", {.log = log->get()});
  auto reader = EventLogReader::open(db_);
  ASSERT_TRUE(reader.ok());
  for (int batch = 1; batch <= 3; ++batch) {
    for (int i = 0; i < 7; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
    ASSERT_TRUE((*log)->flush(30s).ok());
    uint64_t streamed = 0;
    auto head = (*reader)->stream_events("actor-1", [&](Event&) {
      ++streamed;
      return ok_status();
    });
    ASSERT_TRUE(head.ok()) << head.error().message;
    ASSERT_TRUE(head->has_value());
    EXPECT_EQ((*head)->count, 7u * batch);
    EXPECT_EQ((*head)->hash, chain.head());
    EXPECT_EQ(streamed, 7u * batch);
  }
}

TEST_F(AuditTest, ADeletedNewestSegmentIsATruncationNamingTheMissingEvents) {
  write_chain("actor-1", /*stopped=*/true);
  test_support::delete_newest_segment(db_, "actor-1");
  // What is left still links and hashes: only the head shows the cut.
  auto reader = EventLogReader::open(db_);
  ASSERT_TRUE(reader.ok());
  auto left = (*reader)->read_events("actor-1");
  ASSERT_TRUE(left.ok()) << left.error().message;
  ASSERT_EQ(left->size(), 21u);
  EXPECT_FALSE(find_first_fault(*left).has_value());

  auto report = audit("actor-1");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kTruncated) << report->summary();
  EXPECT_NE(report->detail.find("records 27 events"), std::string::npos) << report->detail;
  EXPECT_NE(report->detail.find("events 21..26 are missing"), std::string::npos) << report->detail;
}

TEST_F(AuditTest, AnEventFileCutBeforeItsNewestSegmentIsReportedNamingFileAndByte) {
  write_chain("actor-1", /*stopped=*/true);
  const auto event_file = dir_.file("theater.db-events");
  std::filesystem::resize_file(event_file, std::filesystem::file_size(event_file) / 2);
  auto report = audit("actor-1");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(report.error().message.find(event_file.string() + " ends at byte"), std::string::npos)
      << report.error().message;
  EXPECT_NE(report.error().message.find("bytes from byte"), std::string::npos)
      << report.error().message;
}

TEST_F(AuditTest, SwappedActorIdsAreAMismatchNamingBoth) {
  write_chain("actor-a", /*stopped=*/true);
  write_chain("actor-b", /*stopped=*/true);
  test_support::swap_actor_ids(db_, "actor-a", "actor-b");
  auto report = audit("actor-a");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kMismatch) << report->summary();
  EXPECT_NE(report->detail.find("stored under actor actor-a is actor actor-b's"), std::string::npos)
      << report->detail;
  EXPECT_EQ(audit("actor-b")->verdict, Verdict::kMismatch);
}

TEST_F(AuditTest, AStoredChainWhoseFirstEventNamesNoActorIsAMismatch) {
  {
    auto log = EventLog::open(db_);
    ASSERT_TRUE(log.ok());
    EventChain chain("actor-1", {.log = log->get()});
    ASSERT_TRUE(chain.append("test/event", sample_data(0)).ok());
    ASSERT_TRUE(chain.append(std::string(kStoppedEventType), {}).ok());
  }
  auto report = audit("actor-1");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kMismatch);
  EXPECT_NE(report->detail.find("binds no actor id"), std::string::npos) << report->detail;
}

TEST_F(AuditTest, ABadHashOutranksEveryOtherVerdictAndIsNamed) {
  write_chain("actor-1", /*stopped=*/false);
  test_support::flip_stored_data_byte(db_, "actor-1", 4);
  auto report = audit("actor-1");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kBroken);
  EXPECT_NE(report->detail.find("event 4 (hash"), std::string::npos) << report->detail;
  EXPECT_NE(report->detail.find("hash mismatch"), std::string::npos) << report->detail;
}

TEST_F(AuditTest, AnUnknownActorIsNotFound) {
  write_chain("actor-1", /*stopped=*/true);
  auto report = audit("nobody");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
}

TEST_F(AuditTest, AnExportIsAuditedTheSameWithoutAHeadToCompare) {
  write_chain("actor-1", /*stopped=*/false);
  auto reader = EventLogReader::open(db_);
  ASSERT_TRUE(reader.ok());
  auto events = (*reader)->read_events("actor-1");
  ASSERT_TRUE(events.ok());
  const auto file = dir_.file("chain.jsonl");
  ASSERT_TRUE(write_jsonl_file(file, *events).ok());
  auto incomplete = audit_jsonl_file(file);
  ASSERT_TRUE(incomplete.ok()) << incomplete.error().message;
  EXPECT_EQ(incomplete->verdict, Verdict::kIncomplete);
  EXPECT_EQ(incomplete->actor_id, "actor-1");

  EventChain copy("actor-1");
  append_runtime_chain(copy, 3, /*stopped=*/true);
  ASSERT_TRUE(write_jsonl_file(file, *copy.snapshot()).ok());
  auto whole = audit_jsonl_file(file);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(whole->verdict, Verdict::kOk) << whole->summary();
  EXPECT_EQ(whole->events, 5u);
}

TEST_F(AuditTest, AVersion2LogIsRefusedClearlyAndLeftUntouched) {
  write_chain("actor-1", /*stopped=*/true);
  test_support::run_sql(db_, "DROP TABLE heads; PRAGMA user_version = 2");
  auto log = EventLog::open(db_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(log.error().message.find("has schema version 2; this build reads version 3"),
            std::string::npos)
      << log.error().message;
  EXPECT_NE(log.error().message.find("not migrated"), std::string::npos) << log.error().message;
  auto reader = EventLogReader::open(db_);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kFailedPrecondition);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'heads'", -1,
                               &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 0) << "opening the old file changed it";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace theater::chain
