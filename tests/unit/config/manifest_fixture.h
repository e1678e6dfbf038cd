// Writes manifests and the files they name into a fresh temp dir.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/manifest.h"
#include "temp_dir.h"

namespace theater::config::testing {

// Two lines, so a key on line N of the text appended to it is on line N + 2.
inline const std::string kHeader = "name = \"test-actor\"\ncomponent = \"actor.wasm\"\n";

class ManifestTest : public ::testing::Test {
 protected:
  ManifestTest() { dir_.write("actor.wasm", "\0asm"); }

  // Writes `text` as <dir>/manifest.toml and parses that file.
  Result<Manifest> parse(const std::string& text) {
    return parse_manifest_file(dir_.write("manifest.toml", text));
  }

  // For expectations on failures: the error message ("" when it parsed).
  std::string error_of(const std::string& text) {
    Result<Manifest> manifest = parse(text);
    return manifest.ok() ? std::string() : manifest.error().message;
  }

  TempDir dir_;
};

}  // namespace theater::config::testing
