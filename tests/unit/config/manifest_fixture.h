// Writes manifests and the files they name into a fresh temp dir.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/handler_config.h"
#include "config/manifest.h"
#include "temp_dir.h"
#include "test_schemas.h"

namespace theater::config::testing {

// Two lines, so a key on line N of the text appended to it is on line N + 2.
inline const std::string kHeader = "name = \"test-actor\"\ncomponent = \"actor.wasm\"\n";

class ManifestTest : public ::testing::Test {
 protected:
  ManifestTest() { dir_.write("actor.wasm", "\0asm"); }

  // Writes `text` as <dir>/manifest.toml and parses that file against the
  // test schemas.
  Result<Manifest> parse(const std::string& text) {
    return parse_manifest_file(dir_.write("manifest.toml", text), test_schemas());
  }

  // For expectations on failures: the error message ("" when it parsed).
  std::string error_of(const std::string& text) {
    Result<Manifest> manifest = parse(text);
    return manifest.ok() ? std::string() : manifest.error().message;
  }

  // The entry of `type` read against its test schema (the defaults without one).
  static HandlerConfig config_of(const Manifest& manifest, std::string_view type) {
    Result<HandlerConfig> config = read_handler_config(manifest, test_schema(type));
    if (!config.ok()) ADD_FAILURE() << config.error().message;
    return config.ok() ? *config : HandlerConfig{};
  }

  static Policy policy_of(const Manifest& manifest, std::string_view type) {
    Result<Policy> policy = read_policy(manifest, test_schema(type));
    if (!policy.ok()) ADD_FAILURE() << policy.error().message;
    return policy.ok() ? *policy : Policy{};
  }

  TempDir dir_;
};

}  // namespace theater::config::testing
