// ContentStore on a real SQLite file: dedup across stores, labels, quotas,
// validation, isolation between stores, and the file's integrity.
#include "store/content_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "../../support/temp_dir.h"
#include "common/sha256.h"
#include "store/origin_writer.h"

namespace theater::store {
namespace {

Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

std::string hash_of(std::string_view text) {
  return to_hex(sha256(bytes_of(text)));
}

// A single-value query on the database file, through its own connection.
std::string query(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  std::string out = "no row";
  if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(raw);
  return out;
}

class ContentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = ContentStore::open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
    auto id = store_->create("actor-a");
    ASSERT_TRUE(id.ok());
    id_ = *id;
  }
  std::filesystem::path db_path() const { return ContentStore::path_in(dir_.path()); }

  test_support::TempDir dir_;
  std::unique_ptr<ContentStore> store_;
  std::string id_;
};

TEST_F(ContentStoreTest, NewStoresAreUuidsRememberingTheirCreator) {
  EXPECT_EQ(id_.size(), 36u);
  EXPECT_TRUE(check_store_id(id_).ok());
  EXPECT_EQ(*store_->creator_of(id_), "actor-a");
  EXPECT_EQ(*store_->total_size(id_), 0u);
  auto other = store_->create("actor-b");
  EXPECT_NE(*other, id_);
}

TEST_F(ContentStoreTest, PutReturnsTheSha256AndGetReturnsTheContent) {
  auto hash = store_->put(id_, bytes_of("hello"));
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(*hash, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(*store_->get(id_, *hash), bytes_of("hello"));
  EXPECT_TRUE(*store_->contains(id_, *hash));
  EXPECT_FALSE(*store_->contains(id_, hash_of("other")));
  EXPECT_EQ(*store_->total_size(id_), 5u);
}

TEST_F(ContentStoreTest, EmptyContentIsContentToo) {
  auto hash = store_->put(id_, Bytes{});
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, hash_of(""));
  EXPECT_TRUE(store_->get(id_, *hash)->empty());
}

TEST_F(ContentStoreTest, ContentIsKeptOnceAcrossStoresAndCountedOncePerStore) {
  const std::string other = *store_->create("actor-b");
  ASSERT_TRUE(store_->put(id_, bytes_of("shared")).ok());
  ASSERT_TRUE(store_->put(id_, bytes_of("shared")).ok());
  ASSERT_TRUE(store_->put(other, bytes_of("shared")).ok());
  EXPECT_EQ(query(db_path(), "SELECT count(*) FROM blobs WHERE hash = '" + hash_of("shared") + "'"),
            "1");
  EXPECT_EQ(*store_->total_size(id_), 6u);
  EXPECT_EQ(*store_->total_size(other), 6u);
  EXPECT_EQ(store_->contents(id_)->size(), 1u);
}

TEST_F(ContentStoreTest, AStoreDoesNotReachContentOnlyAnotherStoreHolds) {
  const std::string other = *store_->create("actor-b");
  const std::string hash = *store_->put(other, bytes_of("secret"));
  auto got = store_->get(id_, hash);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_NE(got.error().message.find("holds no content " + hash), std::string::npos);
  EXPECT_FALSE(*store_->contains(id_, hash));
  EXPECT_FALSE(store_->set_label(id_, "x", hash).ok());
}

TEST_F(ContentStoreTest, LabelsPointAtOneRefAndMove) {
  const std::string first = *store_->put(id_, bytes_of("one"));
  const std::string second = *store_->put(id_, bytes_of("two"));
  ASSERT_TRUE(store_->set_label(id_, "notes/today", first).ok());
  EXPECT_EQ(**store_->label_target(id_, "notes/today"), first);
  ASSERT_TRUE(store_->set_label(id_, "notes/today", second).ok());
  EXPECT_EQ(**store_->label_target(id_, "notes/today"), second);
  EXPECT_FALSE(store_->label_target(id_, "missing")->has_value());
  EXPECT_EQ(*store_->labels(id_), std::vector<std::string>{"notes/today"});
}

TEST_F(ContentStoreTest, PutAtLabelStoresAndPointsInOneStep) {
  auto hash = store_->put_at_label(id_, "config", bytes_of("v1"));
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(**store_->label_target(id_, "config"), *hash);
  auto replaced = store_->put_at_label(id_, "config", bytes_of("v2"));
  EXPECT_EQ(**store_->label_target(id_, "config"), *replaced);
  EXPECT_TRUE(*store_->contains(id_, *hash));  // the old content stays
}

TEST_F(ContentStoreTest, RemoveLabelNeedsTheLabelAndLeavesTheContent) {
  const std::string hash = *store_->put_at_label(id_, "a", bytes_of("x"));
  ASSERT_TRUE(store_->remove_label(id_, "a").ok());
  EXPECT_FALSE(store_->label_target(id_, "a")->has_value());
  EXPECT_TRUE(*store_->contains(id_, hash));
  auto again = store_->remove_label(id_, "a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_NE(again.error().message.find("has no label \"a\""), std::string::npos);
}

TEST_F(ContentStoreTest, RemoveFromLabelOnlyWhenItPointsThere) {
  const std::string current = *store_->put_at_label(id_, "a", bytes_of("new"));
  const std::string old = hash_of("old");
  auto refused = store_->remove_label_if(id_, "a", old);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("points at " + current), std::string::npos);
  EXPECT_EQ(**store_->label_target(id_, "a"), current);
  ASSERT_TRUE(store_->remove_label_if(id_, "a", current).ok());
  EXPECT_FALSE(store_->label_target(id_, "a")->has_value());
}

TEST_F(ContentStoreTest, QuotaIsCheckedBeforeWriting) {
  const Quota quota{10};
  ASSERT_TRUE(store_->put(id_, bytes_of("12345678"), quota).ok());
  auto over = store_->put(id_, bytes_of("abc"), quota);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(over.error().message.find("max_bytes of 10"), std::string::npos);
  EXPECT_FALSE(*store_->contains(id_, hash_of("abc")));
  EXPECT_EQ(query(db_path(), "SELECT count(*) FROM blobs"), "1");
  // Content the store holds already costs nothing; what fits still goes in.
  EXPECT_TRUE(store_->put(id_, bytes_of("12345678"), quota).ok());
  EXPECT_TRUE(store_->put(id_, bytes_of("ab"), quota).ok());
  auto labelled = store_->put_at_label(id_, "l", bytes_of("z"), quota);
  EXPECT_FALSE(labelled.ok());
  EXPECT_FALSE(store_->label_target(id_, "l")->has_value());
}

TEST_F(ContentStoreTest, BadIdsLabelsAndHashesAreRefusedClearly) {
  for (const std::string bad :
       {"..", "", "../etc", "not-a-uuid", "123E4567-E89B-12D3-A456-426614174000", "x/y"}) {
    auto result = store_->put(bad, bytes_of("x"));
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(result.error().message.find("is not a store id"), std::string::npos);
  }
  auto unknown = store_->put("123e4567-e89b-12d3-a456-426614174000", bytes_of("x"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  const std::string hash = *store_->put(id_, bytes_of("x"));
  const std::string nul("a\0b", 3);
  const std::string not_utf8("\xff\xfe");
  for (const std::string& bad :
       {std::string(), nul, not_utf8, std::string(kMaxLabelBytes + 1, 'a')}) {
    auto result = store_->set_label(id_, bad, hash);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(store_->set_label(id_, std::string(kMaxLabelBytes, 'a'), hash).ok());
  for (const std::string& bad :
       {std::string("abc"), std::string(64, 'A'), std::string(63, 'a') + "g"}) {
    auto result = store_->get(id_, bad);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("is not a content hash"), std::string::npos);
  }
}

TEST_F(ContentStoreTest, PathLikeLabelsAreJustLabels) {
  const std::string hash = *store_->put(id_, bytes_of("x"));
  ASSERT_TRUE(store_->set_label(id_, "../../escape", hash).ok());
  EXPECT_EQ(**store_->label_target(id_, "../../escape"), hash);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    files.push_back(entry.path().filename().string());
  for (const std::string& file : files) EXPECT_EQ(file.rfind("store.db", 0), 0u) << file;
  EXPECT_FALSE(std::filesystem::exists(dir_.path().parent_path() / "escape"));
}

TEST_F(ContentStoreTest, TheManifestsStoreKeepsModulesOnceAndLabelsByActor) {
  const Bytes module = bytes_of("\0asm module bytes");
  const std::string module_hash = to_hex(sha256(module));
  ASSERT_TRUE(store_->keep_module(module_hash, module).ok());
  ASSERT_TRUE(store_->keep_module(module_hash, module).ok());
  auto manifest_hash = store_->label_actor_origin("actor-1", "name = \"x\"\n", module_hash);
  ASSERT_TRUE(manifest_hash.ok()) << manifest_hash.error().message;
  EXPECT_EQ(**store_->label_target(std::string(kManifestsStore), "actor-1/module"), module_hash);
  EXPECT_EQ(**store_->label_target(std::string(kManifestsStore), "actor-1/manifest"),
            *manifest_hash);
  EXPECT_EQ(*store_->get(std::string(kManifestsStore), *manifest_hash), bytes_of("name = \"x\"\n"));
  EXPECT_FALSE(store_->label_actor_origin("actor-2", "x", hash_of("never kept")).ok());
}

TEST_F(ContentStoreTest, TheOriginWriterWritesEveryQueuedOriginByFlush) {
  const Bytes module = bytes_of("module");
  const std::string module_hash = to_hex(sha256(module));
  ASSERT_TRUE(store_->keep_module(module_hash, module).ok());
  {
    OriginWriter writer(*store_);
    for (int i = 0; i < 100; ++i) {
      const std::string text = "name = \"a" + std::to_string(i) + "\"\n";
      EXPECT_EQ(writer.queue("actor-" + std::to_string(i), text, module_hash), hash_of(text));
    }
    ASSERT_TRUE(writer.flush().ok());
    EXPECT_EQ(**store_->label_target(std::string(kManifestsStore), "actor-99/module"), module_hash);
    writer.queue("late", "x", module_hash);
  }  // the destructor flushes
  EXPECT_EQ(**store_->label_target(std::string(kManifestsStore), "late/manifest"), hash_of("x"));
  OriginWriter failing(*store_);
  failing.queue("orphan", "y", hash_of("never kept"));
  EXPECT_FALSE(failing.flush().ok());
}

TEST_F(ContentStoreTest, ReopenedStoreHasEverythingAndTheFileIsSound) {
  const std::string hash = *store_->put_at_label(id_, "kept", bytes_of("durable"));
  store_.reset();
  auto reopened = ContentStore::open(db_path());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(**(*reopened)->label_target(id_, "kept"), hash);
  EXPECT_EQ(*(*reopened)->get(id_, hash), bytes_of("durable"));
  EXPECT_EQ(query(db_path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query(db_path(), "PRAGMA integrity_check"), "ok");
  auto stores = (*reopened)->list_stores();
  ASSERT_TRUE(stores.ok());
  ASSERT_EQ(stores->size(), 2u);  // manifests and ours
  EXPECT_EQ((*stores)[0].id, "manifests");
  EXPECT_EQ((*stores)[1].id, id_);
  EXPECT_EQ((*stores)[1].labels, 1u);
}

}  // namespace
}  // namespace theater::store
