#include "handlers/process/os/output_framer.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

namespace theater::process {
namespace {

constexpr std::uint8_t kNewline = '\n';

// Position of the next '\n' in `bytes`, or bytes.size(). memchr keeps the hot
// path at memory speed.
std::size_t find_newline(Bytes bytes) {
  const void* found = std::memchr(bytes.data(), kNewline, bytes.size());
  return found ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(found) - bytes.data())
               : bytes.size();
}

Bytes without_trailing_cr(Bytes line) {
  return !line.empty() && line.back() == '\r' ? line.first(line.size() - 1) : line;
}

bool is_json_blank(std::uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

Bytes trim_json_blanks(Bytes line) {
  std::size_t begin = 0;
  std::size_t end = line.size();
  while (begin < end && is_json_blank(line[begin])) ++begin;
  while (end > begin && is_json_blank(line[end - 1])) --end;
  return line.subspan(begin, end - begin);
}

std::vector<std::uint8_t> sample_of(Bytes bytes) {
  Bytes sample = bytes.first(std::min(bytes.size(), kRejectedSampleSize));
  return {sample.begin(), sample.end()};
}

}  // namespace

FramingOptions framing_for_budget(FramingOptions options, std::size_t stream_budget) {
  // A json line is held whole until its newline, so it must leave room in the budget.
  const std::size_t fits = stream_budget > 0 ? stream_budget - 1 : 0;
  options.max_json_line = std::min<std::size_t>({options.max_json_line, kMaxPieceSize, fits});
  if (options.max_json_line == 0) options.max_json_line = 1;
  return options;
}

Result<OutputFramer> OutputFramer::create(const FramingOptions& options) {
  // The stream is not known here; the caller's own validation names it.
  THEATER_RETURN_IF_ERROR(validate_framing(options, StreamId::kStdout));
  return OutputFramer(options);
}

std::size_t OutputFramer::max_held_bytes(const FramingOptions& options) {
  switch (options.mode) {
    case OutputMode::kRaw:
      return 0;
    case OutputMode::kLineByLine:
      return options.effective_buffer_size();
    case OutputMode::kJson:
      return options.max_json_line;
    case OutputMode::kChunked:
      return options.chunk_size.value_or(1) - 1;
  }
  return 0;
}

OutputFramer::OutputFramer(const FramingOptions& options)
    : mode_(options.mode),
      piece_size_(options.mode == OutputMode::kChunked ? *options.chunk_size
                                                       : options.effective_buffer_size()),
      max_json_line_(options.max_json_line) {
  if (mode_ == OutputMode::kLineByLine || mode_ == OutputMode::kChunked) {
    carry_.reserve(piece_size_);
  }
}

void OutputFramer::feed(Bytes bytes, FramerSink& sink) {
  switch (mode_) {
    case OutputMode::kRaw:
      return feed_raw(bytes, sink);
    case OutputMode::kLineByLine:
      return feed_lines(bytes, sink);
    case OutputMode::kJson:
      return feed_json(bytes, sink);
    case OutputMode::kChunked:
      return feed_chunks(bytes, sink);
  }
}

void OutputFramer::finish(FramerSink& sink) {
  switch (mode_) {
    case OutputMode::kRaw:
      break;
    case OutputMode::kLineByLine:
      // A last line without terminator; a "\r" at its end is content.
      if (!carry_.empty()) sink.on_piece(carry_);
      break;
    case OutputMode::kJson:
      if (skipping_long_line_) {
        sink.on_rejected(std::move(long_line_));
      } else if (!carry_.empty()) {
        std::vector<std::uint8_t> line;
        line.swap(carry_);
        end_json_line(line, sink);
      }
      break;
    case OutputMode::kChunked:
      if (!carry_.empty()) sink.on_piece(carry_);
      break;
  }
  carry_.clear();
  line_was_cut_ = false;
  skipping_long_line_ = false;
  long_line_ = {};
}

void OutputFramer::feed_raw(Bytes bytes, FramerSink& sink) {
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), piece_size_);
    sink.on_piece(bytes.first(n));
    bytes = bytes.subspan(n);
  }
}

void OutputFramer::feed_lines(Bytes bytes, FramerSink& sink) {
  while (!bytes.empty()) {
    const std::size_t newline = find_newline(bytes);
    Bytes part = bytes.first(newline);
    if (newline == bytes.size()) {
      append_line_part(part, sink);
      return;
    }
    Bytes line = without_trailing_cr(part);
    if (carry_.empty() && !line_was_cut_ && line.size() <= piece_size_) {
      sink.on_piece(line);  // a whole short line inside one read: no copy
    } else {
      append_line_part(part, sink);
      end_line(sink);
    }
    bytes = bytes.subspan(newline + 1);
  }
}

// Holds at most piece_size_ bytes of the current line. Only when more arrive is
// the line known to be longer than a piece, and its first piece_size_ bytes go
// out. Holding the tail back this way keeps the "\r" of a "\r\n" split across
// reads (or sitting right after a full piece) out of every piece.
void OutputFramer::append_line_part(Bytes part, FramerSink& sink) {
  if (carry_.size() + part.size() <= piece_size_) {
    hold(part);
    return;
  }
  if (!carry_.empty()) {
    const std::size_t fill = piece_size_ - carry_.size();
    hold(part.first(fill));
    part = part.subspan(fill);
    sink.on_piece(carry_);
    carry_.clear();
    line_was_cut_ = true;
  }
  while (part.size() > piece_size_) {
    sink.on_piece(part.first(piece_size_));
    part = part.subspan(piece_size_);
    line_was_cut_ = true;
  }
  hold(part);
}

void OutputFramer::end_line(FramerSink& sink) {
  Bytes rest = without_trailing_cr(carry_);
  // After a cut, an empty rest is just the terminator, not another (empty) line.
  if (!rest.empty() || !line_was_cut_) sink.on_piece(rest);
  carry_.clear();
  line_was_cut_ = false;
}

void OutputFramer::feed_json(Bytes bytes, FramerSink& sink) {
  while (!bytes.empty()) {
    const std::size_t newline = find_newline(bytes);
    Bytes part = bytes.first(newline);
    const bool line_ends = newline < bytes.size();
    if (line_ends && carry_.empty() && !skipping_long_line_ && part.size() <= max_json_line_) {
      end_json_line(part, sink);  // a whole line inside one read: no copy
    } else {
      append_json_part(part);
      if (line_ends && skipping_long_line_) {
        sink.on_rejected(std::move(long_line_));
        long_line_ = {};
        skipping_long_line_ = false;
      } else if (line_ends) {
        end_json_line(carry_, sink);
        carry_.clear();
      }
    }
    if (!line_ends) return;
    bytes = bytes.subspan(newline + 1);
  }
}

void OutputFramer::append_json_part(Bytes part) {
  if (skipping_long_line_) {
    long_line_.length += part.size();
    return;
  }
  if (carry_.size() + part.size() <= max_json_line_) {
    hold(part);
    return;
  }
  // Too long to keep: remember its start for the report, skip to its newline.
  const std::size_t length = carry_.size() + part.size();
  hold(part.first(std::min(part.size(), kRejectedSampleSize)));
  long_line_ = RejectedLine{sample_of(carry_), length,
                            "longer than " + std::to_string(max_json_line_) + " bytes"};
  skipping_long_line_ = true;
  carry_.clear();
}

void OutputFramer::end_json_line(Bytes line, FramerSink& sink) {
  Bytes value = trim_json_blanks(line);
  if (value.empty()) return;  // blank lines separate values; nothing to report
  const char* begin = reinterpret_cast<const char*>(value.data());
  if (nlohmann::json::accept(begin, begin + value.size())) {
    sink.on_piece(value);
    return;
  }
  sink.on_rejected(RejectedLine{sample_of(value), value.size(), "not valid JSON"});
}

void OutputFramer::feed_chunks(Bytes bytes, FramerSink& sink) {
  if (!carry_.empty()) {
    const std::size_t fill = std::min(piece_size_ - carry_.size(), bytes.size());
    hold(bytes.first(fill));
    bytes = bytes.subspan(fill);
    if (carry_.size() < piece_size_) return;
    sink.on_piece(carry_);
    carry_.clear();
  }
  while (bytes.size() >= piece_size_) {
    sink.on_piece(bytes.first(piece_size_));
    bytes = bytes.subspan(piece_size_);
  }
  hold(bytes);
}

}  // namespace theater::process
