// WIT interface theater:simple/filesystem: files under the actor's granted
// directories only. Every function returns a result: the last parameter is its
// return area.
#ifndef THEATER_FILESYSTEM_H
#define THEATER_FILESYSTEM_H

#include "theater/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

// (i32 i32 path, i32 retptr) -> ()
THEATER_IMPORT("filesystem", "read-file")
void theater__import_filesystem_read_file(const char* path, size_t path_len,
                                          theater_result_bytes* ret);
// (i32 i32 path, i32 i32 content, i32 retptr) -> ()
THEATER_IMPORT("filesystem", "write-file")
void theater__import_filesystem_write_file(const char* path, size_t path_len,
                                           const uint8_t* content, size_t content_len,
                                           theater_result* ret);
THEATER_IMPORT("filesystem", "list-files")
void theater__import_filesystem_list_files(const char* path, size_t path_len,
                                           theater_result_string_list* ret);
THEATER_IMPORT("filesystem", "path-exists")
void theater__import_filesystem_path_exists(const char* path, size_t path_len,
                                            theater_result_bool* ret);

static inline theater_result_bytes theater_filesystem_read_file(theater_string path) {
  theater_result_bytes ret;
  theater__import_filesystem_read_file(path.ptr, path.len, &ret);
  return ret;
}

static inline theater_result theater_filesystem_write_file(theater_string path,
                                                           theater_bytes content) {
  theater_result ret;
  theater__import_filesystem_write_file(path.ptr, path.len, content.ptr, content.len, &ret);
  return ret;
}

static inline theater_result_string_list theater_filesystem_list_files(theater_string path) {
  theater_result_string_list ret;
  theater__import_filesystem_list_files(path.ptr, path.len, &ret);
  return ret;
}

static inline theater_result_bool theater_filesystem_path_exists(theater_string path) {
  theater_result_bool ret;
  theater__import_filesystem_path_exists(path.ptr, path.len, &ret);
  return ret;
}

// Three functions share (path) -> result<_, string>: core (i32 i32, i32 retptr) -> ().
#define THEATER__FILESYSTEM_PATH_FUNCTION(wit_name, c_name)                       \
  THEATER_IMPORT("filesystem", wit_name)                                          \
  void theater__import_filesystem_##c_name(const char* path, size_t path_len,     \
                                           theater_result* ret);                  \
  static inline theater_result theater_filesystem_##c_name(theater_string path) { \
    theater_result ret;                                                           \
    theater__import_filesystem_##c_name(path.ptr, path.len, &ret);                \
    return ret;                                                                   \
  }
THEATER__FILESYSTEM_PATH_FUNCTION("delete-file", delete_file)
THEATER__FILESYSTEM_PATH_FUNCTION("create-dir", create_dir)
THEATER__FILESYSTEM_PATH_FUNCTION("delete-dir", delete_dir)

#ifdef __cplusplus
}
#endif

#endif  // THEATER_FILESYSTEM_H
