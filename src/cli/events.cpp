// `theater events <actor-id> [--format pretty|jsonl]` and
// `theater verify <actor-id | file.jsonl>`: the persisted chain of an actor,
// read from $THEATER_HOME/theater.db (read-only, safe while a runtime writes).
// Both stream the chain, one segment at a time, and audit it as they go, so
// memory does not grow with the chain.
#include <cstdio>
#include <string>

#include "chain/audit.h"
#include "chain/event_log.h"
#include "chain/jsonl.h"
#include "cli/commands.h"
#include "runtime/theater_runtime.h"

namespace theater::cli {
namespace {

// `theater verify`'s exit codes (its --help and src/cli/README.md say the same).
constexpr int kExitOk = 0;
constexpr int kExitBad = 1;  // broken, truncated, mismatch, or unreadable
constexpr int kExitIncomplete = 3;

constexpr const char* kVerifyExitCodes =
    "Verdicts and exit codes:\n"
    "  0  ok          every hash and link holds, the chain is whole and its actor stopped\n"
    "  3  incomplete  it holds but has no theater-runtime/stopped event: the actor is still\n"
    "                 running, or it was killed\n"
    "  1  broken      a hash or link does not hold, or stored bytes are damaged or missing\n"
    "     truncated   the chain ends before (or past) the head the log recorded for it\n"
    "     mismatch    the chain stored under this id binds another actor's id\n"
    "     (or the log cannot be read)\n"
    "  2  usage error\n";

int exit_code_of(chain::Verdict verdict) {
  switch (verdict) {
    case chain::Verdict::kOk:
      return kExitOk;
    case chain::Verdict::kIncomplete:
      return kExitIncomplete;
    default:
      return kExitBad;
  }
}

// Audits the actor's stored chain, handing each event to `also` on the way.
Result<chain::ChainReport> audit_actor(const std::string& actor_id,
                                       const chain::EventVisitor& also) {
  THEATER_ASSIGN_OR_RETURN(const std::filesystem::path home,
                           runtime::RuntimeOptions::default_home());
  const auto db = home / "theater.db";
  THEATER_ASSIGN_OR_RETURN(auto reader, chain::EventLogReader::open(db));
  auto report = chain::audit_stored_chain(*reader, actor_id, also);
  if (!report.ok()) return report.error().context(db.string());
  return report;
}

void print_pretty(const chain::Event& event, uint64_t index) {
  auto data = chain::cbor_data_to_json(event.data);
  std::string shown = data.ok()
                          ? data->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                          : std::to_string(event.data.size()) + " bytes";
  std::printf("%4llu  %llu  %s  %s%s%s\n      %s\n", static_cast<unsigned long long>(index),
              static_cast<unsigned long long>(event.timestamp_ms),
              chain::hash_to_hex(event.hash).substr(0, 12).c_str(), event.event_type.c_str(),
              event.description ? "  " : "", event.description ? event.description->c_str() : "",
              shown.c_str());
}

Status print_jsonl(const chain::Event& event, uint64_t index) {
  auto line = chain::to_jsonl_line(event);
  if (!line.ok()) return line.error().context("event " + std::to_string(index));
  line->push_back('\n');
  if (std::fwrite(line->data(), 1, line->size(), stdout) != line->size()) {
    return make_error(ErrorCode::kInternal, "writing JSON Lines to stdout failed");
  }
  return ok_status();
}

int events_command(const std::string& actor_id, const std::string& format) {
  uint64_t index = 0;
  auto report = audit_actor(actor_id, [&](chain::Event& event) -> Status {
    const uint64_t at = index++;
    if (format == "jsonl") return print_jsonl(event, at);
    print_pretty(event, at);
    return ok_status();
  });
  std::fflush(stdout);
  if (!report.ok()) {
    std::fprintf(stderr, "error: %s\n", report.error().message.c_str());
    return kExitBad;
  }
  // Every event was printed; a chain that does not hold says so, apart from them.
  if (report->verdict != chain::Verdict::kOk) {
    std::fprintf(stderr, "warning: this chain does not verify as whole and stopped: %s\n",
                 report->summary().c_str());
  }
  return kExitOk;
}

int verify_command(const std::string& target) {
  const bool is_file = target.size() > 6 && target.ends_with(".jsonl");
  auto report = is_file ? chain::audit_jsonl_file(target) : audit_actor(target, nullptr);
  if (!report.ok()) {
    // Stored bytes that do not decode, or lie past the file's end, are a broken chain too.
    const bool damaged = report.error().code == ErrorCode::kInvalidArgument;
    std::printf("%s: %s\n", damaged ? "broken" : "error", report.error().message.c_str());
    return kExitBad;
  }
  std::printf("%s\n", report->summary().c_str());
  return exit_code_of(report->verdict);
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
  auto actor_id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("pretty");
  CLI::App* cmd = app.add_subcommand(
      "events",
      "Print an actor's persisted event chain (a warning on stderr when it does not verify)");
  cmd->add_option("actor-id", *actor_id, "The actor's id")->required();
  cmd->add_option("--format", *format, "pretty or jsonl")
      ->check(CLI::IsMember({"pretty", "jsonl"}));
  cmd->callback([=, &exit_code] { exit_code = events_command(*actor_id, *format); });
}

void add_verify_command(CLI::App& app, int& exit_code) {
  auto target = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Recompute every hash and link of a chain; check it is whole and its actor's");
  cmd->footer(kVerifyExitCodes);
  cmd->add_option("target", *target, "An actor id (persisted chain) or a .jsonl export")
      ->required();
  cmd->callback([=, &exit_code] { exit_code = verify_command(*target); });
}

}  // namespace theater::cli
