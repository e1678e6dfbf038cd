// The output modes of wit/process.wit, one edge case at a time. Every test
// also feeds the same input split at every possible point, since a pipe may
// cut the stream anywhere.
#include "handlers/process/os/output_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace theater::process {
namespace {

struct Framed {
  std::vector<std::string> pieces;
  std::vector<RejectedLine> rejected;
};

class CollectingSink final : public FramerSink {
 public:
  void on_piece(Bytes piece) override { result.pieces.emplace_back(piece.begin(), piece.end()); }
  void on_rejected(RejectedLine line) override { result.rejected.push_back(std::move(line)); }
  Framed result;
};

Bytes bytes_of(std::string_view text) {
  return Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

OutputFramer make_framer(FramingOptions options) {
  auto framer = OutputFramer::create(options);
  EXPECT_TRUE(framer.ok()) << (framer.ok() ? "" : framer.error().message);
  return std::move(framer).value();
}

// Feeds `reads` one after another, then ends the stream.
Framed frame(const FramingOptions& options, const std::vector<std::string>& reads) {
  OutputFramer framer = make_framer(options);
  CollectingSink sink;
  for (const auto& read : reads) framer.feed(bytes_of(read), sink);
  framer.finish(sink);
  return sink.result;
}

// Same result whatever the reads' boundaries: whole, each byte alone, and
// every split into two reads.
void expect_independent_of_splits(const FramingOptions& options, const std::string& input,
                                  const Framed& expected) {
  auto same = [&](const Framed& got, const std::string& how) {
    EXPECT_EQ(got.pieces, expected.pieces) << how;
    EXPECT_EQ(got.rejected.size(), expected.rejected.size()) << how;
  };
  same(frame(options, {input}), "whole");
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  same(frame(options, bytes), "byte by byte");
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    same(frame(options, {input.substr(0, cut), input.substr(cut)}),
         "cut at " + std::to_string(cut));
  }
}

FramingOptions lines(std::uint32_t buffer_size = 0) {
  return FramingOptions{OutputMode::kLineByLine, buffer_size, std::nullopt};
}
FramingOptions raw(std::uint32_t buffer_size = 0) {
  return FramingOptions{OutputMode::kRaw, buffer_size, std::nullopt};
}
FramingOptions json(std::size_t max_line = kMaxPieceSize) {
  return FramingOptions{OutputMode::kJson, 0, std::nullopt, max_line};
}
FramingOptions chunked(std::uint32_t chunk_size) {
  return FramingOptions{OutputMode::kChunked, 0, chunk_size};
}

// --- raw ---------------------------------------------------------------------

TEST(RawFraming, DeliversEachReadAsItArrives) {
  Framed got = frame(raw(), {"abc", "de"});
  EXPECT_EQ(got.pieces, (std::vector<std::string>{"abc", "de"}));
}

TEST(RawFraming, CutsReadsLongerThanBufferSize) {
  Framed got = frame(raw(4), {"abcdefghij"});
  EXPECT_EQ(got.pieces, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

TEST(RawFraming, BufferSizeZeroMeans4096) {
  Framed got = frame(raw(0), {std::string(5000, 'x')});
  ASSERT_EQ(got.pieces.size(), 2u);
  EXPECT_EQ(got.pieces[0].size(), 4096u);
  EXPECT_EQ(got.pieces[1].size(), 904u);
}

TEST(RawFraming, HoldsNothingBack) {
  OutputFramer framer = make_framer(raw());
  CollectingSink sink;
  framer.feed(bytes_of("abc\r"), sink);
  EXPECT_EQ(framer.held(), 0u);
  EXPECT_EQ(OutputFramer::max_held_bytes(raw()), 0u);
}

// --- line-by-line ----------------------------------------------------------------

TEST(LineFraming, StripsLfAndCrLf) {
  expect_independent_of_splits(lines(), "one\ntwo\r\nthree\n", Framed{{"one", "two", "three"}, {}});
}

TEST(LineFraming, DeliversEmptyLines) {
  expect_independent_of_splits(lines(), "a\n\n\r\nb\n", Framed{{"a", "", "", "b"}, {}});
}

TEST(LineFraming, DeliversLastLineWithoutTerminatorAtEof) {
  expect_independent_of_splits(lines(), "a\nlast", Framed{{"a", "last"}, {}});
}

TEST(LineFraming, NothingAfterAFinalNewline) {
  expect_independent_of_splits(lines(), "a\n", Framed{{"a"}, {}});
  EXPECT_TRUE(frame(lines(), {}).pieces.empty());
}

TEST(LineFraming, LoneCarriageReturnIsContent) {
  expect_independent_of_splits(lines(), "a\rb\nend\r", Framed{{"a\rb", "end\r"}, {}});
}

TEST(LineFraming, LongLineArrivesInPiecesOfBufferSize) {
  expect_independent_of_splits(lines(4), "abcdefghij\nxy\n",
                               Framed{{"abcd", "efgh", "ij", "xy"}, {}});
}

TEST(LineFraming, LineOfExactlyBufferSizeIsOnePiece) {
  expect_independent_of_splits(lines(4), "abcd\nefgh\r\n", Framed{{"abcd", "efgh"}, {}});
}

TEST(LineFraming, TerminatorRightAfterAFullPieceAddsNoEmptyPiece) {
  // 8 bytes, 4 per piece: the terminator must not become a third, empty piece.
  expect_independent_of_splits(lines(4), "abcdefgh\r\nz\n", Framed{{"abcd", "efgh", "z"}, {}});
  expect_independent_of_splits(lines(4), "abcdefgh\n\n", Framed{{"abcd", "efgh", ""}, {}});
}

TEST(LineFraming, CarriageReturnBeforeACutIsContent) {
  // "abc\r" then "x": that \r is not part of a terminator.
  expect_independent_of_splits(lines(4), "abc\rx\n", Framed{{"abc\r", "x"}, {}});
}

TEST(LineFraming, LongLastLineWithoutTerminator) {
  expect_independent_of_splits(lines(3), "abcdefg", Framed{{"abc", "def", "g"}, {}});
}

TEST(LineFraming, HoldsAtMostBufferSize) {
  OutputFramer framer = make_framer(lines(4));
  CollectingSink sink;
  framer.feed(bytes_of("abcdefghijklmno"), sink);
  EXPECT_LE(framer.held(), 4u);
  EXPECT_EQ(OutputFramer::max_held_bytes(lines(4)), 4u);
}

// --- json ------------------------------------------------------------------------

TEST(JsonFraming, OneValuePerLineTrimmed) {
  expect_independent_of_splits(json(), "{\"a\": 1}\n  [1, 2]\t\r\n\"s\"\n42",
                               Framed{{"{\"a\": 1}", "[1, 2]", "\"s\"", "42"}, {}});
}

TEST(JsonFraming, InvalidLinesAreReportedNotDelivered) {
  const std::string input = "{\"ok\":true}\nnot json\n{\"a\":\n1 2\n[3]\n";
  expect_independent_of_splits(json(), input, Framed{{"{\"ok\":true}", "[3]"}, {{}, {}, {}}});
  Framed got = frame(json(), {input});
  ASSERT_EQ(got.rejected.size(), 3u);
  EXPECT_EQ(std::string(got.rejected[0].sample.begin(), got.rejected[0].sample.end()), "not json");
  EXPECT_EQ(got.rejected[0].length, 8u);
  EXPECT_EQ(got.rejected[0].reason, "not valid JSON");
}

TEST(JsonFraming, BlankLinesAreSkippedSilently) {
  expect_independent_of_splits(json(), "\n  \n\r\n1\n\t\n", Framed{{"1"}, {}});
}

TEST(JsonFraming, InvalidLastLineWithoutTerminatorIsReported) {
  Framed got = frame(json(), {"1\n{broken"});
  EXPECT_EQ(got.pieces, (std::vector<std::string>{"1"}));
  ASSERT_EQ(got.rejected.size(), 1u);
}

TEST(JsonFraming, TooLongLineIsRejectedWithoutBeingKept) {
  const std::string long_value = "\"" + std::string(100, 'x') + "\"";
  const std::string input = "1\n" + long_value + "\n2\n";
  expect_independent_of_splits(json(50), input, Framed{{"1", "2"}, {{}}});
  Framed got = frame(json(50), {input});
  ASSERT_EQ(got.rejected.size(), 1u);
  EXPECT_EQ(got.rejected[0].length, long_value.size());
  EXPECT_EQ(got.rejected[0].reason, "longer than 50 bytes");

  OutputFramer framer = make_framer(json(50));
  CollectingSink sink;
  framer.feed(bytes_of(std::string(1000, 'y')), sink);
  EXPECT_LE(framer.held(), kRejectedSampleSize);
}

TEST(JsonFraming, SampleOfAHugeInvalidLineIsBounded) {
  Framed got = frame(json(), {std::string(5000, 'z') + "\n"});
  ASSERT_EQ(got.rejected.size(), 1u);
  EXPECT_EQ(got.rejected[0].sample.size(), kRejectedSampleSize);
  EXPECT_EQ(got.rejected[0].length, 5000u);
}

TEST(JsonFraming, MultibyteUtf8SplitAcrossReadsSurvives) {
  const std::string input = "{\"name\":\"h\xC3\xA9llo \xE2\x82\xAC\"}\n";
  expect_independent_of_splits(json(), input, Framed{{input.substr(0, input.size() - 1)}, {}});
}

// --- chunked -----------------------------------------------------------------------

TEST(ChunkedFraming, FixedPiecesAndShorterRestAtEof) {
  expect_independent_of_splits(chunked(4), "abcdefghij", Framed{{"abcd", "efgh", "ij"}, {}});
}

TEST(ChunkedFraming, NoEmptyPieceWhenTheStreamDividesEvenly) {
  expect_independent_of_splits(chunked(3), "abcdef", Framed{{"abc", "def"}, {}});
}

TEST(ChunkedFraming, NewlinesAreJustBytes) {
  expect_independent_of_splits(chunked(2), "a\nb\r\n", Framed{{"a\n", "b\r", "\n"}, {}});
}

TEST(ChunkedFraming, HoldsLessThanOneChunk) {
  EXPECT_EQ(OutputFramer::max_held_bytes(chunked(4)), 3u);
}

// --- options -------------------------------------------------------------------------

TEST(FramerOptions, ChunkedNeedsAChunkSize) {
  auto framer = OutputFramer::create(FramingOptions{OutputMode::kChunked, 0, std::nullopt});
  ASSERT_FALSE(framer.ok());
  EXPECT_EQ(framer.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(framer.error().message.find("chunk-size"), std::string::npos);
}

TEST(FramerOptions, RejectsZeroAndHugeSizes) {
  auto zero = OutputFramer::create(chunked(0));
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("chunk-size is 0"), std::string::npos);

  auto huge = OutputFramer::create(raw(kMaxPieceSize + 1));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find(std::to_string(kMaxPieceSize + 1)), std::string::npos);
  EXPECT_TRUE(OutputFramer::create(raw(kMaxPieceSize)).ok());
}

TEST(FramerOptions, JsonLinesFitUnderTheStreamBudget) {
  EXPECT_EQ(framing_for_budget(json(), 1000).max_json_line, 999u);
  EXPECT_EQ(framing_for_budget(json(10), 1000).max_json_line, 10u);
}

}  // namespace
}  // namespace theater::process
