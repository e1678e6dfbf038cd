// Effective permissions: inherit, restrict and disallow against a real parent,
// and the rule that a child can never hold more than its parent.
#include "config/effective_permissions.h"
#include "manifest_fixture.h"

namespace theater::config::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PermissionsTest : public ManifestTest {
 protected:
  // The grant of `type`; a test failure (and an empty grant) when there is none.
  static HandlerGrant granted(const EffectivePermissions& permissions, std::string_view type) {
    Result<std::optional<HandlerGrant>> grant = permissions.grant(test_schema(type));
    if (!grant.ok()) ADD_FAILURE() << grant.error().message;
    if (grant.ok() && !grant->has_value()) ADD_FAILURE() << type << " is not granted";
    return grant.ok() && grant->has_value() ? **grant : HandlerGrant{};
  }
  static bool grants(const EffectivePermissions& permissions, std::string_view type) {
    return permissions.grants(test_schema(type));
  }

  // Effective permissions of a manifest (kHeader + text) under `parent`.
  Result<EffectivePermissions> child_of(const EffectivePermissions& parent,
                                        const std::string& text) {
    Result<Manifest> manifest = parse(kHeader + text);
    if (!manifest.ok()) ADD_FAILURE() << "manifest does not parse: " << manifest.error().message;
    if (!manifest.ok()) return manifest.error();
    return EffectivePermissions::for_child(parent, *manifest, test_schemas());
  }

  // A parent that may run tail and cat in <dir>/a, 4 processes at most.
  EffectivePermissions process_parent() {
    Result<EffectivePermissions> parent = child_of(EffectivePermissions::root(), R"(
[[handler]]
type = "process"
allowed_programs = ["/usr/bin/tail", "/usr/bin/cat"]
allowed_paths = ["a"]
max_processes = 4
inherit_env = ["HOME", "LANG"]
[[handler]]
type = "timing"
min_sleep_ms = 10
max_sleep_ms = 1000
)");
    EXPECT_TRUE(parent.ok()) << parent.error().message;
    return *parent;
  }

  std::string tail_ = canonical_path("/usr/bin/tail", "/");
  std::string cat_ = canonical_path("/usr/bin/cat", "/");
};

TEST_F(PermissionsTest, RootGrantsEveryHandlerWithoutLimit) {
  EffectivePermissions root = EffectivePermissions::root();
  for (const HandlerSchema& schema : test_schemas().all()) {
    EXPECT_TRUE(root.grants(schema)) << schema.type;
  }
  EXPECT_TRUE(granted(root, "process").list("allowed_programs").allows("/anything"));
  EXPECT_TRUE(granted(root, "filesystem").list("allowed_paths").allows("/"));
}

TEST_F(PermissionsTest, NothingIsGrantedByOmission) {
  Result<EffectivePermissions> child = child_of(EffectivePermissions::root(), "");
  ASSERT_TRUE(child.ok()) << child.error().message;
  ASSERT_TRUE(grants(*child, "process"));
  const HandlerGrant process = granted(*child, "process");
  EXPECT_FALSE(process.list("allowed_programs").allows(tail_));
  EXPECT_TRUE(process.list("allowed_programs").is_empty());
  EXPECT_EQ(process.number("max_processes"), 16u);
  EXPECT_EQ(process.number("max_output_buffer"), 1024u * 1024u);
  EXPECT_FALSE(granted(*child, "environment").list("allowed_vars").allows("HOME"));
  EXPECT_FALSE(granted(*child, "filesystem").list("allowed_paths").allows("/"));
  EXPECT_EQ(granted(*child, "timing").number("max_sleep_ms"), 3600u * 1000u);
  EXPECT_EQ(granted(*child, "message-server").number("request_timeout_ms"), 30'000u);
  EXPECT_EQ(granted(*child, "supervisor").number("max_children"), 100u);
  EXPECT_EQ(granted(*child, "random").number("max_bytes"), 1024u * 1024u);
}

TEST_F(PermissionsTest, ChildGetsWhatItAsksWithinTheParent) {
  Result<EffectivePermissions> child = child_of(process_parent(), R"(
[[handler]]
type = "process"
allowed_programs = ["/usr/bin/tail"]
allowed_paths = ["a/sub"]
inherit_env = ["HOME"]
)");
  ASSERT_TRUE(child.ok()) << child.error().message;
  const HandlerGrant process = granted(*child, "process");
  EXPECT_TRUE(process.list("allowed_programs").allows(tail_));
  EXPECT_FALSE(process.list("allowed_programs").allows(cat_));
  EXPECT_TRUE(process.list("allowed_paths").allows(dir_.str("a/sub/deeper")));
  EXPECT_FALSE(process.list("allowed_paths").allows(dir_.str("a")));
  EXPECT_TRUE(process.list("inherit_env").allows("HOME"));
  EXPECT_FALSE(process.list("inherit_env").allows("LANG"));
  // Its default of 16 is lowered to the parent's 4 rather than refused.
  EXPECT_EQ(process.number("max_processes"), 4u);
}

TEST_F(PermissionsTest, ChildCannotWidenPrograms) {
  Result<EffectivePermissions> child = child_of(process_parent(), R"(
[[handler]]
type = "process"
allowed_programs = ["/usr/bin/tail", "/usr/bin/curl"]
)");
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ErrorCode::kPermissionDenied);
  EXPECT_THAT(child.error().message,
              HasSubstr("manifest.toml:6: handler process: allowed_programs " +
                        canonical_path("/usr/bin/curl", "/") + " is not allowed by the parent"));

  child =
      child_of(process_parent(), "[[handler]]\ntype = \"process\"\nallowed_programs = [\"*\"]\n");
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message,
              HasSubstr("handler process: allowed_programs * is not allowed"));
}

TEST_F(PermissionsTest, ChildCannotWidenPaths) {
  // A sibling, and an escape through "..", are both outside <dir>/a.
  for (const char* path : {"b", "a/../b", "a2"}) {
    Result<EffectivePermissions> child = child_of(
        process_parent(),
        std::string("[[handler]]\ntype = \"process\"\nallowed_paths = [\"") + path + "\"]\n");
    ASSERT_FALSE(child.ok()) << path;
    EXPECT_THAT(child.error().message,
                HasSubstr("handler process: allowed_paths " + canonical_path(path, dir_.path()) +
                          " is not allowed by the parent"));
  }
  // A cwd without allowed_paths asks for that directory.
  Result<EffectivePermissions> child =
      child_of(process_parent(), "[[handler]]\ntype = \"process\"\ncwd = \"/tmp\"\n");
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message, HasSubstr("allowed_paths " + canonical_path("/tmp", "/")));
}

TEST_F(PermissionsTest, ChildCannotWidenNumbers) {
  Result<EffectivePermissions> child =
      child_of(process_parent(), "[[handler]]\ntype = \"process\"\nmax_processes = 8\n");
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message,
              HasSubstr("manifest.toml:5: handler process: max_processes = 8 exceeds the limit "
                        "of 4 set by the parent"));

  child = child_of(process_parent(), "[[handler]]\ntype = \"timing\"\nmin_sleep_ms = 5\n");
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(
      child.error().message,
      HasSubstr("handler timing: min_sleep_ms = 5 is below the minimum of 10 set by the parent"));

  child = child_of(process_parent(), "[[handler]]\ntype = \"timing\"\nmax_sleep_ms = 500\n");
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_EQ(granted(*child, "timing").number("max_sleep_ms"), 500u);
  EXPECT_EQ(granted(*child, "timing").number("min_sleep_ms"), 10u);  // default 0 raised
}

TEST_F(PermissionsTest, InheritIsTheDefaultAndKeepsTheParentsCeiling) {
  Result<EffectivePermissions> child = child_of(process_parent(), R"(
[[handler]]
type = "process"
allowed_programs = ["/usr/bin/cat"]
max_processes = 4
[permission_policy.process]
type = "inherit"
)");
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_TRUE(granted(*child, "process").list("allowed_programs").allows(cat_));
  EXPECT_EQ(granted(*child, "process").number("max_processes"), 4u);
}

TEST_F(PermissionsTest, RestrictNarrowsTheParentsGrant) {
  const std::string policy = R"(
[permission_policy.process]
type = "restrict"
allowed_programs = ["/usr/bin/tail", "/usr/bin/curl"]
max_processes = 100
)";
  // curl is in the restriction but not in the parent: the intersection drops it,
  // and a restriction's 100 cannot raise the parent's 4.
  Result<EffectivePermissions> child = child_of(
      process_parent(),
      "[[handler]]\ntype = \"process\"\nallowed_programs = [\"/usr/bin/tail\"]\n" + policy);
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_TRUE(granted(*child, "process").list("allowed_programs").allows(tail_));
  EXPECT_EQ(granted(*child, "process").number("max_processes"), 4u);

  child =
      child_of(process_parent(),
               "[[handler]]\ntype = \"process\"\nallowed_programs = [\"/usr/bin/cat\"]\n" + policy);
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message,
              HasSubstr("handler process: allowed_programs " + cat_ +
                        " is not allowed by the parent and permission_policy.process"));

  child = child_of(
      process_parent(),
      "[[handler]]\ntype = \"process\"\nallowed_programs = [\"/usr/bin/curl\"]\n" + policy);
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message,
              HasSubstr("allowed_programs " + canonical_path("/usr/bin/curl", "/")));
}

TEST_F(PermissionsTest, RestrictLowersDefaultsAndKeepsPathsInsideTheParents) {
  Result<EffectivePermissions> child = child_of(process_parent(), R"(
[[handler]]
type = "process"
allowed_paths = ["a/x"]
[permission_policy.process]
type = "restrict"
max_processes = 2
allowed_paths = ["/", "a/x", "elsewhere"]
)");
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_EQ(granted(*child, "process").number("max_processes"), 2u);
  EXPECT_THAT(granted(*child, "process").list("allowed_paths").entries(),
              ElementsAre(dir_.str("a/x")));
}

TEST_F(PermissionsTest, DisallowRemovesTheHandler) {
  Result<EffectivePermissions> child =
      child_of(process_parent(), "[permission_policy.process]\ntype = \"disallow\"\n");
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_FALSE(grants(*child, "process"));
  Result<std::optional<HandlerGrant>> process = child->grant(test_schema("process"));
  ASSERT_TRUE(process.ok()) << process.error().message;
  EXPECT_FALSE(process->has_value());
  EXPECT_TRUE(grants(*child, "timing"));
  EXPECT_TRUE(grants(*child, "runtime"));

  child = child_of(
      process_parent(),
      "[[handler]]\ntype = \"process\"\n[permission_policy.process]\ntype = \"disallow\"\n");
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(
      child.error().message,
      HasSubstr("manifest.toml:3: handler process is not granted (permission_policy.process "
                "disallows it)"));
}

TEST_F(PermissionsTest, AHandlerTheParentLacksCannotBeGrantedFurtherDown) {
  Result<EffectivePermissions> parent = child_of(
      EffectivePermissions::root(), "[permission_policy.supervisor]\ntype = \"disallow\"\n");
  ASSERT_TRUE(parent.ok()) << parent.error().message;

  Result<EffectivePermissions> child = child_of(*parent, "");
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_FALSE(grants(*child, "supervisor"));

  child = child_of(*parent, "[[handler]]\ntype = \"supervisor\"\n");
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message,
              HasSubstr("handler supervisor is not granted (the parent does not grant it)"));
}

TEST_F(PermissionsTest, GrandchildNeverGetsMoreThanTheChild) {
  Result<EffectivePermissions> child =
      child_of(process_parent(),
               "[[handler]]\ntype = \"process\"\nallowed_programs = [\"/usr/bin/tail\"]\n");
  ASSERT_TRUE(child.ok()) << child.error().message;

  Result<EffectivePermissions> grandchild =
      child_of(*child, "[[handler]]\ntype = \"process\"\nallowed_programs = [\"/usr/bin/cat\"]\n");
  ASSERT_FALSE(grandchild.ok());  // the parent had cat, the child did not keep it

  grandchild = child_of(*child, "");
  ASSERT_TRUE(grandchild.ok()) << grandchild.error().message;
  EXPECT_FALSE(granted(*grandchild, "process").list("allowed_programs").allows(tail_));
}

TEST_F(PermissionsTest, FilesystemPathBecomesItsAllowedDirectory) {
  Result<EffectivePermissions> child = child_of(
      EffectivePermissions::root(), "[[handler]]\ntype = \"filesystem\"\npath = \"data\"\n");
  ASSERT_TRUE(child.ok()) << child.error().message;
  const AllowList paths = granted(*child, "filesystem").list("allowed_paths");
  EXPECT_TRUE(paths.allows(dir_.str("data/file.txt")));
  EXPECT_FALSE(paths.allows(dir_.str("data2")));
  EXPECT_FALSE(paths.allows(dir_.str()));
}

TEST_F(PermissionsTest, EnvironmentStarInheritsAsStarButChildrenMayNarrowIt) {
  Result<EffectivePermissions> parent =
      child_of(EffectivePermissions::root(),
               "[[handler]]\ntype = \"environment\"\nallowed_vars = [\"*\"]\n");
  ASSERT_TRUE(parent.ok()) << parent.error().message;
  EXPECT_TRUE(granted(*parent, "environment").list("allowed_vars").allows("ANYTHING"));

  Result<EffectivePermissions> child =
      child_of(*parent, "[[handler]]\ntype = \"environment\"\nallowed_vars = [\"HOME\"]\n");
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_TRUE(granted(*child, "environment").list("allowed_vars").allows("HOME"));
  EXPECT_FALSE(granted(*child, "environment").list("allowed_vars").allows("PATH"));
}

TEST_F(PermissionsTest, WithoutSchemasTheGrantIsCheckedWhenAHandlerAsksForIt) {
  Result<Manifest> manifest =
      parse(kHeader + "[[handler]]\ntype = \"process\"\nmax_processes = 8\n");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  Result<EffectivePermissions> child = EffectivePermissions::for_child(process_parent(), *manifest);
  ASSERT_TRUE(child.ok());
  Result<std::optional<HandlerGrant>> process = child->grant(test_schema("process"));
  ASSERT_FALSE(process.ok());
  EXPECT_EQ(process.error().code, ErrorCode::kPermissionDenied);
  EXPECT_THAT(process.error().message,
              HasSubstr("handler process: max_processes = 8 exceeds the limit of 4"));
  EXPECT_FALSE(child->grants(test_schema("process")));
  EXPECT_TRUE(child->grants(test_schema("timing")));
}

TEST_F(PermissionsTest, WithSchemasAnUnknownHandlerTypeIsRefused) {
  Result<Manifest> manifest =
      parse_manifest_file(dir_.write("manifest.toml", kHeader + "[[handler]]\ntype = \"nope\"\n"));
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  Result<EffectivePermissions> child =
      EffectivePermissions::for_child(EffectivePermissions::root(), *manifest, test_schemas());
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(child.error().message,
              HasSubstr("manifest.toml:4: [[handler]] #1: unknown handler type \"nope\" (known: "));
}

}  // namespace
}  // namespace theater::config::testing
