// Compile check for the SDK: init calls every host function of every interface once,
// so that the test sees each import's core signature. (Nothing here is meant to make
// sense as an actor; results are freed and otherwise ignored.)
#include "theater/theater.h"

static void use_runtime(void) {
  theater_runtime_log(theater_str("hello"));
  theater_chain_event_list chain = theater_runtime_get_chain();
  theater_chain_event_list_free(&chain);
  theater_result shutdown = theater_runtime_shutdown(theater_no_bytes());
  theater_result_free(&shutdown);
}

static void use_process(void) {
  theater_process_config config;
  memset(&config, 0, sizeof config);
  config.program = theater_str("/bin/true");
  theater_result_u64 pid = theater_process_os_spawn(&config);
  theater_result_u64_free(&pid);
  theater_result_u32 written = theater_process_os_write_stdin(1, theater_bytes_view("x", 1));
  theater_result_u32_free(&written);
  theater_result results[] = {theater_process_os_close_stdin(1), theater_process_os_signal(1, 15),
                              theater_process_os_kill(1)};
  for (size_t i = 0; i < 3; ++i) theater_result_free(&results[i]);
  theater_result_process_status status = theater_process_os_status(1);
  theater_result_process_status_free(&status);
}

static void use_message_server(void) {
  theater_string peer = theater_str("peer");
  theater_bytes msg = theater_bytes_view("m", 1);
  theater_result results[] = {
      theater_message_send(peer, msg), theater_message_send_on_channel(peer, msg),
      theater_message_close_channel(peer), theater_message_respond_to_request(peer, msg),
      theater_message_cancel_request(peer)};
  for (size_t i = 0; i < 5; ++i) theater_result_free(&results[i]);
  theater_result_bytes reply = theater_message_request(peer, msg);
  theater_result_bytes_free(&reply);
  theater_result_string channel = theater_message_open_channel(peer, msg);
  theater_result_string_free(&channel);
  theater_string_list outstanding = theater_message_list_outstanding_requests();
  theater_string_list_free(&outstanding);
}

static void use_supervisor(void) {
  theater_string child = theater_str("child");
  theater_result_string spawned =
      theater_supervisor_spawn(theater_str("m.toml"), theater_no_bytes());
  theater_result_string_free(&spawned);
  theater_result_string resumed =
      theater_supervisor_resume(theater_str("m.toml"), theater_no_bytes());
  theater_result_string_free(&resumed);
  theater_string_list children = theater_supervisor_list_children();
  theater_string_list_free(&children);
  theater_result results[] = {theater_supervisor_stop_child(child),
                              theater_supervisor_restart_child(child)};
  for (size_t i = 0; i < 2; ++i) theater_result_free(&results[i]);
  theater_result_option_bytes state = theater_supervisor_get_child_state(child);
  theater_result_option_bytes_free(&state);
  theater_result_chain_events events = theater_supervisor_get_child_events(child);
  theater_result_chain_events_free(&events);
}

static void use_store(void) {
  theater_string store = theater_str("store");
  theater_string label = theater_str("label");
  theater_bytes content = theater_bytes_view("c", 1);
  theater_content_ref ref = {theater_str("00")};
  theater_result_string created = theater_store_new();
  theater_result_string_free(&created);
  theater_result_content_ref refs[] = {
      theater_store_store(store, content), theater_store_store_at_label(store, label, content),
      theater_store_replace_content_at_label(store, label, content)};
  for (size_t i = 0; i < 3; ++i) theater_result_content_ref_free(&refs[i]);
  theater_result_bytes got = theater_store_get(store, ref);
  theater_result_bytes_free(&got);
  theater_result_bool exists = theater_store_exists(store, ref);
  theater_result_bool_free(&exists);
  theater_result results[] = {theater_store_label(store, label, ref),
                              theater_store_remove_label(store, label),
                              theater_store_remove_from_label(store, label, ref),
                              theater_store_replace_at_label(store, label, ref)};
  for (size_t i = 0; i < 4; ++i) theater_result_free(&results[i]);
  theater_result_option_content_ref labelled = theater_store_get_by_label(store, label);
  theater_result_option_content_ref_free(&labelled);
  theater_result_string_list labels = theater_store_list_labels(store);
  theater_result_string_list_free(&labels);
  theater_result_content_ref_list all = theater_store_list_all_content(store);
  theater_result_content_ref_list_free(&all);
  theater_result_u64 size = theater_store_calculate_total_size(store);
  theater_result_u64_free(&size);
}

static void use_timing_and_random(void) {
  uint64_t now = theater_timing_now();
  theater_result waits[] = {theater_timing_sleep(1), theater_timing_deadline(now + 1)};
  for (size_t i = 0; i < 2; ++i) theater_result_free(&waits[i]);
  theater_result_bytes bytes = theater_random_bytes(4);
  theater_result_bytes_free(&bytes);
  theater_result_u64 number = theater_random_range(1, 7);
  theater_result_u64_free(&number);
  theater_result_f64 fraction = theater_random_float();
  theater_result_f64_free(&fraction);
  theater_result_string uuid = theater_random_generate_uuid();
  theater_result_string_free(&uuid);
}

static void use_environment_and_filesystem(void) {
  theater_string name = theater_str("HOME");
  theater_option_string home = theater_environment_get_var(name);
  theater_option_string_free(&home);
  theater_string_pair_list vars = theater_environment_list_vars();
  theater_string_pair_list_free(&vars);
  (void)theater_environment_exists(name);

  theater_string path = theater_str("data/file");
  theater_result_bytes content = theater_filesystem_read_file(path);
  theater_result_bytes_free(&content);
  theater_result_string_list files = theater_filesystem_list_files(path);
  theater_result_string_list_free(&files);
  theater_result_bool exists = theater_filesystem_path_exists(path);
  theater_result_bool_free(&exists);
  theater_result results[] = {theater_filesystem_write_file(path, theater_bytes_view("x", 1)),
                              theater_filesystem_delete_file(path),
                              theater_filesystem_create_dir(path),
                              theater_filesystem_delete_dir(path)};
  for (size_t i = 0; i < 4; ++i) theater_result_free(&results[i]);
}

static theater_result init(theater_state* state, theater_string actor_id) {
  use_runtime();
  use_process();
  use_message_server();
  use_supervisor();
  use_store();
  use_timing_and_random();
  use_environment_and_filesystem();
  return theater_ok();
}

THEATER_EXPORT_INIT(init)
