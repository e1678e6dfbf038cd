// A child's filesystem grant narrows against its parent's: its roots must
// lie under the parent's roots, its writable roots under the parent's
// writable ones (so read-only can be added, never taken away), and
// max_file_size can only go down.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../../support/temp_dir.h"
#include "config/effective_permissions.h"
#include "config/manifest.h"
#include "handlers/filesystem/filesystem_config.h"

namespace theater::handlers {
namespace {

using ::testing::HasSubstr;

class Narrowing : public ::testing::Test {
 protected:
  Narrowing() {
    (void)schemas_.add(filesystem_schema());
    std::filesystem::create_directories(dir_.path() / "data" / "sub");
    std::filesystem::create_directories(dir_.path() / "assets");
    std::filesystem::create_directories(dir_.path() / "other");
    dir_.write("x.wasm", "");  // the manifest's component must exist; it is never loaded
  }
  Result<config::EffectivePermissions> child_of(const config::EffectivePermissions& parent,
                                                const std::string& keys) {
    THEATER_ASSIGN_OR_RETURN(
        config::Manifest manifest,
        config::parse_manifest_string(
            "name = \"n\"\ncomponent = \"x.wasm\"\n[[handler]]\ntype = \"filesystem\"\n" + keys,
            dir_.path(), schemas_));
    return config::EffectivePermissions::for_child(parent, manifest, schemas_);
  }
  Result<FilesystemPermissions> view(const config::EffectivePermissions& permissions) {
    THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                             permissions.grant(filesystem_schema()));
    if (!grant) return make_error(ErrorCode::kPermissionDenied, "not granted");
    return FilesystemPermissions::from(*grant);
  }
  config::EffectivePermissions parent() {
    auto parent = child_of(config::EffectivePermissions::root(),
                           "paths = [\"data\", \"assets\"]\nwritable_paths = [\"data\"]\n"
                           "max_file_size = 4096\n");
    EXPECT_TRUE(parent.ok()) << parent.error().message;
    return *parent;
  }

  test_support::TempDir dir_;
  config::HandlerSchemas schemas_;
};

TEST_F(Narrowing, AChildRootMustLieUnderAParentRoot) {
  auto under = child_of(parent(), "paths = [\"data/sub\", \"assets\"]\n");
  ASSERT_TRUE(under.ok()) << under.error().message;
  auto outside = child_of(parent(), "paths = [\"other\"]\n");
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  EXPECT_THAT(outside.error().message, HasSubstr("paths"));
}

TEST_F(Narrowing, ReadOnlyCanBeAddedButNotTakenAway) {
  auto read_only = child_of(parent(), "paths = [\"data\"]\n");
  ASSERT_TRUE(read_only.ok()) << read_only.error().message;
  auto view_of = view(*read_only);
  ASSERT_TRUE(view_of.ok()) << view_of.error().message;
  ASSERT_EQ(view_of->roots.size(), 1u);
  EXPECT_FALSE(view_of->roots[0].writable);

  auto writable = child_of(parent(), "paths = [\"data/sub\"]\nwritable_paths = [\"data/sub\"]\n");
  ASSERT_TRUE(writable.ok()) << writable.error().message;
  auto writable_view = view(*writable);
  ASSERT_TRUE(writable_view.ok());
  EXPECT_TRUE(writable_view->roots[0].writable);

  auto widened = child_of(parent(), "paths = [\"assets\"]\nwritable_paths = [\"assets\"]\n");
  ASSERT_FALSE(widened.ok());
  EXPECT_THAT(widened.error().message, HasSubstr("writable_paths"));
}

TEST_F(Narrowing, MaxFileSizeOnlyGoesDown) {
  auto lower = child_of(parent(), "paths = [\"data\"]\nmax_file_size = 100\n");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(view(*lower)->max_file_size, 100u);
  auto unset = child_of(parent(), "paths = [\"data\"]\n");
  EXPECT_EQ(view(*unset)->max_file_size, 4096u);  // the default, lowered to the parent's
  EXPECT_FALSE(child_of(parent(), "paths = [\"data\"]\nmax_file_size = 5000\n").ok());
}

TEST_F(Narrowing, PathsResolveAgainstTheManifestsFolder) {
  auto granted = view(parent());
  ASSERT_TRUE(granted.ok());
  std::vector<std::string> paths;
  for (const RootGrant& root : granted->roots) paths.push_back(root.path);
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre((dir_.path() / "data").string(),
                                                     (dir_.path() / "assets").string()));
}

TEST_F(Narrowing, AWritableRootOutsidePathsIsRefused) {
  auto granted = child_of(config::EffectivePermissions::root(),
                          "paths = [\"data\"]\nwritable_paths = [\"assets\"]\n");
  ASSERT_TRUE(granted.ok());
  auto refused = view(*granted);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("is not under paths"));
}

}  // namespace
}  // namespace theater::handlers
