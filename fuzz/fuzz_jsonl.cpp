// Fuzzes JSON Lines import with arbitrary text: read_jsonl gives events or an
// error naming the line, never a crash. Every event it accepts must survive
// export and import unchanged (what `theater events export | import` relies on).
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "chain/jsonl.h"

namespace {

using theater::chain::Event;

void check_export_round_trip(const Event& event) {
  auto line = theater::chain::to_jsonl_line(event);
  if (!line.ok()) std::abort();  // imported strings are valid UTF-8, so they export
  auto back = theater::chain::parse_jsonl_line(*line);
  if (!back.ok() || !(*back == event)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto events = theater::chain::read_jsonl(in, "fuzz.jsonl");
  if (!events.ok()) return 0;
  for (const Event& event : *events) check_export_round_trip(event);
  return 0;
}
