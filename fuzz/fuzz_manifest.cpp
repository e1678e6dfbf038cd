// Fuzzes the manifest parser with arbitrary TOML text: parsing must give a
// Manifest or a clean error, checked against handler schemas of every key
// kind (the config tests' stand-ins), and a parsed manifest must go through
// the permission derivation (as a child of the root, then of itself) and
// every handler's grant and settings the same way.
//
// Relative paths resolve against a scratch folder holding the files the seed
// manifests name, so the fuzzer reaches past the `component` check.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "config/effective_permissions.h"
#include "config/handler_config.h"
#include "config/manifest.h"
#include "test_schemas.h"

namespace {

namespace fs = std::filesystem;
using theater::config::EffectivePermissions;

void write_file(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// The folder manifests resolve against, with the files fuzz/corpus/fuzz_manifest
// names; removed when the fuzzer exits.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "theater-fuzz-manifest-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
    write_file(path_ / "actor.wasm", std::string_view("\0asm", 4));
    write_file(path_ / "build/tailer.wasm", std::string_view("\0asm", 4));
    write_file(path_ / "state.json", R"({"counter": 7, "names": ["a", "b"]})");
    write_file(path_ / "state/initial.json", "[1, 2.5, null, {\"x\": true}]");
    fs::create_directories(path_ / "work");
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ScratchFolder folder;
  const std::string_view toml(reinterpret_cast<const char*>(data), size);
  const auto& schemas = theater::config::testing::test_schemas();
  auto manifest = theater::config::parse_manifest_string(toml, folder.path(), schemas, "fuzz.toml");
  if (!manifest.ok()) return 0;
  auto child = EffectivePermissions::for_child(EffectivePermissions::root(), *manifest, schemas);
  if (!child.ok()) return 0;
  auto grandchild = EffectivePermissions::for_child(*child, *manifest, schemas);
  for (const auto& schema : schemas.all()) {
    (void)child->grant(schema);
    if (grandchild.ok()) (void)grandchild->grant(schema);
    (void)theater::config::read_handler_config(*manifest, schema);
  }
  return 0;
}
