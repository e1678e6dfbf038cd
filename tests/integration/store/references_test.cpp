// store:// references where a manifest takes a file (component, init_state,
// a supervisor's child manifest), and the manifests store every actor's
// manifest and module are kept in.
#include <fstream>
#include <iterator>

#include "../supervisor/supervisor_fixture.h"
#include "store/content_store.h"

namespace theater::runtime::testing {
namespace {

Bytes file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class StoreReferenceTest : public SupervisorTest {
 protected:
  void TearDown() override {
    store_.reset();
    SupervisorTest::TearDown();
  }
  store::ContentStore& content_store() {
    if (!store_)
      store_ = std::move(*store::ContentStore::open(store::ContentStore::path_in(home_)));
    return *store_;
  }
  std::unique_ptr<store::ContentStore> store_;
};

TEST_F(StoreReferenceTest, ComponentAndInitStateComeFromTheStore) {
  const std::string store = *content_store().create("test");
  ASSERT_TRUE(content_store()
                  .put_at_label(store, "worker.wasm", file_bytes(guest("supervisor_worker_actor")))
                  .ok());
  const std::string state = "\"from the store\"";
  const std::string state_hash = *content_store().put(store, Bytes(state.begin(), state.end()));
  write("stored.toml", "name = \"stored\"\ncomponent = \"store://" + store +
                           "/worker.wasm\"\ninit_state = \"store://" + store + "/hash/" +
                           state_hash + "\"\n");
  auto manifest = config::parse_manifest_file(home_ / "stored.toml", runtime_->handler_schemas());
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  auto id = runtime_->spawn(*manifest);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(state_text(*id), state);
}

TEST_F(StoreReferenceTest, AMissingReferenceStopsTheSpawnClearly) {
  const std::string store = *content_store().create("test");
  write("missing.toml", "name = \"missing\"\ncomponent = \"store://" + store + "/nothing\"\n");
  auto manifest = config::parse_manifest_file(home_ / "missing.toml", runtime_->handler_schemas());
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  auto id = runtime_->spawn(*manifest);
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.error().message.find("has no label \"nothing\""), std::string::npos)
      << id.error().message;
}

TEST_F(StoreReferenceTest, EveryActorsManifestAndModuleAreKeptUnderItsId) {
  write_worker();
  auto manifest = config::parse_manifest_file(home_ / "worker.toml", runtime_->handler_schemas());
  ASSERT_TRUE(manifest.ok());
  auto first = runtime_->spawn(*manifest);
  auto second = runtime_->spawn(*manifest);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(runtime_->flush_events().ok());  // origins are written off the spawn path
  const std::string manifests(store::kManifestsStore);
  for (const std::string& id : {*first, *second}) {
    auto module_hash = content_store().label_target(manifests, id + "/module");
    ASSERT_TRUE(module_hash.ok() && module_hash->has_value());
    EXPECT_EQ(*content_store().get(manifests, **module_hash),
              file_bytes(guest("supervisor_worker_actor")));
    auto manifest_hash = content_store().label_target(manifests, id + "/manifest");
    ASSERT_TRUE(manifest_hash.ok() && manifest_hash->has_value());
    const Bytes text = *content_store().get(manifests, **manifest_hash);
    EXPECT_EQ(std::string(text.begin(), text.end()), manifest->text);
    // The chain names both by hash.
    auto loads = events_of(id, "theater-runtime/actor-load");
    ASSERT_EQ(loads.size(), 1u);
    EXPECT_EQ(loads[0]["module_sha256"], **module_hash);
    EXPECT_EQ(loads[0]["manifest_sha256"], **manifest_hash);
  }
  // One module, one manifest text, however many actors.
  EXPECT_EQ(content_store().contents(manifests)->size(), 2u);
}

TEST_F(StoreReferenceTest, ASupervisorSpawnsAChildFromAStoredManifest) {
  const std::string store = *content_store().create("test");
  const std::string text =
      "name = \"stored-child\"\ncomponent = \"" + guest("supervisor_worker_actor") + "\"\n";
  ASSERT_TRUE(content_store().put_at_label(store, "child", Bytes(text.begin(), text.end())).ok());
  auto sup = start_supervisor("");
  ASSERT_TRUE(sup.ok()) << sup.error().message;
  const std::string child = answered_id(send(*sup, "spawn:store://" + store + "/child"));
  ASSERT_FALSE(child.empty());
  EXPECT_TRUE(running(child));
  const std::string missing = send(*sup, "spawn:store://" + store + "/absent");
  EXPECT_NE(missing.find("has no label \"absent\""), std::string::npos) << missing;
}

}  // namespace
}  // namespace theater::runtime::testing
