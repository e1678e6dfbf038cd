// Files a manifest names (or is) that must not be read without end: an actor
// can name them through an inline manifest (supervisor.spawn). Found while
// fuzzing the manifest parser (fuzz/README.md): init_state = "/dev/zero"
// read until the host ran out of memory.
#include <filesystem>

#include "manifest_fixture.h"

namespace theater::config::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

TEST_F(ManifestTest, InitStateFromADeviceIsRefusedNotRead) {
  for (const char* device : {"/dev/zero", "/dev/urandom", "/dev/stdin"}) {
    Result<Manifest> manifest = parse(kHeader + "init_state = \"" + device + "\"\n");
    ASSERT_FALSE(manifest.ok()) << device;
    EXPECT_EQ(manifest.error().code, ErrorCode::kInvalidArgument) << device;
    EXPECT_THAT(manifest.error().message,
                AllOf(HasSubstr("manifest.toml:3: init_state"), HasSubstr("not a regular file")));
  }
}

TEST_F(ManifestTest, InitStateFileOverTheLimitIsRefusedNotRead) {
  const std::string big = dir_.str("big.json");
  std::filesystem::resize_file(dir_.write("big.json", "["), (16u << 20) + 1);  // sparse
  Result<Manifest> manifest = parse(kHeader + "init_state = \"big.json\"\n");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(manifest.error().message,
              AllOf(HasSubstr("manifest.toml:3: init_state"), HasSubstr(big),
                    HasSubstr("16777217 bytes, over the limit of 16777216")));
}

TEST_F(ManifestTest, ManifestThatIsADeviceIsRefusedNotRead) {
  Result<Manifest> manifest = parse_manifest_file("/dev/zero");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(manifest.error().message, HasSubstr("/dev/zero is not a regular file"));
}

}  // namespace
}  // namespace theater::config::testing
