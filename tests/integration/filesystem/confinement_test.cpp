// Nothing leaves a root: "..", absolute paths, symbolic links out of it, and a
// link swapped in by a racing thread while the guest reads.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <stdio.h>

#include <atomic>
#include <thread>

#include "fs_fixture.h"

namespace theater::filesystem_tests {
namespace {

using ::testing::HasSubstr;

void expect_refused(const Reply& reply, const std::string& why) {
  EXPECT_FALSE(reply.ok);
  EXPECT_THAT(reply.payload, HasSubstr("permission denied"));
  EXPECT_THAT(reply.payload, HasSubstr(why));
  EXPECT_THAT(reply.payload, ::testing::Not(HasSubstr("OUTSIDE SECRET")));
}

TEST_F(FilesystemTest, DotDotAndAbsolutePathsAreRefused) {
  ASSERT_PROBE(probe, kWritableData);
  expect_refused(probe.read("data/../outside/secret"), "'..' is refused");
  expect_refused(probe.read("data/sub/../../outside/secret"), "'..' is refused");
  expect_refused(probe.read(dir("outside/secret").string()), "absolute paths are refused");
  expect_refused(probe.write("data/../outside/secret", "x"), "'..' is refused");
  expect_refused(probe.request("delete-file", "/" + dir("outside/secret").string()),
                 "absolute paths");
  EXPECT_EQ(slurp("outside/secret"), "OUTSIDE SECRET");
  auto denied = probe.events(kDenied);
  ASSERT_EQ(denied.size(), 5u);
  EXPECT_EQ(denied[0].at("operation"), "read-file");
  EXPECT_EQ(denied[0].at("path"), "data/../outside/secret");
  EXPECT_THAT(denied[0].at("reason").get<std::string>(), HasSubstr("'..'"));
}

TEST_F(FilesystemTest, SymbolicLinksOutOfTheRootAreRefused) {
  ASSERT_PROBE(probe, kWritableData);
  std::filesystem::create_directory_symlink(dir("outside"), dir("data/out-dir"));
  std::filesystem::create_symlink(dir("outside/secret"), dir("data/out-file"));
  std::filesystem::create_symlink("../outside/secret", dir("data/relative-out"));
  std::filesystem::create_symlink("/proc/self/root/" + dir("outside/secret").string(),
                                  dir("data/magic"));
  for (const char* path : {"data/out-dir/secret", "data/out-file", "data/relative-out"}) {
    expect_refused(probe.read(path), "leaves its root");
  }
  expect_refused(probe.read("data/magic"), "leaves its root");
  expect_refused(probe.list("data/out-dir"), "leaves its root");
  expect_refused(probe.exists("data/out-dir/secret"), "leaves its root");
  expect_refused(probe.write("data/out-dir/secret", "x"), "leaves its root");
  expect_refused(probe.request("create-dir", "data/out-dir/made"), "leaves its root");
  EXPECT_EQ(slurp("outside/secret"), "OUTSIDE SECRET");
  EXPECT_FALSE(std::filesystem::exists(dir("outside/made")));

  // Writing over a link replaces the link, never its target.
  EXPECT_TRUE(probe.write("data/out-file", "replaced").ok);
  EXPECT_FALSE(std::filesystem::is_symlink(dir("data/out-file")));
  EXPECT_EQ(slurp("outside/secret"), "OUTSIDE SECRET");
  // Deleting a link deletes the link.
  EXPECT_TRUE(probe.request("delete-file", "data/relative-out").ok);
  EXPECT_TRUE(std::filesystem::exists(dir("outside/secret")));
}

TEST_F(FilesystemTest, SymbolicLinksInsideTheRootWork) {
  ASSERT_PROBE(probe, kWritableData);
  home_.write("data/real/file", "inside");
  std::filesystem::create_directory_symlink("real", dir("data/alias"));
  std::filesystem::create_symlink(dir("data/real/file"), dir("data/absolute-alias"));
  EXPECT_EQ(probe.read("data/alias/file").payload, "inside");
  // An absolute link, even to a place inside the root, is refused: the
  // kernel resolves it from "/", which is not beneath the root.
  EXPECT_FALSE(probe.read("data/absolute-alias").ok);
}

TEST_F(FilesystemTest, ALinkSwappedInByARacingThreadNeverEscapes) {
  ASSERT_PROBE(probe, kWritableData);
  home_.write("data/dir/secret", "inside");
  std::filesystem::create_directory_symlink(dir("outside"), dir("data/swap"));
  const std::string real = dir("data/dir").string(), link = dir("data/swap").string();
  std::atomic<bool> stop{false};
  std::atomic<long> flips{0};
  // "data/dir" is a real directory, then a link to outside, then real again...
  std::thread racer([&] {
    while (!stop) {
      if (::renameat2(AT_FDCWD, real.c_str(), AT_FDCWD, link.c_str(), RENAME_EXCHANGE) == 0)
        ++flips;
    }
  });
  int inside = 0, refused = 0;
  for (int i = 0; i < 1000; ++i) {
    Reply reply = probe.read("data/dir/secret");
    ASSERT_NE(reply.payload, "OUTSIDE SECRET") << "escaped on try " << i;
    if (reply.ok) {
      ASSERT_EQ(reply.payload, "inside");
      ++inside;
    } else {
      ++refused;
    }
  }
  stop = true;
  racer.join();
  EXPECT_GT(flips.load(), 0);
  EXPECT_EQ(inside + refused, 1000);
  // Every read the guest got is in its chain, and none holds the secret.
  auto reads = probe.events("theater:simple/filesystem/read-file");
  int recorded = 0;
  for (const auto& data : reads) {
    if (!data.contains("content")) continue;
    EXPECT_EQ(Probe::content_of(data), "inside");
    ++recorded;
  }
  EXPECT_EQ(recorded, inside);
  std::printf("race: %d reads inside, %d refused, %ld flips\n", inside, refused, flips.load());
}

}  // namespace
}  // namespace theater::filesystem_tests
