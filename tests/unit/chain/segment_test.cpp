// The event file's segment reader on damaged input: inputs fuzz_segment found
// (fuzz/corpus/fuzz_segment/crash-*), each answered with a clean error.
#include "chain/segment.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "chain/chain.h"
#include "chain/event_log.h"
#include "common/unique_fd.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using testing::sample_data;
using testing::TempDir;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An index row whose length (about 2^57 here) is far past the file's end made
// read_exact allocate that many bytes before reading any.
TEST(SegmentReader, IndexLengthPastTheFileIsRefusedBeforeAllocating) {
  const std::string input =
      read_bytes(THEATER_SOURCE_DIR "/fuzz/corpus/fuzz_segment/crash-length-past-file-end");
  ASSERT_GT(input.size(), 24u);
  const auto* row = reinterpret_cast<const uint8_t*>(input.data());
  const auto offset = get_le<uint64_t>(row + 8);
  const auto length = get_le<uint64_t>(row + 16);
  TempDir dir;
  const std::string event_file = dir.write("events", input.substr(24));
  UniqueFd fd(::open(event_file.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd.valid());

  std::vector<uint8_t> bytes;
  Status read = segment::read_exact(fd.get(), input.size() - 24, offset, length, event_file, bytes);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(bytes.empty()) << "nothing was allocated for it";
  EXPECT_EQ(read.error().message, "event file " + event_file + " ends at byte " +
                                      std::to_string(input.size() - 24) +
                                      ", but the index expects " + std::to_string(length) +
                                      " bytes from byte " + std::to_string(offset));
}

// The same damage through the reader a user runs (`theater events`): a
// segment's length in the index set to 2^40.
TEST(SegmentReader, HugeSegmentLengthInTheIndexIsReportedNotAllocated) {
  TempDir dir;
  const auto path = dir.file("theater.db");
  {
    auto log = EventLog::open(path, {});
    ASSERT_TRUE(log.ok()) << log.error().message;
    EventChain chain("actor-1", {.log = log->get()});
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(chain.append("test/event", sample_data(i)).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(
      sqlite3_exec(db, "UPDATE segments SET length = 1099511627776", nullptr, nullptr, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto reader = EventLogReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto events = (*reader)->read_events("actor-1");
  ASSERT_FALSE(events.ok());
  EXPECT_NE(events.error().message.find("theater.db-events ends at byte"), std::string::npos)
      << events.error().message;
  EXPECT_NE(events.error().message.find("expects 1099511627776 bytes"), std::string::npos)
      << events.error().message;
}

}  // namespace
}  // namespace theater::chain
