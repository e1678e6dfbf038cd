// write-file's atomic replace under kill -9: a writer process replacing a
// file in a loop is killed at a random moment; the file holds the old or the
// new content, never a part of either.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "../../support/temp_dir.h"
#include "handlers/filesystem/beneath.h"

namespace theater::handlers {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AtomicWrite, KillNineDuringAWriteLoopLeavesOldOrNewContent) {
  test_support::TempDir dir;
  const std::vector<std::uint8_t> a(1 << 20, 'a'), b(1 << 20, 'b');
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < 20; ++round) {
    const int parent = ::open(dir.str().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(parent, 0);
    ASSERT_TRUE(beneath::write_file_atomically(parent, "file", a, "file").ok());
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t writer = ::fork();
    ASSERT_GE(writer, 0);
    if (writer == 0) {
      (void)::write(ready[1], "x", 1);
      for (int i = 0;; ++i)
        (void)beneath::write_file_atomically(parent, "file", i % 2 ? a : b, "file");
    }
    char byte;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    // Somewhere inside a write of about a millisecond's length.
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 20000));
    ::kill(writer, SIGKILL);
    ::waitpid(writer, nullptr, 0);
    ::close(ready[0]);
    ::close(ready[1]);
    ::close(parent);
    const std::string content = slurp(dir.file("file"));
    ASSERT_TRUE(content == std::string(a.begin(), a.end()) ||
                content == std::string(b.begin(), b.end()))
        << "round " << round << ": " << content.size() << " bytes";
  }
}

}  // namespace
}  // namespace theater::handlers
