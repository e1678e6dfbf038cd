// Manifests that must be refused, and what the user is told: the file, the
// line, the key and the offending value.
#include "manifest_fixture.h"

namespace theater::config::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

TEST_F(ManifestTest, MissingManifestFileNamesItsPath) {
  Result<Manifest> manifest = parse_manifest_file(dir_.path() / "nope.toml");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(manifest.error().message, HasSubstr(dir_.str("nope.toml")));
}

TEST_F(ManifestTest, MissingComponentNamesTheKeyThePathAndTheLine) {
  Result<Manifest> manifest = parse("name = \"a\"\n\ncomponent = \"build/missing.wasm\"\n");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(manifest.error().message, AllOf(HasSubstr("manifest.toml:3: component"),
                                              HasSubstr(dir_.str("build/missing.wasm"))));
}

TEST_F(ManifestTest, BadTomlReportsItsLine) {
  EXPECT_THAT(error_of(kHeader + "\nmax = = 3\n"),
              AllOf(HasSubstr("manifest.toml:4:"), HasSubstr("invalid TOML")));
}

TEST_F(ManifestTest, UnknownHandlerTypeNamesItAndItsLine) {
  EXPECT_THAT(error_of(kHeader + R"(
[[handler]]
type = "runtime"

[[handler]]
type = "proccess"
)"),
              HasSubstr("manifest.toml:8: [[handler]] #2: unknown handler type \"proccess\" "
                        "(known: runtime, process, message-server, supervisor, store, timing, "
                        "random, environment, filesystem, probe)"));
}

TEST_F(ManifestTest, MissingNameIsRefused) {
  EXPECT_THAT(error_of("component = \"actor.wasm\"\n"), HasSubstr("missing required key \"name\""));
  EXPECT_THAT(error_of("name = \"\"\ncomponent = \"actor.wasm\"\n"),
              HasSubstr("manifest.toml:1: name must not be empty"));
}

TEST_F(ManifestTest, MissingComponentKeyIsRefused) {
  EXPECT_THAT(error_of("name = \"a\"\n"), HasSubstr("missing required key \"component\""));
}

TEST_F(ManifestTest, WrongValueTypesNameTheKeyTheValueAndTheLine) {
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"process\"\nmax_processes = \"ten\"\n"),
              HasSubstr("manifest.toml:5: [[handler]] #1 (process): max_processes must be an "
                        "integer, got string \"ten\""));
  EXPECT_THAT(error_of(kHeader + "save_chain = \"yes\"\n"),
              HasSubstr("manifest.toml:3: save_chain must be true or false, got string \"yes\""));
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"environment\"\nallowed_vars = \"HOME\"\n"),
              HasSubstr("manifest.toml:5: [[handler]] #1 (environment): allowed_vars must be an "
                        "array of strings, got string \"HOME\""));
  EXPECT_THAT(
      error_of(kHeader + "[limits]\ncall_timeout_ms = 1.5\n"),
      HasSubstr("manifest.toml:4: [limits]: call_timeout_ms must be an integer, got float 1.5"));
  EXPECT_THAT(error_of("name = 5\ncomponent = \"actor.wasm\"\n"),
              HasSubstr("manifest.toml:1: name must be a string, got integer 5"));
}

TEST_F(ManifestTest, WrongSettingValuesNameTheKeyTheValueAndTheLine) {
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"probe\"\nverbose = \"yes\"\n"),
              HasSubstr("manifest.toml:5: [[handler]] #1 (probe): verbose must be true or false, "
                        "got string \"yes\""));
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"probe\"\ncount = 11\n"),
              HasSubstr("manifest.toml:5: [[handler]] #1 (probe): count = 11 is out of range "
                        "[1, 10]"));
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"probe\"\ntags = [\"a\", 1]\n"),
              HasSubstr("manifest.toml:5: [[handler]] #1 (probe): tags entries must be strings"));
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"probe\"\nlabel = 3\n"),
              HasSubstr("label must be a string, got integer 3"));
}

TEST_F(ManifestTest, OutOfRangeNumbersAreRefused) {
  EXPECT_THAT(
      error_of(kHeader + "[[handler]]\ntype = \"process\"\nmax_processes = -1\n"),
      HasSubstr("manifest.toml:5: [[handler]] #1 (process): max_processes = -1 is out of range"));
  EXPECT_THAT(error_of(kHeader + "[limits]\nmemory_limit_mb = 5000\n"),
              HasSubstr("memory_limit_mb = 5000 is out of range [1, 4096]"));
}

TEST_F(ManifestTest, BadPermissionPolicyTypeIsRefused) {
  EXPECT_THAT(error_of(kHeader + "\n[permission_policy.process]\ntype = \"allow\"\n"),
              HasSubstr("manifest.toml:5: permission_policy.process: type must be \"inherit\", "
                        "\"restrict\" or \"disallow\", got \"allow\""));
  EXPECT_THAT(error_of(kHeader + "[permission_policy.proces]\ntype = \"inherit\"\n"),
              HasSubstr("manifest.toml:3: permission_policy.proces: unknown handler type"));
  EXPECT_THAT(error_of(kHeader + "[permission_policy.process]\nmax_processes = 2\n"),
              HasSubstr("permission_policy.process: missing required key \"type\""));
  EXPECT_THAT(error_of(kHeader + "[permission_policy.runtime]\ntype = \"disallow\"\n"),
              HasSubstr("the runtime handler is always granted"));
}

TEST_F(ManifestTest, PermissionKeysOnlyComeWithRestrict) {
  EXPECT_THAT(
      error_of(kHeader + "[permission_policy.process]\ntype = \"inherit\"\nmax_processes = 2\n"),
      HasSubstr("manifest.toml:5: permission_policy.process: max_processes is only allowed "
                "with type = \"restrict\""));
  EXPECT_THAT(
      error_of(kHeader + "[permission_policy.process]\ntype = \"restrict\"\nkill_grace_ms = 2\n"),
      HasSubstr("manifest.toml:5: permission_policy.process: unknown key \"kill_grace_ms\""));
}

TEST_F(ManifestTest, TyposInKeysAreErrorsNotSilentDefaults) {
  EXPECT_THAT(error_of(kHeader + "nmae = \"x\"\n"),
              HasSubstr("manifest.toml:3: unknown key \"nmae\" (known keys: name,"));
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"process\"\nmax_proceses = 3\n"),
              HasSubstr("manifest.toml:5: [[handler]] #1 (process): unknown key \"max_proceses\""));
  EXPECT_THAT(error_of(kHeader + "[[handlers]]\ntype = \"process\"\n"),
              HasSubstr("unknown key \"handlers\""));
  EXPECT_THAT(error_of(kHeader + "[limits]\ncall_timeout = 3\n"),
              HasSubstr("manifest.toml:4: [limits]: unknown key \"call_timeout\""));
}

TEST_F(ManifestTest, DuplicateHandlerTypeIsRefused) {
  EXPECT_THAT(
      error_of(kHeader + "[[handler]]\ntype = \"timing\"\n[[handler]]\ntype = \"timing\"\n"),
      HasSubstr("manifest.toml:6: [[handler]] #2: duplicate handler type \"timing\" "
                "(first at line 3)"));
}

TEST_F(ManifestTest, InitStateErrorsNameTheFile) {
  EXPECT_THAT(error_of(kHeader + "init_state = \"absent.json\"\n"),
              AllOf(HasSubstr("manifest.toml:3: init_state"), HasSubstr(dir_.str("absent.json"))));
  dir_.write("broken.json", "{ \"a\": ");
  EXPECT_THAT(error_of(kHeader + "init_state = \"broken.json\"\n"),
              AllOf(HasSubstr("manifest.toml:3: init_state"), HasSubstr(dir_.str("broken.json")),
                    HasSubstr("not valid JSON")));
  EXPECT_THAT(error_of(kHeader + "init_state = 3\n"),
              HasSubstr("manifest.toml:3: init_state must be a table or the path of a JSON file"));
  EXPECT_THAT(error_of(kHeader + "[init_state]\nratio = nan\n"),
              HasSubstr("init_state.ratio is nan, which JSON cannot hold"));
}

TEST_F(ManifestTest, ProgramsMustBePathsAndStarMustStandAlone) {
  EXPECT_THAT(
      error_of(kHeader + "[[handler]]\ntype = \"process\"\nallowed_programs = [\"tail\"]\n"),
      HasSubstr("manifest.toml:5: [[handler]] #1 (process): allowed_programs entry \"tail\" "
                "must be a path"));
  EXPECT_THAT(
      error_of(kHeader +
               "[[handler]]\ntype = \"process\"\nallowed_programs = [\"*\", \"/bin/ls\"]\n"),
      HasSubstr("\"*\" must be the only entry of allowed_programs"));
  EXPECT_THAT(error_of(kHeader + "[[handler]]\ntype = \"process\"\ninherit_env = [\"A=B\"]\n"),
              HasSubstr("inherit_env entry \"A=B\" is not a variable name"));
}

TEST_F(ManifestTest, WorkingDirectoryMustLieInsideAllowedPaths) {
  EXPECT_THAT(
      error_of(
          kHeader +
          "[[handler]]\ntype = \"process\"\nallowed_paths = [\"work\"]\ncwd = \"work/../other\"\n"),
      AllOf(HasSubstr("manifest.toml:6: [[handler]] #1 (process): cwd " + dir_.str("other") +
                      " is not inside allowed_paths")));
}

TEST_F(ManifestTest, ContradictorySleepRangeIsRefused) {
  EXPECT_THAT(
      error_of(kHeader + "[[handler]]\ntype = \"timing\"\nmax_sleep_ms = 5\nmin_sleep_ms = 10\n"),
      HasSubstr(
          "manifest.toml:6: [[handler]] #1 (timing): min_sleep_ms = 10 is above max_sleep_ms = 5"));
}

TEST_F(ManifestTest, InlineManifestErrorsNameTheInlineSource) {
  Result<Manifest> manifest = parse_manifest_string("name = \"a\"\ncomponent = 3\n", dir_.path());
  ASSERT_FALSE(manifest.ok());
  EXPECT_THAT(manifest.error().message,
              HasSubstr("<inline manifest>:2: component must be a string, got integer 3"));
}

}  // namespace
}  // namespace theater::config::testing
