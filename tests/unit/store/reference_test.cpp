#include "store/reference.h"

#include <gtest/gtest.h>

#include "../../support/temp_dir.h"

namespace theater::store {
namespace {

TEST(StoreReference, ParsesTheLabelAndTheHashForms) {
  const std::string id = "123e4567-e89b-12d3-a456-426614174000";
  auto label = parse_reference("store://" + id + "/notes/today");
  ASSERT_TRUE(label.ok()) << label.error().message;
  EXPECT_EQ(label->store_id, id);
  EXPECT_EQ(label->label, "notes/today");
  EXPECT_TRUE(label->hash.empty());
  const std::string hex(64, 'a');
  auto hash = parse_reference("store://manifests/hash/" + hex);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->store_id, "manifests");
  EXPECT_EQ(hash->hash, hex);
}

TEST(StoreReference, RefusesMalformedReferences) {
  for (const std::string bad : {"store://", "store://manifests", "store://manifests/",
                                "store://../x", "store://manifests/hash/xyz", "file:///x"}) {
    EXPECT_FALSE(parse_reference(bad).ok()) << bad;
  }
}

TEST(StoreReference, ResolvesThroughTheStore) {
  test_support::TempDir dir;
  auto store = ContentStore::open(ContentStore::path_in(dir.path()));
  ASSERT_TRUE(store.ok());
  const std::string id = *(*store)->create("someone");
  const Bytes content{'h', 'i'};
  const std::string hash = *(*store)->put_at_label(id, "greeting", content);
  EXPECT_EQ(*resolve(**store, "store://" + id + "/greeting"), content);
  EXPECT_EQ(*resolve(**store, "store://" + id + "/hash/" + hash), content);
  auto missing = resolve(**store, "store://" + id + "/nothing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("has no label \"nothing\""), std::string::npos);
}

}  // namespace
}  // namespace theater::store
