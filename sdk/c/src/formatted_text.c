// printf-style helpers: error messages for callbacks and log lines.
#include <stdarg.h>
#include <stdio.h>

#include "theater/exports.h"
#include "theater/runtime.h"

// A malloc'd string holding the formatted text.
static theater_string format_string(const char* format, va_list args) {
  va_list measuring;
  va_copy(measuring, args);
  int length = vsnprintf(NULL, 0, format, measuring);
  va_end(measuring);
  if (length < 0) return theater_string_dup(format);  // bad format: keep the raw text
  theater_string text;
  text.ptr = (char*)malloc((size_t)length + 1);
  if (!text.ptr) abort();
  vsnprintf(text.ptr, (size_t)length + 1, format, args);
  text.len = (size_t)length;
  return text;
}

theater_result theater_error(const char* format, ...) {
  va_list args;
  va_start(args, format);
  theater_result result;
  result.is_err = true;
  result.err = format_string(format, args);
  va_end(args);
  return result;
}

void theater_logf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  theater_string line = format_string(format, args);
  va_end(args);
  theater_runtime_log(line);
  theater_string_free(&line);
}
