// Every output mode, with its edge cases, as the actor receives it.
#include "process_fixture.h"

namespace theater::process_tests {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> sh(const std::string& script, std::vector<std::string> more) {
  std::vector<std::string> fields = {"program=/bin/sh", "arg=-c", "arg=" + script};
  fields.insert(fields.end(), more.begin(), more.end());
  return fields;
}

TEST_F(ProcessTest, RawModeDeliversBytesInPiecesOfAtMostBufferSize) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn(sh("printf 'abcdefghij'", {"out=raw", "buf=3"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, 1u);
  ASSERT_EQ(probe.wait_exit(*id), 0);
  Transcript t = probe.transcript();
  EXPECT_EQ(t.joined_out(*id), "abcdefghij");
  for (const auto& piece : t.out[*id]) EXPECT_LE(piece.size(), 3u) << piece;
}

TEST_F(ProcessTest, LineModeHandlesCrlfEmptyOverlongAndUnterminatedLines) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn(sh("printf 'one\\r\\ntwo\\n\\n0123456789\\nlast'", {"out=line", "buf=4"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 0);
  EXPECT_THAT(probe.transcript().out[*id],
              ElementsAre("one", "two", "", "0123", "4567", "89", "last"));
}

TEST_F(ProcessTest, JsonModeDeliversValuesAndRecordsInvalidLinesInTheChain) {
  ASSERT_PROBE(probe);
  auto id =
      probe.spawn(sh("printf '{\"a\": 1}\\n  [1, 2]  \\nnot json\\n\\n\"s\"\\n'", {"out=json"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 0);
  EXPECT_THAT(probe.transcript().out[*id], ElementsAre("{\"a\": 1}", "[1, 2]", "\"s\""));

  auto invalid = probe.events("theater:simple/process/invalid-json");
  ASSERT_EQ(invalid.size(), 1u);
  EXPECT_EQ(invalid[0].at("pid"), *id);
  EXPECT_EQ(invalid[0].at("stream"), "stdout");
  const auto& sample = invalid[0].at("sample").get_binary();
  EXPECT_EQ(std::string(sample.begin(), sample.end()), "not json");
}

TEST_F(ProcessTest, AFloodOfInvalidJsonIsRecordedOneByOneUpToABoundThenCounted) {
  ASSERT_PROBE(probe);
  EXPECT_EQ(probe.request({"slow", "300000000"}), "ok");  // the one valid line keeps the actor busy
  auto id = probe.spawn(sh("echo '{}'; yes bad | head -n 1000", {"out=json"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id, 120s), 0);
  EXPECT_THAT(probe.transcript().out[*id], ElementsAre("{}"));

  const auto one_by_one = probe.events("theater:simple/process/invalid-json");
  const auto counted = probe.events("theater:simple/process/invalid-json-skipped");
  std::size_t total = one_by_one.size();
  for (const auto& event : counted) total += event.at("count").get<std::size_t>();
  EXPECT_EQ(total, 1000u);  // none lost
  EXPECT_LE(one_by_one.size(), 1000u - 1);
  EXPECT_FALSE(counted.empty());
}

TEST_F(ProcessTest, ChunkedModeDeliversFixedPiecesAndTheRemainderAtExit) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn(sh("printf '0123456789'", {"out=chunked", "chunk=4"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 0);
  EXPECT_THAT(probe.transcript().out[*id], ElementsAre("0123", "4567", "89"));
}

TEST_F(ProcessTest, StdoutAndStderrAreFramedSeparatelyAndTheExitCodeArrives) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn(sh("echo out; echo err >&2; exit 3", {"out=line", "err=raw"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 3);
  Transcript t = probe.transcript();
  EXPECT_THAT(t.out[*id], ElementsAre("out"));
  EXPECT_THAT(t.err[*id], ElementsAre("err\n"));
}

TEST_F(ProcessTest, EveryOutputCallbackOfAProcessPrecedesItsExitAndStreamsStayInOrder) {
  ASSERT_PROBE(probe);
  auto id = probe.spawn(sh("seq 1 3000; seq 1 1000 >&2", {"out=line", "err=line"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(probe.wait_exit(*id), 0);
  Transcript t = probe.transcript();
  ASSERT_EQ(t.out[*id].size(), 3000u);
  ASSERT_EQ(t.err[*id].size(), 1000u);
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(t.out[*id][i], std::to_string(i + 1));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(t.err[*id][i], std::to_string(i + 1));
  EXPECT_EQ(t.order.back(), "exit " + std::to_string(*id));
  EXPECT_EQ(std::count(t.order.begin(), t.order.end(), "exit " + std::to_string(*id)), 1);

  // In the chain too: the exit event, then handle-exit; no output call after them.
  bool exited = false;
  int output_calls = 0;
  for (const auto& [type, data] : probe.all_events()) {
    if (type == "theater:simple/process/exit") exited = true;
    if (type != "wasm/call") continue;
    const std::string callback = data.at("export");
    if (callback.find("handle-stdout") != std::string::npos && output_calls == 0) {
      // The call's params as recorded: the process id and the line's bytes.
      EXPECT_EQ(data.at("params").at("pid"), *id);
      const auto& line = data.at("params").at("data").get_binary();
      EXPECT_EQ(std::string(line.begin(), line.end()), "1");
    }
    if (callback.find("handle-stdout") != std::string::npos ||
        callback.find("handle-stderr") != std::string::npos) {
      ++output_calls;
      EXPECT_FALSE(exited) << "an output callback after the exit";
    }
    if (callback.find("handle-exit") != std::string::npos) {
      EXPECT_TRUE(exited);
    }
  }
  EXPECT_EQ(output_calls, 4000);
}

}  // namespace
}  // namespace theater::process_tests
