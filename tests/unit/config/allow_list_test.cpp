#include "config/allow_list.h"

#include <gtest/gtest.h>

#include "config/paths.h"

namespace theater::config {
namespace {

TEST(AllowListTest, PathsMatchTheDirectoryAndBelowButNotSiblingPrefixes) {
  AllowList paths = AllowList::of(Matching::kPathPrefix, {"/data"});
  EXPECT_TRUE(paths.allows("/data"));
  EXPECT_TRUE(paths.allows("/data/x/y"));
  EXPECT_FALSE(paths.allows("/data2"));
  EXPECT_FALSE(paths.allows("/"));
}

TEST(AllowListTest, NamesMatchExactly) {
  AllowList names = AllowList::of(Matching::kExactName, {"HOME"});
  EXPECT_TRUE(names.allows("HOME"));
  EXPECT_FALSE(names.allows("HOMEX"));
  EXPECT_FALSE(names.allows("HOME/x"));
}

TEST(AllowListTest, IntersectionOfPathsKeepsTheNarrowerSide) {
  AllowList parent = AllowList::of(Matching::kPathPrefix, {"/a", "/b/c"});
  AllowList child = AllowList::of(Matching::kPathPrefix, {"/a/x", "/b", "/z"});
  AllowList both = parent.intersect(child);
  EXPECT_EQ(both.entries(), (std::vector<std::string>{"/a/x", "/b/c"}));
}

TEST(AllowListTest, EverythingIsNeutralForIntersectionAndNothingFitsInsideNothing) {
  AllowList any = AllowList::everything(Matching::kExactName);
  AllowList some = AllowList::of(Matching::kExactName, {"A", "B"});
  EXPECT_EQ(any.intersect(some), some);
  EXPECT_EQ(some.first_not_allowed(any), "*");
  EXPECT_EQ(AllowList::nothing(Matching::kExactName).first_not_allowed(some), "A");
  EXPECT_EQ(some.first_not_allowed(AllowList::nothing(Matching::kExactName)), std::nullopt);
}

TEST(PathsTest, CanonicalPathResolvesDotDotAndRelativeParts) {
  EXPECT_EQ(canonical_path("x/../y", "/nonexistent-base"), "/nonexistent-base/y");
  EXPECT_EQ(canonical_path("/nonexistent-root/a/./b/", "/"), "/nonexistent-root/a/b");
  EXPECT_TRUE(is_within("/anything", "/"));
}

}  // namespace
}  // namespace theater::config
