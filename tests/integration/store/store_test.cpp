// The store handler on real actors: every WIT function and its errors,
// dedup across stores, labels, quotas, read-only, the stores permission, bad
// ids and labels, and every value that reached the guest found in its chain.
#include <sqlite3.h>

#include "common/sha256.h"
#include "store_fixture.h"

namespace theater::runtime::testing {
namespace {

std::string hash_of(const std::string& text) {
  return to_hex(
      sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

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

TEST_F(StoreTest, EveryFunctionOfTheWitWorks) {
  auto actor = start();
  ASSERT_TRUE(actor.ok()) << actor.error().message;
  const std::string store = value_of(run(*actor, "new"));
  ASSERT_EQ(store.size(), 36u);
  const std::string hello = hash_of("hello");
  EXPECT_EQ(run(*actor, "store|" + store + "|hello"), "ok:" + hello);
  EXPECT_EQ(run(*actor, "get|" + store + "|" + hello), "ok:hello");
  EXPECT_EQ(run(*actor, "exists|" + store + "|" + hello), "ok:true");
  EXPECT_EQ(run(*actor, "exists|" + store + "|" + hash_of("nope")), "ok:false");
  EXPECT_EQ(run(*actor, "label|" + store + "|greeting|" + hello), "ok");
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|greeting"), "ok:" + hello);
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|missing"), "ok:none");
  const std::string world = hash_of("world");
  EXPECT_EQ(run(*actor, "store-at-label|" + store + "|other|world"), "ok:" + world);
  EXPECT_EQ(run(*actor, "replace-content-at-label|" + store + "|other|again"),
            "ok:" + hash_of("again"));
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|other"), "ok:" + hash_of("again"));
  EXPECT_EQ(run(*actor, "replace-at-label|" + store + "|other|" + world), "ok");
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|other"), "ok:" + world);
  EXPECT_EQ(run(*actor, "list-labels|" + store), "ok:greeting,other");
  std::vector<std::string> hashes{hello, world, hash_of("again")};
  std::sort(hashes.begin(), hashes.end());
  EXPECT_EQ(run(*actor, "list-all-content|" + store),
            "ok:" + hashes[0] + "," + hashes[1] + "," + hashes[2]);
  EXPECT_EQ(run(*actor, "calculate-total-size|" + store), "ok:15");
  EXPECT_EQ(run(*actor, "remove-label|" + store + "|greeting"), "ok");
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|greeting"), "ok:none");
}

TEST_F(StoreTest, MissingContentAndLabelsAreClearErrors) {
  auto actor = start();
  ASSERT_TRUE(actor.ok());
  const std::string store = value_of(run(*actor, "new"));
  const std::string absent = hash_of("absent");
  EXPECT_EQ(run(*actor, "get|" + store + "|" + absent),
            "err:store " + store + " holds no content " + absent);
  const std::string label = run(*actor, "label|" + store + "|l|" + absent);
  EXPECT_TRUE(is_err(label) && label.find("holds no content") != std::string::npos) << label;
  const std::string replace = run(*actor, "replace-at-label|" + store + "|l|" + absent);
  EXPECT_TRUE(is_err(replace)) << replace;
  EXPECT_EQ(run(*actor, "remove-label|" + store + "|l"),
            "err:store " + store + " has no label \"l\"");
  const std::string unknown = run(*actor, "get|123e4567-e89b-12d3-a456-426614174000|" + absent);
  EXPECT_NE(unknown.find("no store 123e4567-e89b-12d3-a456-426614174000"), std::string::npos)
      << unknown;
}

TEST_F(StoreTest, RemoveFromLabelOnlyWhenTheLabelPointsThere) {
  auto actor = start();
  ASSERT_TRUE(actor.ok());
  const std::string store = value_of(run(*actor, "new"));
  const std::string current = value_of(run(*actor, "store-at-label|" + store + "|doc|v2"));
  const std::string old = value_of(run(*actor, "store|" + store + "|v1"));
  const std::string refused = run(*actor, "remove-from-label|" + store + "|doc|" + old);
  EXPECT_TRUE(is_err(refused)) << refused;
  EXPECT_NE(refused.find("points at " + current), std::string::npos) << refused;
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|doc"), "ok:" + current);
  EXPECT_EQ(run(*actor, "remove-from-label|" + store + "|doc|" + current), "ok");
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|doc"), "ok:none");
}

TEST_F(StoreTest, ContentIsKeptOnceAcrossStoresAndActors) {
  auto first = start();
  auto second = start("", "second.toml");
  ASSERT_TRUE(first.ok() && second.ok());
  const std::string a = value_of(run(*first, "new"));
  const std::string b = value_of(run(*second, "new"));
  const std::string big = value_of(run(*first, "store-big|" + a + "|100000"));
  EXPECT_EQ(run(*second, "store-big|" + b + "|100000"), "ok:" + big);
  EXPECT_EQ(query(store::ContentStore::path_in(home_),
                  "SELECT count(*) FROM blobs WHERE hash = '" + big + "'"),
            "1");
  EXPECT_EQ(run(*first, "calculate-total-size|" + a), "ok:100000");
  EXPECT_EQ(run(*second, "calculate-total-size|" + b), "ok:100000");
}

TEST_F(StoreTest, QuotaIsEnforcedBeforeWriting) {
  auto actor = start("max_bytes = 10\n");
  ASSERT_TRUE(actor.ok()) << actor.error().message;
  const std::string store = value_of(run(*actor, "new"));
  EXPECT_EQ(run(*actor, "store|" + store + "|12345678"), "ok:" + hash_of("12345678"));
  const std::string over = run(*actor, "store|" + store + "|abc");
  EXPECT_TRUE(is_err(over)) << over;
  EXPECT_NE(over.find("quota exceeded"), std::string::npos) << over;
  EXPECT_NE(over.find("max_bytes of 10"), std::string::npos) << over;
  EXPECT_EQ(run(*actor, "exists|" + store + "|" + hash_of("abc")), "ok:false");
  EXPECT_TRUE(is_err(run(*actor, "store-at-label|" + store + "|l|abc")));
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|l"), "ok:none");
  EXPECT_EQ(run(*actor, "calculate-total-size|" + store), "ok:8");
}

TEST_F(StoreTest, ReadOnlyRefusesEveryWriteAndAllowsReads) {
  const std::string store = *content_store().create("someone-else");
  const std::string hash = *content_store().put_at_label(store, "seed", Bytes{'s'});
  auto actor = start("stores = [\"" + store + "\"]\nread_only = true\n");
  ASSERT_TRUE(actor.ok()) << actor.error().message;
  EXPECT_EQ(run(*actor, "get|" + store + "|" + hash), "ok:s");
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|seed"), "ok:" + hash);
  for (const std::string& write :
       {std::string("new"), "store|" + store + "|x", "label|" + store + "|l|" + hash,
        "remove-label|" + store + "|seed", "remove-from-label|" + store + "|seed|" + hash,
        "store-at-label|" + store + "|l|x", "replace-content-at-label|" + store + "|l|x",
        "replace-at-label|" + store + "|seed|" + hash}) {
    const std::string answer = run(*actor, write);
    EXPECT_NE(answer.find("permission denied: the actor's store permission is read_only"),
              std::string::npos)
        << write << " -> " << answer;
  }
  EXPECT_EQ(events_of(*actor, "theater:simple/store/permission-denied").size(), 8u);
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|seed"), "ok:" + hash);
}

TEST_F(StoreTest, StoresPermissionDefaultsToTheStoresTheActorCreated) {
  auto owner = start();
  ASSERT_TRUE(owner.ok());
  const std::string own = value_of(run(*owner, "new"));
  const std::string hash = value_of(run(*owner, "store-at-label|" + own + "|l|secret"));

  auto stranger = start("", "stranger.toml");
  ASSERT_TRUE(stranger.ok());
  for (const std::string& call : {"get|" + own + "|" + hash, "list-labels|" + own,
                                  "store|" + own + "|x", "calculate-total-size|" + own}) {
    const std::string answer = run(*stranger, call);
    EXPECT_NE(answer.find("was not created by this actor and is not in its stores permission"),
              std::string::npos)
        << call << " -> " << answer;
  }
  auto denied = events_of(*stranger, "theater:simple/store/permission-denied");
  ASSERT_EQ(denied.size(), 4u);
  EXPECT_EQ(denied[0].second["store"], own);
  EXPECT_EQ(denied[0].second["operation"], "get");

  auto listed = start("stores = [\"" + own + "\"]\n", "listed.toml");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(run(*listed, "get|" + own + "|" + hash), "ok:secret");
  auto everything = start("stores = [\"*\"]\n", "everything.toml");
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(run(*everything, "get-by-label|" + own + "|l"), "ok:" + hash);
  // The manifests store: readable when listed, written by the runtime only.
  EXPECT_TRUE(is_err(run(*stranger, "list-labels|manifests")));
  EXPECT_EQ(run(*everything, "get-by-label|manifests|" + *everything + "/module").size(), 67u);
  EXPECT_NE(run(*everything, "store|manifests|x").find("written by the runtime only"),
            std::string::npos);
}

TEST_F(StoreTest, BadStoreIdsAndLabelsAreRefused) {
  auto actor = start();
  ASSERT_TRUE(actor.ok());
  const std::string store = value_of(run(*actor, "new"));
  const std::string hash = value_of(run(*actor, "store|" + store + "|x"));
  for (const std::string& id :
       {std::string(".."), std::string("../../etc"), std::string("not-a-uuid"), std::string("")}) {
    const std::string answer = run(*actor, "get|" + id + "|" + hash);
    EXPECT_NE(answer.find("is not a store id"), std::string::npos) << id << " -> " << answer;
  }
  EXPECT_NE(run(*actor, "label|" + store + "||" + hash).find("a label may not be empty"),
            std::string::npos);
  EXPECT_NE(run(*actor, "label|" + store + "|a%00b|" + hash).find("contains a NUL byte"),
            std::string::npos);
  EXPECT_NE(run(*actor, "label|" + store + "|" + std::string(1025, 'a') + "|" + hash)
                .find("longer than 1024 bytes"),
            std::string::npos);
  EXPECT_EQ(run(*actor, "label|" + store + "|" + std::string(1024, 'a') + "|" + hash), "ok");
  EXPECT_NE(run(*actor, "get|" + store + "|ABC").find("is not a content hash"), std::string::npos);
  // A path-like label is only a label: nothing appears beside the store.
  EXPECT_EQ(run(*actor, "label|" + store + "|../../escape|" + hash), "ok");
  EXPECT_EQ(run(*actor, "get-by-label|" + store + "|../../escape"), "ok:" + hash);
  EXPECT_FALSE(std::filesystem::exists(home_.parent_path() / "escape"));
  EXPECT_FALSE(std::filesystem::exists(home_ / "escape"));
}

TEST_F(StoreTest, EveryValueThatReachedTheGuestIsInItsChain) {
  auto actor = start();
  ASSERT_TRUE(actor.ok());
  const std::string store = value_of(run(*actor, "new"));
  const std::string hash = value_of(run(*actor, "store-at-label|" + store + "|l|payload"));
  const std::string big = value_of(run(*actor, "store-big|" + store + "|100000"));
  ASSERT_EQ(run(*actor, "get|" + store + "|" + hash), "ok:payload");
  ASSERT_EQ(run(*actor, "get|" + store + "|" + big).size(), 3u + 100000u);
  ASSERT_EQ(run(*actor, "exists|" + store + "|" + hash), "ok:true");
  ASSERT_EQ(run(*actor, "get-by-label|" + store + "|l"), "ok:" + hash);
  ASSERT_EQ(run(*actor, "list-labels|" + store), "ok:l");
  ASSERT_EQ(run(*actor, "calculate-total-size|" + store), "ok:100007");
  ASSERT_TRUE(is_err(run(*actor, "remove-label|" + store + "|nothing")));

  std::map<std::string, std::vector<nlohmann::json>> by_type;
  for (auto& [type, data] : events_of(*actor, "theater:simple/store/"))
    by_type[type].push_back(data);
  const std::string p = "theater:simple/store/";
  EXPECT_EQ(by_type[p + "new"].at(0)["ok"], store);
  EXPECT_EQ(by_type[p + "store-at-label"].at(0)["ok"], hash);
  EXPECT_EQ(by_type[p + "store"].at(0)["ok"], big);
  const auto& gets = by_type[p + "get"];
  ASSERT_EQ(gets.size(), 2u);
  const std::vector<uint8_t> payload{'p', 'a', 'y', 'l', 'o', 'a', 'd'};
  ASSERT_TRUE(gets[0]["ok"].is_binary());
  EXPECT_EQ(gets[0]["ok"].get_binary(), payload);
  // Large content: by hash and size; the store keeps it (nothing is deleted).
  EXPECT_EQ(gets[1]["ok"]["content_sha256"], big);
  EXPECT_EQ(gets[1]["ok"]["content_size"], 100000);
  EXPECT_EQ(content_store().get(store, big)->size(), 100000u);
  EXPECT_EQ(by_type[p + "exists"].at(0)["ok"], true);
  EXPECT_EQ(by_type[p + "get-by-label"].at(0)["ok"], hash);
  EXPECT_EQ(by_type[p + "list-labels"].at(0)["ok"], nlohmann::json::array({"l"}));
  EXPECT_EQ(by_type[p + "calculate-total-size"].at(0)["ok"], 100007);
  EXPECT_NE(by_type[p + "remove-label"].at(0)["error"].get<std::string>().find("has no label"),
            std::string::npos);
}

}  // namespace
}  // namespace theater::runtime::testing
