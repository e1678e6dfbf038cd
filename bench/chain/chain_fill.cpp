// Writes one actor's chain of about N MiB into $1/theater.db the way a
// process-heavy actor would (64 KiB output chunks between small line events),
// bound to its actor id and ended by the stop event, and prints the id. The
// input of bench/chain/run.sh; not a benchmark by itself.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "chain/audit.h"
#include "chain/chain.h"
#include "chain/event_log.h"

namespace {

using namespace theater::chain;

constexpr size_t kChunkBytes = 64 * 1024;
constexpr const char* kActorId = "00000000-0000-4000-8000-00000000c4a1";

int fail(const std::string& what) {
  std::fprintf(stderr, "chain_fill: %s\n", what.c_str());
  return 1;
}

std::vector<uint8_t> output_chunk(uint64_t index) {
  std::vector<uint8_t> bytes(kChunkBytes);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>('a' + (i + index) % 26);
  return to_cbor_data({{"pid", 4242}, {"bytes", nlohmann::json::binary(std::move(bytes))}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return fail("usage: chain_fill <theater-home> <MiB>");
  const std::filesystem::path home = argv[1];
  const uint64_t target = std::strtoull(argv[2], nullptr, 10) << 20;
  std::filesystem::create_directories(home);
  auto log = EventLog::open(home / "theater.db");
  if (!log.ok()) return fail(log.error().message);
  EventChain chain(kActorId, {.log = log->get()});
  const auto load = chain.append(
      "theater-runtime/actor-load",
      to_cbor_data({{kActorIdKey, kActorId}, {kModuleSha256Key, std::string(64, '0')}}));
  if (!load.ok()) return fail(load.error().message);
  const std::vector<uint8_t> chunk = output_chunk(0);
  uint64_t written = 0;
  for (uint64_t i = 0; written < target; ++i) {
    const std::string line = "line " + std::to_string(i) + " of the process's output";
    auto small = chain.append("wasi/output", to_cbor_data({{"stream", "stdout"}, {"line", line}}));
    auto large = chain.append("theater:simple/process/stdout", chunk);
    if (!small.ok()) return fail(small.error().message);
    if (!large.ok()) return fail(large.error().message);
    written += chunk.size() + line.size();
  }
  auto stopped = chain.append(std::string(kStoppedEventType), to_cbor_data({{"failed", false}}));
  if (!stopped.ok()) return fail(stopped.error().message);
  const auto flushed = (*log)->flush(std::chrono::minutes(10));
  if (!flushed.ok()) return fail(flushed.error().message);
  std::printf("%s %zu\n", kActorId, chain.size());
  return 0;
}
