// `theater events <actor-id> [--format pretty|jsonl]` and
// `theater verify <actor-id | file.jsonl>`: the persisted chain of an actor,
// read from $THEATER_HOME/theater.db (read-only, safe while a runtime writes).
#include <cstdio>
#include <iostream>

#include "chain/event_log.h"
#include "chain/jsonl.h"
#include "chain/verify.h"
#include "cli/commands.h"
#include "runtime/theater_runtime.h"

namespace theater::cli {
namespace {

Result<std::vector<chain::Event>> load_events(const std::string& actor_id) {
  THEATER_ASSIGN_OR_RETURN(const std::filesystem::path home,
                           runtime::RuntimeOptions::default_home());
  const auto db = home / "theater.db";
  THEATER_ASSIGN_OR_RETURN(auto reader, chain::EventLogReader::open(db));
  THEATER_ASSIGN_OR_RETURN(auto events, reader->read_events(actor_id));
  if (events.empty())
    return make_error(ErrorCode::kNotFound,
                      "no events for actor " + actor_id + " in " + db.string());
  return events;
}

void print_pretty(const chain::Event& event, size_t index) {
  auto data = chain::cbor_data_to_json(event.data);
  std::string shown = data.ok()
                          ? data->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                          : std::to_string(event.data.size()) + " bytes";
  std::printf("%4zu  %llu  %s  %s%s%s\n      %s\n", index,
              static_cast<unsigned long long>(event.timestamp_ms),
              chain::hash_to_hex(event.hash).substr(0, 12).c_str(), event.event_type.c_str(),
              event.description ? "  " : "", event.description ? event.description->c_str() : "",
              shown.c_str());
}

int events_command(const std::string& actor_id, const std::string& format) {
  auto events = load_events(actor_id);
  if (!events.ok()) {
    std::fprintf(stderr, "error: %s\n", events.error().message.c_str());
    return 1;
  }
  if (format == "jsonl") {
    Status written = chain::write_jsonl(std::cout, *events);
    std::cout.flush();
    if (!written.ok()) {
      std::fprintf(stderr, "error: %s\n", written.error().message.c_str());
      return 1;
    }
    return 0;
  }
  for (size_t i = 0; i < events->size(); ++i) print_pretty((*events)[i], i);
  return 0;
}

int verify_command(const std::string& target) {
  const bool is_file = target.size() > 6 && target.ends_with(".jsonl");
  auto events = is_file ? chain::read_jsonl_file(target) : load_events(target);
  if (!events.ok()) {
    std::fprintf(stderr, "error: %s\n", events.error().message.c_str());
    return 1;
  }
  if (auto fault = chain::find_first_fault(*events)) {
    std::printf("chain does not verify: %s\n", fault->message().c_str());
    return 1;
  }
  std::printf("ok: %zu events verify\n", events->size());
  return 0;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
  auto actor_id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("pretty");
  CLI::App* cmd = app.add_subcommand("events", "Print an actor's persisted event chain");
  cmd->add_option("actor-id", *actor_id, "The actor's id")->required();
  cmd->add_option("--format", *format, "pretty or jsonl")
      ->check(CLI::IsMember({"pretty", "jsonl"}));
  cmd->callback([=, &exit_code] { exit_code = events_command(*actor_id, *format); });
}

void add_verify_command(CLI::App& app, int& exit_code) {
  auto target = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("verify", "Recompute every hash and link of a chain");
  cmd->add_option("target", *target, "An actor id (persisted chain) or a .jsonl export")
      ->required();
  cmd->callback([=, &exit_code] { exit_code = verify_command(*target); });
}

}  // namespace theater::cli
