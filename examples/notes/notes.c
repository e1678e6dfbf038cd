// notes: keeps notes in the content store, one label each, timestamped.
//
// init reads the seed file `data/seed.txt` from its granted directory (the
// filesystem handler, read-only), one note per non-empty line; stores each,
// prefixed with the time it was taken (the timing handler), under the label
// "note/<n>" of a store it creates (the store handler); stars one of them,
// picked with the random handler (seeded in the manifest, so every run picks
// the same one), by replacing that label's content; then reads every label
// back, logs what it found and the store's total size, and shuts down with a
// one-line summary. Every value it reads reaches it through a host call and is
// in its chain: `theater events <id>` shows the run.
#include <stdio.h>
#include <string.h>

#include "theater/actor.h"
#include "theater/filesystem.h"
#include "theater/random.h"
#include "theater/runtime.h"
#include "theater/store.h"
#include "theater/timing.h"

#define MAX_NOTES 32
#define MAX_NOTE 512

typedef struct {
  const char* text;
  size_t len;
} note;

// Splits `seed` into its non-empty lines (views into it); returns the count.
static size_t split_notes(theater_bytes seed, note* notes) {
  size_t count = 0;
  const char* at = (const char*)seed.ptr;
  const char* end = at + seed.len;
  while (at < end && count < MAX_NOTES) {
    const char* newline = memchr(at, '\n', (size_t)(end - at));
    const char* line_end = newline ? newline : end;
    if (line_end > at) notes[count++] = (note){at, (size_t)(line_end - at)};
    at = line_end + 1;
  }
  return count;
}

static theater_result failed(const char* what, theater_string* err) {
  theater_result failure = theater_error("%s: %.*s", what, (int)err->len, err->ptr);
  theater_string_free(err);
  return failure;
}

// "<ms since epoch> <text>[ *]" under label "note/<index>".
static theater_result store_note(theater_string store, size_t index, note n, int starred,
                                 int replace) {
  char label[32], content[MAX_NOTE + 32];
  snprintf(label, sizeof label, "note/%zu", index + 1);
  const size_t text_len = n.len < MAX_NOTE ? n.len : MAX_NOTE;
  const int len = snprintf(content, sizeof content, "%llu %.*s%s",
                           (unsigned long long)theater_timing_now(), (int)text_len, n.text,
                           starred ? " *" : "");
  theater_bytes bytes = theater_bytes_view(content, (size_t)len);
  theater_result_content_ref ref =
      replace ? theater_store_replace_content_at_label(store, theater_str(label), bytes)
              : theater_store_store_at_label(store, theater_str(label), bytes);
  if (ref.is_err) return failed("cannot store a note", &ref.val.err);
  theater_logf("%s %s %.12s...: %.*s", replace ? "starred" : "stored ", label,
               ref.val.ok.hash.ptr, len, content);
  theater_content_ref_free(&ref.val.ok);
  return theater_ok();
}

// Logs every label of the store with its content; sets *count to how many.
static theater_result read_back(theater_string store, size_t* count) {
  theater_result_string_list labels = theater_store_list_labels(store);
  if (labels.is_err) return failed("cannot list labels", &labels.val.err);
  *count = labels.val.ok.len;
  for (size_t i = 0; i < labels.val.ok.len; ++i) {
    theater_string label = labels.val.ok.ptr[i];
    theater_result_option_content_ref ref = theater_store_get_by_label(store, label);
    if (ref.is_err || !ref.val.ok.is_some) {
      theater_result_option_content_ref_free(&ref);
      continue;
    }
    theater_result_bytes content = theater_store_get(store, ref.val.ok.val);
    if (!content.is_err)
      theater_logf("read    %.*s: %.*s", (int)label.len, label.ptr, (int)content.val.ok.len,
                   (const char*)content.val.ok.ptr);
    theater_result_bytes_free(&content);
    theater_result_option_content_ref_free(&ref);
  }
  theater_result_string_list_free(&labels);
  return theater_ok();
}

static theater_result keep_notes(theater_string store, note* notes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    theater_result stored = store_note(store, i, notes[i], 0, 0);
    if (stored.is_err) return stored;
  }
  theater_result_u64 pick = theater_random_range(0, count);
  if (pick.is_err) return failed("cannot pick a note", &pick.val.err);
  return store_note(store, (size_t)pick.val.ok, notes[pick.val.ok], 1, 1);
}

static theater_result init(theater_state* state, theater_string actor_id) {
  theater_result_bytes seed = theater_filesystem_read_file(theater_str("data/seed.txt"));
  if (seed.is_err) return failed("cannot read seed.txt", &seed.val.err);
  note notes[MAX_NOTES];
  const size_t count = split_notes(seed.val.ok, notes);
  theater_logf("seed.txt: %zu bytes, %zu notes", seed.val.ok.len, count);

  theater_result_string store = theater_store_new();
  if (store.is_err) {
    theater_bytes_free(&seed.val.ok);
    return failed("cannot create a store", &store.val.err);
  }
  theater_logf("store   %.*s", (int)store.val.ok.len, store.val.ok.ptr);
  theater_result kept = count ? keep_notes(store.val.ok, notes, count) : theater_ok();
  size_t labels = 0;
  if (!kept.is_err) kept = read_back(store.val.ok, &labels);
  theater_result_u64 size = theater_store_calculate_total_size(store.val.ok);
  const unsigned long long bytes = size.is_err ? 0 : size.val.ok;
  theater_result_u64_free(&size);
  theater_string_free(&store.val.ok);
  theater_bytes_free(&seed.val.ok);
  if (kept.is_err) return kept;

  char summary[128];
  const int len =
      snprintf(summary, sizeof summary, "%zu notes kept, %zu labels, %llu bytes in the store",
               count, labels, bytes);
  theater_logf("%s", summary);
  return theater_runtime_shutdown(theater_some_bytes(theater_bytes_view(summary, (size_t)len)));
}

THEATER_EXPORT_INIT(init)
