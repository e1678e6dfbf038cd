// OutputFramer: cuts one output stream of a child into the pieces its owner
// receives, per output-mode (wit/process.wit). Pure: no I/O, no threads, so
// every edge case is tested on its own.
//
//   raw           bytes as they arrive, at most buffer-size per piece.
//   line-by-line  one piece per line, without "\n" or "\r\n"; empty lines are
//                 delivered; a line longer than buffer-size comes in pieces of
//                 buffer-size (the last piece holds the rest); a last line
//                 without terminator is delivered by finish(). A lone "\r" is
//                 content, not a terminator.
//   json          one piece per newline-delimited JSON value, surrounding JSON
//                 whitespace trimmed. Blank lines are separators: skipped, not
//                 reported. A line that is not valid JSON (or is longer than
//                 max_json_line) is not delivered but reported as a RejectedLine.
//   chunked       pieces of exactly chunk-size; finish() delivers the shorter rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "handlers/process/os/process_options.h"

namespace theater::process {

using Bytes = std::span<const std::uint8_t>;

// A json-mode line that was not delivered.
struct RejectedLine {
  // The line's first bytes (at most kRejectedSampleSize), for the event chain.
  std::vector<std::uint8_t> sample;
  // The whole line's length (after trimming when it was kept whole).
  std::size_t length = 0;
  std::string reason;
};

inline constexpr std::size_t kRejectedSampleSize = 1024;

// Receives what a framer produces. The span is only valid during the call.
class FramerSink {
 public:
  virtual void on_piece(Bytes piece) = 0;
  virtual void on_rejected(RejectedLine line) = 0;

 protected:
  ~FramerSink() = default;
};

// `options` with max_json_line fitted under a stream budget (see TableLimits).
FramingOptions framing_for_budget(FramingOptions options, std::size_t stream_budget);

class OutputFramer {
 public:
  static Result<OutputFramer> create(const FramingOptions& options);

  // Most bytes a framer with these options may hold back between calls (an
  // unfinished line or chunk). Zero in raw mode.
  static std::size_t max_held_bytes(const FramingOptions& options);

  // Frames the next bytes of the stream; pieces go to `sink` in order.
  void feed(Bytes bytes, FramerSink& sink);
  // End of stream: delivers what is held back (last line, last chunk).
  void finish(FramerSink& sink);

  // Bytes held back right now.
  [[nodiscard]] std::size_t held() const { return carry_.size(); }

 private:
  explicit OutputFramer(const FramingOptions& options);

  void feed_raw(Bytes bytes, FramerSink& sink);
  void feed_lines(Bytes bytes, FramerSink& sink);
  void append_line_part(Bytes part, FramerSink& sink);
  void end_line(FramerSink& sink);
  void feed_json(Bytes bytes, FramerSink& sink);
  void append_json_part(Bytes part);
  void end_json_line(Bytes line, FramerSink& sink);
  void feed_chunks(Bytes bytes, FramerSink& sink);
  void hold(Bytes bytes) { carry_.insert(carry_.end(), bytes.begin(), bytes.end()); }

  OutputMode mode_;
  std::size_t piece_size_;           // buffer-size (raw, lines) or chunk-size (chunked)
  std::size_t max_json_line_;        // json only
  std::vector<std::uint8_t> carry_;  // the unfinished line or chunk
  bool line_was_cut_ = false;        // lines: part of the current line went out already
  // json: the current line grew past max_json_line and is being skipped.
  bool skipping_long_line_ = false;
  RejectedLine long_line_;
};

}  // namespace theater::process
