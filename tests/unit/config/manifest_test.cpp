// Manifests that parse: every key lands where handlers and the runtime read it.
#include <nlohmann/json.hpp>

#include "manifest_fixture.h"

namespace theater::config::testing {
namespace {

using ::testing::ElementsAre;

const std::string kFullManifest = R"(
name = "log-tailer"
version = "0.1.0"
description = "Runs tail -f and counts lines"
long_description = "A longer text."
component = "build/tailer.wasm"
save_chain = true

[init_state]
file = "/var/log/syslog"
count = 3
nested = { on = true, ratios = [0.5, 1.5] }

[limits]
init_timeout_ms = 5000
call_timeout_ms = 1000
memory_limit_mb = 64

[[handler]]
type = "runtime"

[[handler]]
type = "process"
allowed_programs = ["/usr/bin/tail", "bin/helper"]
allowed_paths = ["work", "/var/log"]
max_processes = 2
max_output_buffer = 65536
inherit_env = ["HOME", "LANG"]
kill_grace_ms = 500
cwd = "work"

[[handler]]
type = "environment"
allowed_vars = ["HOME"]

[[handler]]
type = "filesystem"
path = "data"

[[handler]]
type = "timing"
max_sleep_ms = 1000
min_sleep_ms = 10

[[handler]]
type = "random"
max_bytes = 4096
seed = 42

[[handler]]
type = "message-server"
request_timeout_ms = 5000
mailbox_size = 10

[[handler]]
type = "supervisor"
max_children = 3

[permission_policy.process]
type = "restrict"
max_processes = 4
inherit_env = ["HOME", "LANG", "PATH"]

[permission_policy.timing]
type = "inherit"

[permission_policy.store]
type = "disallow"
)";

TEST_F(ManifestTest, FullManifestParsesEveryKey) {
  dir_.write("build/tailer.wasm", "\0asm");
  Result<Manifest> parsed = parse(kFullManifest);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Manifest& manifest = *parsed;

  EXPECT_EQ(manifest.name, "log-tailer");
  EXPECT_EQ(manifest.version, "0.1.0");
  EXPECT_EQ(manifest.description, "Runs tail -f and counts lines");
  EXPECT_EQ(manifest.long_description, "A longer text.");
  EXPECT_EQ(manifest.component, dir_.str("build/tailer.wasm"));
  EXPECT_TRUE(manifest.save_chain);
  EXPECT_EQ(manifest.base_dir, dir_.str());

  EXPECT_EQ(manifest.limits.init_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(manifest.limits.call_timeout, std::chrono::milliseconds(1000));
  EXPECT_EQ(manifest.limits.memory_limit_mb, 64u);

  std::vector<std::string> types;
  for (const HandlerEntry& entry : manifest.handlers) types.push_back(entry.type);
  EXPECT_THAT(types, ElementsAre("runtime", "process", "environment", "filesystem", "timing",
                                 "random", "message-server", "supervisor"));

  const HandlerConfig process = config_of(manifest, "process");
  EXPECT_THAT(std::get<AllowList>(process.request.values.at("allowed_programs").value).entries(),
              ElementsAre(dir_.str("bin/helper"), canonical_path("/usr/bin/tail", "/")));
  EXPECT_TRUE(std::get<AllowList>(process.request.values.at("allowed_paths").value)
                  .allows(dir_.str("work/x")));
  EXPECT_EQ(std::get<std::uint64_t>(process.request.values.at("max_processes").value), 2u);
  EXPECT_EQ(std::get<std::uint64_t>(process.request.values.at("max_output_buffer").value), 65536u);
  EXPECT_THAT(std::get<AllowList>(process.request.values.at("inherit_env").value).entries(),
              ElementsAre("HOME", "LANG"));
  EXPECT_EQ(process.settings.duration("kill_grace_ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(process.settings.text("cwd"), dir_.str("work"));
  EXPECT_EQ(config_of(manifest, "filesystem").settings.text("path"), dir_.str("data"));
  EXPECT_EQ(config_of(manifest, "random").settings.number("seed"), 42u);

  EXPECT_EQ(policy_of(manifest, "process").kind, PolicyKind::kRestrict);
  EXPECT_EQ(std::get<std::uint64_t>(
                policy_of(manifest, "process").restriction.values.at("max_processes").value),
            4u);
  EXPECT_EQ(policy_of(manifest, "timing").kind, PolicyKind::kInherit);
  EXPECT_EQ(policy_of(manifest, "store").kind, PolicyKind::kDisallow);
  EXPECT_EQ(policy_of(manifest, "random").kind, PolicyKind::kInherit);  // default
}

TEST_F(ManifestTest, InlineInitStateTableBecomesJson) {
  dir_.write("build/tailer.wasm", "\0asm");
  Result<Manifest> manifest = parse(kFullManifest);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  ASSERT_TRUE(manifest->init_state_json.has_value());
  EXPECT_EQ(nlohmann::json::parse(*manifest->init_state_json),
            nlohmann::json::parse(R"({"file": "/var/log/syslog", "count": 3,
                                      "nested": {"on": true, "ratios": [0.5, 1.5]}})"));
}

TEST_F(ManifestTest, MinimalManifestGetsDefaults) {
  Result<Manifest> manifest = parse(kHeader);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(manifest->version, "");
  EXPECT_FALSE(manifest->save_chain);
  EXPECT_FALSE(manifest->init_state_json.has_value());
  EXPECT_EQ(manifest->limits.init_timeout, std::chrono::milliseconds(60000));
  EXPECT_EQ(manifest->limits.call_timeout, std::chrono::milliseconds(30000));
  EXPECT_FALSE(manifest->limits.memory_limit_mb.has_value());
  EXPECT_TRUE(manifest->handlers.empty());
  const HandlerConfig process = config_of(*manifest, "process");
  EXPECT_EQ(process.settings.duration("kill_grace_ms"), std::chrono::milliseconds(2000));
  EXPECT_FALSE(process.settings.has("cwd"));
  EXPECT_TRUE(process.request.values.empty());
}

TEST_F(ManifestTest, ComponentIsRelativeToTheManifestFolderNotTheWorkingDirectory) {
  dir_.write("actors/echo/echo.wasm", "\0asm");
  std::string path =
      dir_.write("actors/echo/manifest.toml", "name = \"echo\"\ncomponent = \"./echo.wasm\"\n");
  const std::filesystem::path previous_cwd = std::filesystem::current_path();
  std::filesystem::current_path("/");
  Result<Manifest> manifest = parse_manifest_file(path);
  std::filesystem::current_path(previous_cwd);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(manifest->component, dir_.str("actors/echo/echo.wasm"));

  dir_.write("shared/lib.wasm", "\0asm");
  dir_.write("actors/echo/manifest.toml",
             "name = \"echo\"\ncomponent = \"../../shared/lib.wasm\"\n");
  manifest = parse_manifest_file(path);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(manifest->component, dir_.str("shared/lib.wasm"));
}

TEST_F(ManifestTest, InitStateFromAJsonFileNextToTheManifest) {
  dir_.write("state/initial.json", R"({ "counter": 7, "names": ["a", "b"] })");
  Result<Manifest> manifest = parse(kHeader + "init_state = \"state/initial.json\"\n");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(nlohmann::json::parse(manifest->init_state_json.value()),
            nlohmann::json::parse(R"({"counter": 7, "names": ["a", "b"]})"));
}

TEST_F(ManifestTest, InlineManifestResolvesPathsAgainstTheGivenBaseDir) {
  Result<Manifest> manifest = parse_manifest_string(kHeader, dir_.path());
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  EXPECT_EQ(manifest->component, dir_.str("actor.wasm"));
  EXPECT_EQ(manifest->source, "<inline manifest>");
}

TEST_F(ManifestTest, ReferenceIsAPathOrInlineToml) {
  std::string path = dir_.write("m.toml", kHeader);
  Result<Manifest> by_path = parse_manifest_reference("m.toml", dir_.path());
  ASSERT_TRUE(by_path.ok()) << by_path.error().message;
  EXPECT_EQ(by_path->source, path);

  Result<Manifest> inline_toml = parse_manifest_reference(kHeader, dir_.path());
  ASSERT_TRUE(inline_toml.ok()) << inline_toml.error().message;
  EXPECT_EQ(inline_toml->name, "test-actor");

  Result<Manifest> typo = parse_manifest_reference("m.tmol", dir_.path());
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(typo.error().message, ::testing::HasSubstr(dir_.str("m.tmol")));
}

TEST_F(ManifestTest, ProgramAndDirectoryPathsAreCanonicalized) {
  dir_.write("real/tool", "#!/bin/sh\n");
  std::filesystem::create_directory_symlink(dir_.path() / "real", dir_.path() / "link");
  Result<Manifest> manifest = parse(kHeader + R"(
[[handler]]
type = "process"
allowed_programs = ["link/tool"]
allowed_paths = ["link/../real/./sub/"]
)");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  const GrantRequest request = config_of(*manifest, "process").request;
  EXPECT_THAT(std::get<AllowList>(request.values.at("allowed_programs").value).entries(),
              ElementsAre(dir_.str("real/tool")));
  EXPECT_THAT(std::get<AllowList>(request.values.at("allowed_paths").value).entries(),
              ElementsAre(dir_.str("real/sub")));
}

TEST_F(ManifestTest, StarMeansEveryProgram) {
  Result<Manifest> manifest =
      parse(kHeader + "[[handler]]\ntype = \"process\"\nallowed_programs = [\"*\"]\n");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  const GrantRequest request = config_of(*manifest, "process").request;
  EXPECT_TRUE(std::get<AllowList>(request.values.at("allowed_programs").value).is_everything());
}

TEST_F(ManifestTest, EachSettingKindIsReadAndDefaulted) {
  Result<Manifest> manifest = parse(kHeader + R"(
[[handler]]
type = "probe"
label = "first"
data = "sub/../files"
count = 7
interval_ms = 1000
verbose = true
tags = ["a", "b"]
)");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  const SettingValues written = config_of(*manifest, "probe").settings;
  EXPECT_EQ(written.text("label"), "first");
  EXPECT_EQ(written.text("data"), dir_.str("files"));
  EXPECT_EQ(written.number("count"), 7u);
  EXPECT_EQ(written.duration("interval_ms"), std::chrono::milliseconds(1000));
  EXPECT_TRUE(written.flag("verbose"));
  EXPECT_THAT(written.list("tags"), ElementsAre("a", "b"));

  manifest = parse(kHeader + "[[handler]]\ntype = \"probe\"\n");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  const SettingValues defaults = config_of(*manifest, "probe").settings;
  EXPECT_FALSE(defaults.has("label"));  // no default: absent
  EXPECT_FALSE(defaults.has("data"));
  EXPECT_FALSE(defaults.has("tags"));
  EXPECT_EQ(defaults.number("count"), 3u);
  EXPECT_EQ(defaults.duration("interval_ms"), std::chrono::milliseconds(250));
  EXPECT_FALSE(defaults.flag("verbose"));
}

TEST_F(ManifestTest, WithoutSchemasHandlerTablesAreKeptAndReadLater) {
  const std::string text =
      kHeader + "[[handler]]\ntype = \"process\"\nmax_processes = 3\n[[handler]]\ntype = \"x\"\n";
  Result<Manifest> manifest = parse_manifest_file(dir_.write("manifest.toml", text));
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  ASSERT_EQ(manifest->handlers.size(), 2u);
  EXPECT_EQ(manifest->handlers[1].type, "x");
  EXPECT_EQ(std::get<std::uint64_t>(
                config_of(*manifest, "process").request.values.at("max_processes").value),
            3u);
  Status checked = check_handler_tables(*manifest, test_schemas());
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().message,
              ::testing::HasSubstr("manifest.toml:7: [[handler]] #2: unknown handler type \"x\""));
}

}  // namespace
}  // namespace theater::config::testing
