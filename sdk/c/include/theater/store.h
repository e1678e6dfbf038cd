// WIT interface theater:simple/store: content-addressed storage with mutable labels.
// Every function returns a result and so takes a return area as its last parameter.
// A content-ref flattens to its hash string: (i32 ptr, i32 len).
#ifndef THEATER_STORE_H
#define THEATER_STORE_H

#include "theater/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/// record content-ref
typedef struct theater_content_ref {
  theater_string hash;  // lowercase hex SHA-256 of the content
} theater_content_ref;
THEATER_ASSERT_LAYOUT(theater_content_ref, 8, 4);

static inline void theater_content_ref_free(theater_content_ref* ref) {
  theater_string_free(&ref->hash);
}

THEATER_DEFINE_OPTION(theater_option_content_ref, theater_content_ref)
THEATER_ASSERT_LAYOUT(theater_option_content_ref, 12, 4);
static inline void theater_option_content_ref_free(theater_option_content_ref* o) {
  if (o->is_some) theater_content_ref_free(&o->val);
  o->is_some = false;
}
THEATER_DEFINE_LIST(theater_content_ref_list, theater_content_ref, theater_content_ref_free)

THEATER_DEFINE_RESULT(theater_result_content_ref, theater_content_ref, theater_content_ref_free)
THEATER_ASSERT_LAYOUT(theater_result_content_ref, 12, 4);
THEATER_DEFINE_RESULT(theater_result_option_content_ref, theater_option_content_ref,
                      theater_option_content_ref_free)
THEATER_ASSERT_LAYOUT(theater_result_option_content_ref, 16, 4);
THEATER_DEFINE_RESULT(theater_result_content_ref_list, theater_content_ref_list,
                      theater_content_ref_list_free)
THEATER_ASSERT_LAYOUT(theater_result_content_ref_list, 12, 4);

// Raw imports whose parameters are only strings: (i32 ptr, i32 len) per string.
THEATER_IMPORT("store", "new")
void theater__import_store_new(theater_result_string* ret);
THEATER_IMPORT("store", "store")
void theater__import_store_store(const char* store_id, size_t store_id_len, const uint8_t* content,
                                 size_t content_len, theater_result_content_ref* ret);
THEATER_IMPORT("store", "get")
void theater__import_store_get(const char* store_id, size_t store_id_len, const char* hash,
                               size_t hash_len, theater_result_bytes* ret);
THEATER_IMPORT("store", "exists")
void theater__import_store_exists(const char* store_id, size_t store_id_len, const char* hash,
                                  size_t hash_len, theater_result_bool* ret);
THEATER_IMPORT("store", "get-by-label")
void theater__import_store_get_by_label(const char* store_id, size_t store_id_len,
                                        const char* label, size_t label_len,
                                        theater_result_option_content_ref* ret);
THEATER_IMPORT("store", "remove-label")
void theater__import_store_remove_label(const char* store_id, size_t store_id_len,
                                        const char* label, size_t label_len, theater_result* ret);
THEATER_IMPORT("store", "list-labels")
void theater__import_store_list_labels(const char* store_id, size_t store_id_len,
                                       theater_result_string_list* ret);
THEATER_IMPORT("store", "list-all-content")
void theater__import_store_list_all_content(const char* store_id, size_t store_id_len,
                                            theater_result_content_ref_list* ret);
THEATER_IMPORT("store", "calculate-total-size")
void theater__import_store_calculate_total_size(const char* store_id, size_t store_id_len,
                                                theater_result_u64* ret);

/// Creates a store; ok holds its id.
static inline theater_result_string theater_store_new(void) {
  theater_result_string ret;
  theater__import_store_new(&ret);
  return ret;
}

static inline theater_result_content_ref theater_store_store(theater_string store_id,
                                                             theater_bytes content) {
  theater_result_content_ref ret;
  theater__import_store_store(store_id.ptr, store_id.len, content.ptr, content.len, &ret);
  return ret;
}

static inline theater_result_bytes theater_store_get(theater_string store_id,
                                                     theater_content_ref ref) {
  theater_result_bytes ret;
  theater__import_store_get(store_id.ptr, store_id.len, ref.hash.ptr, ref.hash.len, &ret);
  return ret;
}

static inline theater_result_bool theater_store_exists(theater_string store_id,
                                                       theater_content_ref ref) {
  theater_result_bool ret;
  theater__import_store_exists(store_id.ptr, store_id.len, ref.hash.ptr, ref.hash.len, &ret);
  return ret;
}

static inline theater_result_option_content_ref theater_store_get_by_label(theater_string store_id,
                                                                           theater_string label) {
  theater_result_option_content_ref ret;
  theater__import_store_get_by_label(store_id.ptr, store_id.len, label.ptr, label.len, &ret);
  return ret;
}

static inline theater_result theater_store_remove_label(theater_string store_id,
                                                        theater_string label) {
  theater_result ret;
  theater__import_store_remove_label(store_id.ptr, store_id.len, label.ptr, label.len, &ret);
  return ret;
}

static inline theater_result_string_list theater_store_list_labels(theater_string store_id) {
  theater_result_string_list ret;
  theater__import_store_list_labels(store_id.ptr, store_id.len, &ret);
  return ret;
}

static inline theater_result_content_ref_list theater_store_list_all_content(
    theater_string store_id) {
  theater_result_content_ref_list ret;
  theater__import_store_list_all_content(store_id.ptr, store_id.len, &ret);
  return ret;
}

static inline theater_result_u64 theater_store_calculate_total_size(theater_string store_id) {
  theater_result_u64 ret;
  theater__import_store_calculate_total_size(store_id.ptr, store_id.len, &ret);
  return ret;
}

// Three functions share (store-id, label, content-ref) -> result<_, string>:
// core (i32 i32, i32 i32, i32 i32, i32 retptr) -> ().
#define THEATER__STORE_LABEL_AND_REF_FUNCTION(wit_name, c_name)                                    \
  THEATER_IMPORT("store", wit_name)                                                                \
  void theater__import_store_##c_name(const char* store_id, size_t store_id_len,                   \
                                      const char* label, size_t label_len, const char* hash,       \
                                      size_t hash_len, theater_result* ret);                       \
  static inline theater_result theater_store_##c_name(                                             \
      theater_string store_id, theater_string label, theater_content_ref ref) {                    \
    theater_result ret;                                                                            \
    theater__import_store_##c_name(store_id.ptr, store_id.len, label.ptr, label.len, ref.hash.ptr, \
                                   ref.hash.len, &ret);                                            \
    return ret;                                                                                    \
  }
/// Points a label at a content-ref the store holds (a label names one ref; it moves).
THEATER__STORE_LABEL_AND_REF_FUNCTION("label", label)
THEATER__STORE_LABEL_AND_REF_FUNCTION("remove-from-label", remove_from_label)
THEATER__STORE_LABEL_AND_REF_FUNCTION("replace-at-label", replace_at_label)

// Two functions share (store-id, label, content) -> result<content-ref, string>:
// core (i32 i32, i32 i32, i32 i32, i32 retptr) -> ().
#define THEATER__STORE_LABEL_AND_CONTENT_FUNCTION(wit_name, c_name)                                \
  THEATER_IMPORT("store", wit_name)                                                                \
  void theater__import_store_##c_name(const char* store_id, size_t store_id_len,                   \
                                      const char* label, size_t label_len, const uint8_t* content, \
                                      size_t content_len, theater_result_content_ref* ret);        \
  static inline theater_result_content_ref theater_store_##c_name(                                 \
      theater_string store_id, theater_string label, theater_bytes content) {                      \
    theater_result_content_ref ret;                                                                \
    theater__import_store_##c_name(store_id.ptr, store_id.len, label.ptr, label.len, content.ptr,  \
                                   content.len, &ret);                                             \
    return ret;                                                                                    \
  }
THEATER__STORE_LABEL_AND_CONTENT_FUNCTION("store-at-label", store_at_label)
THEATER__STORE_LABEL_AND_CONTENT_FUNCTION("replace-content-at-label", replace_content_at_label)

#ifdef __cplusplus
}
#endif

#endif  // THEATER_STORE_H
