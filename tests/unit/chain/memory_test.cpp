// Bounded memory when reading the event log: a hostile segment length in the
// index must not become an allocation, and auditing a long chain streams it.
// This binary replaces the global operator new/delete to measure what the
// reader allocates (the largest single request and the peak of live bytes),
// so it is kept apart from the other chain tests.
#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "../../support/sqlite_tamper.h"
#include "chain/audit.h"
#include "chain/chain.h"
#include "chain/event_log.h"
#include "test_support.h"

namespace {

// Live bytes are counted as the allocator's usable size of each block, so a
// block is counted back exactly whichever operator delete frees it.
std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> peak_live_bytes{0};
std::atomic<size_t> largest_request{0};

void note_request(size_t size) {
  size_t largest = largest_request.load();
  while (size > largest && !largest_request.compare_exchange_weak(largest, size)) {
  }
}

void note_live(int64_t delta) {
  const int64_t live = live_bytes.fetch_add(delta) + delta;
  int64_t peak = peak_live_bytes.load();
  while (live > peak && !peak_live_bytes.compare_exchange_weak(peak, live)) {
  }
}

// What the code under test allocates from now on.
void reset_measurements() {
  largest_request = 0;
  peak_live_bytes = live_bytes.load();
}

void* allocate(size_t size) noexcept {
  note_request(size);  // before allocating: a request too large to satisfy still counts
  void* block = std::malloc(size == 0 ? 1 : size);
  if (block) note_live(static_cast<int64_t>(malloc_usable_size(block)));
  return block;
}

void release(void* block) noexcept {
  if (block == nullptr) return;
  note_live(-static_cast<int64_t>(malloc_usable_size(block)));
  std::free(block);
}

}  // namespace

// Every form but the aligned ones (which nothing here uses) goes through the
// counters. Not inlined: GCC would otherwise warn at every call site.
[[gnu::noinline]] void* operator new(size_t size) {
  if (void* block = allocate(size)) return block;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](size_t size) {
  return operator new(size);
}
[[gnu::noinline]] void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
[[gnu::noinline]] void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
[[gnu::noinline]] void operator delete(void* block) noexcept {
  release(block);
}
[[gnu::noinline]] void operator delete[](void* block) noexcept {
  release(block);
}
[[gnu::noinline]] void operator delete(void* block, size_t) noexcept {
  release(block);
}
[[gnu::noinline]] void operator delete[](void* block, size_t) noexcept {
  release(block);
}
[[gnu::noinline]] void operator delete(void* block, const std::nothrow_t&) noexcept {
  release(block);
}
[[gnu::noinline]] void operator delete[](void* block, const std::nothrow_t&) noexcept {
  release(block);
}

namespace theater::chain {
namespace {

using namespace std::chrono_literals;
using testing::append_runtime_chain;
using testing::TempDir;

constexpr uint64_t kHostileLength = uint64_t{1} << 40;
constexpr size_t kMiB = size_t{1} << 20;

TEST(ReaderMemory, AHostileSegmentLengthIsAnErrorNamingTheFileNotAnAllocation) {
  TempDir dir;
  const auto db = dir.file("theater.db");
  {
    auto log = EventLog::open(db);
    ASSERT_TRUE(log.ok());
    EventChain chain("actor-1", {.log = log->get()});
    append_runtime_chain(chain, 20, /*stopped=*/true);
  }
  test_support::set_newest_segment_length(db, "actor-1", kHostileLength);
  auto reader = EventLogReader::open(db);
  ASSERT_TRUE(reader.ok());

  reset_measurements();
  auto report = audit_stored_chain(**reader, "actor-1");
  const size_t largest = largest_request.load();

  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find(dir.file("theater.db-events").string()), std::string::npos)
      << report.error().message;
  EXPECT_NE(report.error().message.find("expects 1099511627776 bytes from byte "),
            std::string::npos)
      << report.error().message;
  EXPECT_LT(largest, kMiB) << "the reader asked for " << largest << " bytes at once";
}

TEST(ReaderMemory, AuditingALongChainStreamsItInBoundedMemory) {
  TempDir dir;
  const auto db = dir.file("theater.db");
  constexpr int kEvents = 3000;
  constexpr size_t kEventBytes = 16 * 1024;  // ~48 MiB of chain
  {
    auto log = EventLog::open(db);
    ASSERT_TRUE(log.ok());
    EventChain chain("actor-1", {.log = log->get()});
    ASSERT_TRUE(
        chain.append("theater-runtime/actor-load", testing::actor_load_data("actor-1")).ok());
    for (int i = 0; i < kEvents; ++i) {
      ASSERT_TRUE(chain.append("test/output", std::vector<uint8_t>(kEventBytes, uint8_t(i))).ok());
    }
    ASSERT_TRUE(chain.append(std::string(kStoppedEventType), {}).ok());
  }
  auto reader = EventLogReader::open(db);
  ASSERT_TRUE(reader.ok());

  reset_measurements();
  const int64_t before = live_bytes.load();
  auto report = audit_stored_chain(**reader, "actor-1");
  const int64_t peak_growth = peak_live_bytes.load() - before;

  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kOk) << report->summary();
  EXPECT_EQ(report->events, static_cast<uint64_t>(kEvents) + 2);
  // One segment (at most ~1 MiB) and one event at a time, not 48 MiB.
  EXPECT_LT(peak_growth, static_cast<int64_t>(4 * kMiB))
      << "auditing held " << peak_growth << " bytes at its peak";
}

}  // namespace
}  // namespace theater::chain
