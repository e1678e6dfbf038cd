// 10,000 children of one supervisor, started and stopped: nothing is left
// behind (no actor, thread or descriptor).
#include <dirent.h>

#include "supervisor_fixture.h"

namespace theater::runtime::testing {
namespace {

size_t count_entries(const char* dir) {
  size_t n = 0;
  if (DIR* d = opendir(dir)) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

TEST_F(SupervisorTest, TenThousandChildrenStartAndStopWithNothingLeftBehind) {
  write_worker();
  // A first round warms the engine's pools up, so growth after it is a leak.
  auto warm = start_supervisor("");
  ASSERT_TRUE(warm.ok()) << warm.error().message;
  ASSERT_EQ(send(*warm, "spawn-many:100|worker.toml"), "ok:100");
  ASSERT_EQ(send(*warm, "stop-all"), "ok:");
  ASSERT_TRUE(runtime_->stop(*warm).ok());
  ASSERT_TRUE(runtime_->list().empty());
  const size_t threads = count_entries("/proc/self/task");
  const size_t fds = count_entries("/proc/self/fd");

  // One call starts them all: give it time (sanitizer builds are slow).
  auto sup = start_supervisor("", std::nullopt, "[limits]\ncall_timeout_ms = 900000\n");
  ASSERT_TRUE(sup.ok()) << sup.error().message;
  ASSERT_EQ(send(*sup, "spawn-many:10000|worker.toml", seconds(900)), "ok:10000");
  EXPECT_EQ(send(*sup, "list"), "ok:10000");
  EXPECT_EQ(runtime_->list().size(), 10001u);
  ASSERT_EQ(send(*sup, "stop-all", seconds(900)), "ok:");
  EXPECT_EQ(send(*sup, "list"), "ok:0");
  ASSERT_TRUE(runtime_->stop(*sup).ok());

  EXPECT_TRUE(runtime_->list().empty());
  EXPECT_EQ(logs_containing("child-"), 0u);  // its own stops: no notices
  // A few threads may come and go with the engine's elastic pool.
  EXPECT_LE(count_entries("/proc/self/task"), threads + 4);
  EXPECT_LE(count_entries("/proc/self/fd"), fds + 4);
}

}  // namespace
}  // namespace theater::runtime::testing
