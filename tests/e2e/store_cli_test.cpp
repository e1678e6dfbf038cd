// `theater store` end to end (real binary, real THEATER_HOME), and a crash:
// kill -9 of `theater run` while its actor updates a label in a loop leaves
// the store consistent (the label names content that is there, SQLite's
// integrity check passes).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../support/wait.h"
#include "common/sha256.h"
#include "store/content_store.h"
#include "subprocess.h"

namespace theater::e2e {
namespace {

using std::chrono::seconds;

std::string sha256_hex(const std::string& text) {
  return to_hex(
      sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("theater-store-e2e-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_);
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  std::unique_ptr<Subprocess> theater(std::vector<std::string> args) {
    args.insert(args.begin(), THEATER_BIN);
    return std::make_unique<Subprocess>(args,
                                        std::vector<std::string>{"THEATER_HOME=" + home_.string()});
  }
  // Runs a command to its end: {exit code, output}.
  std::pair<int, std::string> run(std::vector<std::string> args) {
    auto cli = theater(std::move(args));
    const int code = cli->wait();
    return {code, cli->output()};
  }
  std::string new_store() {
    auto [code, out] = run({"store", "new"});
    EXPECT_EQ(code, 0) << out;
    return trimmed(out);
  }

  std::filesystem::path home_;
};

TEST_F(StoreCliTest, PutGetLabelAndListAStore) {
  const std::string store = new_store();
  ASSERT_EQ(store.size(), 36u) << store;
  std::ofstream(home_ / "note.txt") << "a note";
  auto [put_code, put_out] =
      run({"store", "put", store, (home_ / "note.txt").string(), "--label", "notes/first"});
  ASSERT_EQ(put_code, 0) << put_out;
  const std::string hash = trimmed(put_out);
  EXPECT_EQ(hash, sha256_hex("a note"));

  auto [get_code, content] = run({"store", "get", store, "notes/first"});
  EXPECT_EQ(get_code, 0);
  EXPECT_EQ(content, "a note");
  EXPECT_EQ(run({"store", "get", store, hash}).second, "a note");

  EXPECT_EQ(run({"store", "label", store, "again", hash}).first, 0);
  auto [ls_code, listing] = run({"store", "ls", store});
  EXPECT_EQ(ls_code, 0) << listing;
  EXPECT_NE(listing.find("label " + hash + " again\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("label " + hash + " notes/first\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("content " + hash + " 6\n"), std::string::npos) << listing;
  auto [all_code, stores] = run({"store", "ls"});
  EXPECT_EQ(all_code, 0);
  EXPECT_NE(stores.find("manifests "), std::string::npos) << stores;
  EXPECT_NE(stores.find(store + "  6 bytes  1 contents  2 labels"), std::string::npos) << stores;
}

TEST_F(StoreCliTest, ErrorsAreClearWithTheirExitCodes) {
  EXPECT_EQ(run({"store", "ls"}).first, 1);  // nothing stored yet
  const std::string store = new_store();
  auto [bad_code, bad] = run({"store", "get", "..", "x"});
  EXPECT_EQ(bad_code, 2) << bad;
  EXPECT_NE(bad.find("is not a store id"), std::string::npos) << bad;
  auto [missing_code, missing] = run({"store", "get", store, "nothing"});
  EXPECT_EQ(missing_code, 1);
  EXPECT_NE(missing.find("has no label \"nothing\""), std::string::npos) << missing;
  auto [label_code, label] = run({"store", "label", store, "l", sha256_hex("absent")});
  EXPECT_EQ(label_code, 1);
  EXPECT_NE(label.find("holds no content"), std::string::npos) << label;
  auto [manifests_code, manifests] = run({"store", "put", "manifests", (home_ / "none").string()});
  EXPECT_EQ(manifests_code, 1);
  EXPECT_NE(manifests.find("written by the runtime only"), std::string::npos) << manifests;
  EXPECT_EQ(run({"store", "frobnicate"}).first, 2);
}

TEST_F(StoreCliTest, KillMinus9DuringLabelUpdatesLeavesAConsistentStore) {
  const std::string store = new_store();
  std::ofstream(home_ / "loop.toml")
      << "name = \"label-loop\"\ncomponent = \"" << THEATER_WASM_DIR << "/store_actor.wasm\"\n"
      << "init_state = { loop = \"" << store << "\" }\n"
      << "[[handler]]\ntype = \"store\"\nstores = [\"" << store << "\"]\n";
  for (int round = 0; round < 3; ++round) {
    auto cli = theater({"run", (home_ / "loop.toml").string()});
    ASSERT_TRUE(cli->read_until("actor ", seconds(60))) << cli->output();
    {
      auto watcher = store::ContentStore::open(store::ContentStore::path_in(home_));
      ASSERT_TRUE(watcher.ok()) << watcher.error().message;
      std::optional<std::string> first;
      // Some updates of this run have committed: the label moved.
      ASSERT_TRUE(testing::wait_until(
          [&] {
            auto target = (*watcher)->label_target(store, "counter");
            if (!target.ok() || !*target) return false;
            if (!first) first = **target;
            return **target != *first;
          },
          seconds(60)));
    }
    kill(cli->pid(), SIGKILL);
    EXPECT_EQ(cli->wait(), -SIGKILL);

    auto reopened = store::ContentStore::open(store::ContentStore::path_in(home_));
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    auto target = (*reopened)->label_target(store, "counter");
    ASSERT_TRUE(target.ok() && target->has_value());
    auto content = (*reopened)->get(store, **target);
    ASSERT_TRUE(content.ok()) << content.error().message;
    const std::string value(content->begin(), content->end());
    EXPECT_EQ(value.rfind("value-", 0), 0u) << value;
    EXPECT_EQ(sha256_hex(value), **target);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((home_ / "store.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* check = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok");
  sqlite3_finalize(check);
  sqlite3_close(db);
  // And the CLI reads it.
  auto [code, out] = run({"store", "get", store, "counter"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out.rfind("value-", 0), 0u) << out;
}

}  // namespace
}  // namespace theater::e2e
