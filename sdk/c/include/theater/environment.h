// WIT interface theater:simple/environment: host variables the manifest allows.
#ifndef THEATER_ENVIRONMENT_H
#define THEATER_ENVIRONMENT_H

#include "theater/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

// (i32 ptr, i32 len, i32 retptr) -> ()
THEATER_IMPORT("environment", "get-var")
void theater__import_environment_get_var(const char* name, size_t name_len,
                                         theater_option_string* ret);
// (i32 retptr) -> ()
THEATER_IMPORT("environment", "list-vars")
void theater__import_environment_list_vars(theater_string_pair_list* ret);
// (i32 ptr, i32 len) -> i32: a bool is one flat result, returned directly.
THEATER_IMPORT("environment", "exists")
int32_t theater__import_environment_exists(const char* name, size_t name_len);

/// Free with theater_option_string_free.
static inline theater_option_string theater_environment_get_var(theater_string name) {
  theater_option_string ret;
  theater__import_environment_get_var(name.ptr, name.len, &ret);
  return ret;
}

/// (name, value) pairs; free with theater_string_pair_list_free.
static inline theater_string_pair_list theater_environment_list_vars(void) {
  theater_string_pair_list ret;
  theater__import_environment_list_vars(&ret);
  return ret;
}

static inline bool theater_environment_exists(theater_string name) {
  return theater__import_environment_exists(name.ptr, name.len) != 0;
}

#ifdef __cplusplus
}
#endif

#endif  // THEATER_ENVIRONMENT_H
