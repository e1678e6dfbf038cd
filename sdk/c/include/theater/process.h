// WIT interfaces theater:simple/process (imports: start and drive OS processes) and
// theater:simple/process-handlers (exports: hear from them).
// Process ids are the runtime's own (1, 2, 3, ... per actor), never OS pids.
#ifndef THEATER_PROCESS_H
#define THEATER_PROCESS_H

#include "theater/exports.h"

#ifdef __cplusplus
extern "C" {
#endif

/// variant output-mode (4 cases without payload: one byte in memory, i32 when flat).
typedef uint8_t theater_process_output_mode;
enum {
  THEATER_OUTPUT_RAW,           // bytes as they arrive, at most buffer-size per callback
  THEATER_OUTPUT_LINE_BY_LINE,  // one callback per line, without its terminator
  THEATER_OUTPUT_JSON,          // one callback per newline-delimited JSON value
  THEATER_OUTPUT_CHUNKED,       // fixed pieces of chunk-size bytes
};

/// record process-config. Every pointer is borrowed by os-spawn (the host copies).
typedef struct theater_process_config {
  theater_string program;  // absolute path or a name looked up in env's PATH
  theater_string_list args;
  theater_option_string cwd;
  theater_string_pair_list env;  // the child's whole environment
  uint32_t buffer_size;          // 0 means 4096
  theater_process_output_mode stdout_mode;
  theater_process_output_mode stderr_mode;
  theater_option_u32 chunk_size;         // required for chunked mode
  theater_option_u64 execution_timeout;  // seconds
} theater_process_config;
THEATER_ASSERT_LAYOUT(theater_process_config, 72, 8);
THEATER_ASSERT_OFFSET(theater_process_config, buffer_size, 36);
THEATER_ASSERT_OFFSET(theater_process_config, stdout_mode, 40);
THEATER_ASSERT_OFFSET(theater_process_config, chunk_size, 44);
THEATER_ASSERT_OFFSET(theater_process_config, execution_timeout, 56);

/// record process-status
typedef struct theater_process_status {
  uint64_t pid;
  bool running;
  theater_option_s32 exit_code;  // the negated signal number when a signal ended it
  uint64_t start_time;           // milliseconds since the Unix epoch
} theater_process_status;
THEATER_ASSERT_LAYOUT(theater_process_status, 32, 8);
THEATER_ASSERT_OFFSET(theater_process_status, exit_code, 12);
THEATER_ASSERT_OFFSET(theater_process_status, start_time, 24);

THEATER_DEFINE_RESULT(theater_result_process_status, theater_process_status,
                      THEATER_NOTHING_TO_FREE)
THEATER_ASSERT_LAYOUT(theater_result_process_status, 40, 8);

// Raw imports. process-config flattens to exactly 16 values (MAX_FLAT_PARAMS), so it
// is passed flat, not through memory; every result here needs a return area.
// (program 2, args 2, cwd 3, env 2, buffer-size, stdout-mode, stderr-mode,
//  chunk-size 2 (i32 i32), execution-timeout 2 (i32 i64), i32 retptr) -> ()
THEATER_IMPORT("process", "os-spawn")
void theater__import_process_os_spawn(const char* program, size_t program_len,
                                      const theater_string* args, size_t args_len,
                                      int32_t cwd_is_some, const char* cwd, size_t cwd_len,
                                      const theater_string_pair* env, size_t env_len,
                                      uint32_t buffer_size, int32_t stdout_mode,
                                      int32_t stderr_mode, int32_t chunk_size_is_some,
                                      uint32_t chunk_size, int32_t execution_timeout_is_some,
                                      uint64_t execution_timeout, theater_result_u64* ret);
// (i64 pid, i32 ptr, i32 len, i32 retptr) -> ()
THEATER_IMPORT("process", "os-write-stdin")
void theater__import_process_os_write_stdin(uint64_t pid, const uint8_t* data, size_t data_len,
                                            theater_result_u32* ret);
// (i64 pid, i32 retptr) -> ()
THEATER_IMPORT("process", "os-close-stdin")
void theater__import_process_os_close_stdin(uint64_t pid, theater_result* ret);
THEATER_IMPORT("process", "os-status")
void theater__import_process_os_status(uint64_t pid, theater_result_process_status* ret);
// (i64 pid, i32 signal, i32 retptr) -> ()
THEATER_IMPORT("process", "os-signal")
void theater__import_process_os_signal(uint64_t pid, uint32_t signal, theater_result* ret);
THEATER_IMPORT("process", "os-kill")
void theater__import_process_os_kill(uint64_t pid, theater_result* ret);

/// Starts a process; ok holds its id. `config` is only read.
static inline theater_result_u64 theater_process_os_spawn(const theater_process_config* config) {
  theater_result_u64 ret;
  theater__import_process_os_spawn(
      config->program.ptr, config->program.len, config->args.ptr, config->args.len,
      THEATER_FLAT_OPTION_LIST(config->cwd), config->env.ptr, config->env.len, config->buffer_size,
      config->stdout_mode, config->stderr_mode, THEATER_FLAT_OPTION_SCALAR(config->chunk_size),
      THEATER_FLAT_OPTION_SCALAR(config->execution_timeout), &ret);
  return ret;
}

/// Queues bytes for the child's stdin; ok holds how many were accepted.
static inline theater_result_u32 theater_process_os_write_stdin(uint64_t pid, theater_bytes data) {
  theater_result_u32 ret;
  theater__import_process_os_write_stdin(pid, data.ptr, data.len, &ret);
  return ret;
}

/// Closes the child's stdin once the queued bytes are written.
static inline theater_result theater_process_os_close_stdin(uint64_t pid) {
  theater_result ret;
  theater__import_process_os_close_stdin(pid, &ret);
  return ret;
}

static inline theater_result_process_status theater_process_os_status(uint64_t pid) {
  theater_result_process_status ret;
  theater__import_process_os_status(pid, &ret);
  return ret;
}

/// Sends a signal (Linux number) to the child's whole process group.
static inline theater_result theater_process_os_signal(uint64_t pid, uint32_t signal) {
  theater_result ret;
  theater__import_process_os_signal(pid, signal, &ret);
  return ret;
}

/// Kills the child's whole process group (SIGKILL).
static inline theater_result theater_process_os_kill(uint64_t pid) {
  theater_result ret;
  theater__import_process_os_kill(pid, &ret);
  return ret;
}

#ifdef __cplusplus
}
#endif

// ---- process-handlers exports ------------------------------------------------
// For each process, every stdout and stderr callback comes before its handle-exit.

/// handle-stdout / handle-stderr: params tuple<u64, list<u8>>;
/// core: (i32 i32 i32 | i64 pid, i32 ptr, i32 len) -> i32. `data` is borrowed.
typedef theater_result theater_process_output_fn(theater_state* state, uint64_t pid,
                                                 theater_bytes data);
/// handle-exit: params tuple<u64, s32>; core: (i32 i32 i32 | i64, i32) -> i32.
/// exit_code is the negated signal number when a signal ended the process.
typedef theater_result theater_process_exit_fn(theater_state* state, uint64_t pid,
                                               int32_t exit_code);

#define THEATER__DEFINE_OUTPUT_EXPORT(wit_func, c_name, fn)                                      \
  THEATER__DEFINE_STATE_EXPORT(                                                                  \
      "process-handlers#" wit_func, c_name, (uint64_t pid, uint8_t * data_ptr, size_t data_len), \
      fn(&theater__state, pid, theater__borrow_bytes(data_ptr, data_len)))

#define THEATER_EXPORT_HANDLE_STDOUT(fn) \
  THEATER__DEFINE_OUTPUT_EXPORT("handle-stdout", process_handle_stdout, fn)
#define THEATER_EXPORT_HANDLE_STDERR(fn) \
  THEATER__DEFINE_OUTPUT_EXPORT("handle-stderr", process_handle_stderr, fn)
#define THEATER_EXPORT_HANDLE_EXIT(fn)                                              \
  THEATER__DEFINE_STATE_EXPORT("process-handlers#handle-exit", process_handle_exit, \
                               (uint64_t pid, int32_t exit_code),                   \
                               fn(&theater__state, pid, exit_code))

#endif  // THEATER_PROCESS_H
