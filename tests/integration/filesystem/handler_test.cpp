// Every function of wit/filesystem.wit through a real actor: what it does,
// its errors, the limits, and the chain holding every value the guest got.
#include <gmock/gmock.h>

#include "fs_fixture.h"

namespace theater::filesystem_tests {
namespace {

using ::testing::HasSubstr;

TEST_F(FilesystemTest, EveryFunctionWorksAndIsRecorded) {
  ASSERT_PROBE(probe, kWritableData);
  EXPECT_TRUE(probe.write("data/notes.txt", "first note").ok);
  EXPECT_EQ(slurp("data/notes.txt"), "first note");
  EXPECT_TRUE(probe.write("data/notes.txt", "second").ok);  // replaces
  Reply read = probe.read("data/notes.txt");
  ASSERT_TRUE(read.ok) << read.payload;
  EXPECT_EQ(read.payload, "second");

  EXPECT_TRUE(probe.request("create-dir", "data/sub").ok);
  EXPECT_TRUE(std::filesystem::is_directory(dir("data/sub")));
  EXPECT_TRUE(probe.write("data/sub/inner", "x").ok);
  EXPECT_EQ(probe.list("data").payload, "notes.txt\nsub\n");
  EXPECT_EQ(probe.list("data/sub").payload, "inner\n");
  EXPECT_EQ(probe.exists("data/sub/inner").payload, "true");
  EXPECT_EQ(probe.exists("data/nothing").payload, "false");
  EXPECT_EQ(probe.exists("data").payload, "true");

  EXPECT_TRUE(probe.request("delete-file", "data/sub/inner").ok);
  EXPECT_FALSE(std::filesystem::exists(dir("data/sub/inner")));
  EXPECT_TRUE(probe.request("delete-dir", "data/sub").ok);
  EXPECT_FALSE(std::filesystem::exists(dir("data/sub")));

  auto writes = probe.events("theater:simple/filesystem/write-file");
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].at("path"), "data/notes.txt");
  EXPECT_EQ(Probe::content_of(writes[0]), "first note");
  auto reads = probe.events("theater:simple/filesystem/read-file");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(Probe::content_of(reads[0]), "second");
  auto lists = probe.events("theater:simple/filesystem/list-files");
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_EQ(lists[0].at("entries"), nlohmann::json({"notes.txt", "sub"}));
  auto exists = probe.events("theater:simple/filesystem/path-exists");
  ASSERT_EQ(exists.size(), 3u);
  EXPECT_EQ(exists[1].at("exists"), false);
  EXPECT_EQ(probe.events("theater:simple/filesystem/create-dir").size(), 1u);
  EXPECT_EQ(probe.events("theater:simple/filesystem/delete-file").size(), 1u);
  EXPECT_EQ(probe.events("theater:simple/filesystem/delete-dir").size(), 1u);
  // No temporary file is left after the writes.
  EXPECT_EQ(probe.list("data").payload, "notes.txt\n");
}

TEST_F(FilesystemTest, EachFunctionReportsItsErrors) {
  ASSERT_PROBE(probe, kWritableData);
  home_.write("data/file", "content");
  std::filesystem::create_directories(dir("data/full/child"));

  Reply missing = probe.read("data/missing");
  EXPECT_FALSE(missing.ok);
  EXPECT_THAT(missing.payload, HasSubstr("data/missing"));
  EXPECT_THAT(missing.payload, HasSubstr("no such file"));
  EXPECT_THAT(probe.read("data/full").payload, HasSubstr("not a regular file"));
  EXPECT_FALSE(probe.write("data/no-dir/file", "x").ok);
  EXPECT_FALSE(probe.write("data/full", "x").ok);  // a directory is not replaced
  EXPECT_TRUE(std::filesystem::is_directory(dir("data/full/child")));
  EXPECT_FALSE(probe.list("data/file").ok);
  EXPECT_FALSE(probe.list("data/missing").ok);
  EXPECT_FALSE(probe.request("delete-file", "data/missing").ok);
  EXPECT_FALSE(probe.request("delete-file", "data/full").ok);
  EXPECT_FALSE(probe.request("create-dir", "data/file").ok);
  Reply not_empty = probe.request("delete-dir", "data/full");
  EXPECT_FALSE(not_empty.ok);
  EXPECT_THAT(not_empty.payload, HasSubstr("data/full"));
  EXPECT_FALSE(probe.request("delete-dir", "data/file").ok);
  EXPECT_THAT(probe.request("delete-dir", "data").payload, HasSubstr("granted directory itself"));
  EXPECT_THAT(probe.read("").payload, HasSubstr("empty"));
  EXPECT_THAT(probe.read("elsewhere/file").payload, HasSubstr("names no granted directory"));

  // The failures are in the chain, with the error text the guest got.
  auto reads = probe.events("theater:simple/filesystem/read-file");
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads[0].at("path"), "data/missing");
  EXPECT_EQ(reads[0].at("error"), missing.payload);
  auto denied = probe.events(kDenied);
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(denied.back().at("operation"), "read-file");
  EXPECT_EQ(denied.back().at("path"), "elsewhere/file");
}

TEST_F(FilesystemTest, ReadOnlyRootsRefuseEveryChange) {
  std::filesystem::create_directories(dir("assets/dir"));
  home_.write("assets/logo", "LOGO");
  ASSERT_PROBE(probe, "paths = [\"data\", \"assets\"]\nwritable_paths = [\"data\"]\n");
  EXPECT_EQ(probe.read("assets/logo").payload, "LOGO");
  EXPECT_EQ(probe.list("assets").payload, "dir\nlogo\n");
  for (const auto& [command, path] :
       std::vector<std::pair<std::string, std::string>>{{"write", "assets/logo"},
                                                        {"write", "assets/new"},
                                                        {"delete-file", "assets/logo"},
                                                        {"create-dir", "assets/made"},
                                                        {"delete-dir", "assets/dir"}}) {
    Reply refused = probe.request(command, path, "OVERWRITTEN", command == "write");
    EXPECT_FALSE(refused.ok) << command;
    EXPECT_THAT(refused.payload, HasSubstr("permission denied"));
    EXPECT_THAT(refused.payload, HasSubstr("root 'assets'"));
    EXPECT_THAT(refused.payload, HasSubstr("read-only"));
  }
  EXPECT_EQ(slurp("assets/logo"), "LOGO");
  EXPECT_FALSE(std::filesystem::exists(dir("assets/new")));
  EXPECT_FALSE(std::filesystem::exists(dir("assets/made")));
  EXPECT_TRUE(std::filesystem::exists(dir("assets/dir")));
  EXPECT_EQ(probe.events(kDenied).size(), 5u);
  EXPECT_TRUE(probe.write("data/ok", "fine").ok);  // the other root stays writable
}

TEST_F(FilesystemTest, WithoutWritablePathsEveryRootIsReadOnly) {
  ASSERT_PROBE(probe, "paths = [\"data\"]\n");
  EXPECT_THAT(probe.write("data/x", "x").payload, HasSubstr("read-only"));
  EXPECT_FALSE(std::filesystem::exists(dir("data/x")));
}

TEST_F(FilesystemTest, FilesOverMaxFileSizeAreRefusedBothWays) {
  ASSERT_PROBE(probe, std::string(kWritableData) + "max_file_size = 1024\n");
  home_.write("data/big", std::string(1025, 'b'));
  home_.write("data/exact", std::string(1024, 'e'));
  Reply big = probe.read("data/big");
  EXPECT_FALSE(big.ok);
  EXPECT_THAT(big.payload, HasSubstr("max_file_size 1024"));
  EXPECT_EQ(probe.read("data/exact").payload, std::string(1024, 'e'));

  Reply too_much = probe.write("data/out", std::string(1025, 'w'));
  EXPECT_FALSE(too_much.ok);
  EXPECT_THAT(too_much.payload, HasSubstr("max_file_size 1024"));
  EXPECT_FALSE(std::filesystem::exists(dir("data/out")));
  EXPECT_TRUE(probe.write("data/out", std::string(1024, 'w')).ok);
  EXPECT_EQ(slurp("data/out").size(), 1024u);
}

TEST_F(FilesystemTest, AnActorWithoutPathsReachesNothing) {
  ASSERT_PROBE(probe, "");
  EXPECT_THAT(probe.read("data/x").payload, HasSubstr("granted: none"));
}

TEST_F(FilesystemTest, AMissingRootOrCollidingRootNamesFailTheStart) {
  auto missing = start_probe("paths = [\"nowhere\"]\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("nowhere"));
  std::filesystem::create_directories(dir("a/data"));
  auto colliding = start_probe("paths = [\"data\", \"a/data\"]\n");
  ASSERT_FALSE(colliding.ok());
  EXPECT_THAT(colliding.error().message, HasSubstr("two roots are named 'data'"));
}

TEST_F(FilesystemTest, WritesAreNeverSeenHalfDone) {
  ASSERT_PROBE(probe, std::string(kWritableData) + "max_file_size = 4194304\n");
  const std::string a(1 << 20, 'a'), b(1 << 20, 'b');
  ASSERT_TRUE(probe.write("data/file", a).ok);
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0}, seen{0};
  std::thread reader([&] {
    while (!stop) {
      const std::string content = slurp("data/file");
      if (content != a && content != b) ++torn;
      ++seen;
    }
  });
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(probe.write("data/file", i % 2 ? a : b).ok);
  stop = true;
  reader.join();
  EXPECT_GT(seen.load(), 0);
  EXPECT_EQ(torn.load(), 0) << "a reader saw a partly written file";
}

}  // namespace
}  // namespace theater::filesystem_tests
