// `theater events <actor-id> [--format pretty|jsonl] [--type T]... [--from N]
// [--limit N]` and `theater verify <actor-id | file.jsonl>`: the persisted
// chain of an actor, read from $THEATER_HOME/theater.db (read-only, safe while
// a runtime writes). Both stream the chain, one segment at a time, and audit it
// as they go, so memory does not grow with the chain.
#include <charconv>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "chain/audit.h"
#include "chain/event_log.h"
#include "chain/jsonl.h"
#include "chain/links.h"
#include "cli/commands.h"
#include "cli/event_format.h"
#include "common/theater_home.h"

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

constexpr std::string_view kEventsCommand = "events";
constexpr std::string_view kVerifyCommand = "verify";
constexpr std::string_view kVerifyLinksCommand = "verify-links";

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
  THEATER_ASSIGN_OR_RETURN(const std::filesystem::path home, theater_home());
  const auto db = home / "theater.db";
  THEATER_ASSIGN_OR_RETURN(auto reader, chain::EventLogReader::open(db));
  auto report = chain::audit_stored_chain(*reader, actor_id, also);
  if (!report.ok()) return report.error().context(db.string());
  return report;
}

// Which events `theater events` prints. The whole chain is read and audited
// whatever is selected; only the printing is filtered.
struct EventSelection {
  std::vector<std::string> types;  // exact types, or prefixes ending in '/'; empty: every type
  uint64_t from = 0;               // the first chain index shown (0-based)
  uint64_t limit = std::numeric_limits<uint64_t>::max();  // at most this many shown

  bool type_matches(const std::string& event_type) const {
    if (types.empty()) return true;
    for (const std::string& wanted : types) {
      const bool prefix = wanted.ends_with('/');
      if (prefix ? event_type.starts_with(wanted) : event_type == wanted) return true;
    }
    return false;
  }
  // Whether the event at `index` is shown, given how many were shown before it.
  bool selects(const chain::Event& event, uint64_t index, uint64_t shown) const {
    return index >= from && shown < limit && type_matches(event.event_type);
  }
};

// CLI11 2.1 reads "-1" into an unsigned option as its wrap-around and lets an
// overflow through; a count or an index is decimal digits that fit in 64 bits.
const CLI::Validator kCount(
    [](std::string& text) -> std::string {
      uint64_t value = 0;
      const char* end = text.data() + text.size();
      const auto [stop, error] = std::from_chars(text.data(), end, value);
      if (text.empty() || error != std::errc() || stop != end) {
        return "expected a whole number from 0 to 2^64-1, got \"" + text + "\"";
      }
      return "";
    },
    "N");

Status print_pretty(const chain::Event& event, uint64_t index) {
  const std::string block = pretty_block(event, index);
  if (std::fwrite(block.data(), 1, block.size(), stdout) != block.size()) {
    return make_error(ErrorCode::kInternal, "writing events to stdout failed");
  }
  return ok_status();
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

int events_command(const std::string& actor_id, const std::string& format,
                   const EventSelection& selection) {
  uint64_t index = 0;
  uint64_t shown = 0;
  auto report = audit_actor(actor_id, [&](chain::Event& event) -> Status {
    const uint64_t at = index++;
    if (!selection.selects(event, at, shown)) return ok_status();
    ++shown;
    return format == "jsonl" ? print_jsonl(event, at) : print_pretty(event, at);
  });
  std::fflush(stdout);
  if (!report.ok()) {
    std::fprintf(stderr, "error: %s\n", report.error().message.c_str());
    return kExitBad;
  }
  // Every selected event was printed; a chain that does not hold says so, apart from them.
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

// Audits every chain and checks the links between them: 0 when every chain
// verifies and every link holds, 1 otherwise.
int verify_links_command(const std::vector<std::string>& targets) {
  chain::LinkChecker links;
  bool chains_ok = true;
  for (const std::string& target : targets) {
    const bool is_file = target.size() > 6 && target.ends_with(".jsonl");
    bool first = true;
    auto feed = [&](chain::Event& event) -> Status {
      if (first) {
        // An export names its actor only in its first event; a stored chain by its id.
        std::string id = target;
        if (is_file) {
          auto data = chain::cbor_data_to_json(event.data);
          if (data.ok() && data->is_object() && data->contains(chain::kActorIdKey) &&
              (*data)[chain::kActorIdKey].is_string())
            id = (*data)[chain::kActorIdKey].get<std::string>();
        }
        links.begin_chain(id);
        first = false;
      }
      links.add(event);
      return ok_status();
    };
    auto report = is_file ? chain::audit_jsonl_file(target, feed) : audit_actor(target, feed);
    if (!report.ok()) {
      std::printf("%s: error: %s\n", target.c_str(), report.error().message.c_str());
      chains_ok = false;
      continue;
    }
    std::printf("%s: %s\n", target.c_str(), report->summary().c_str());
    if (report->verdict != chain::Verdict::kOk && report->verdict != chain::Verdict::kIncomplete)
      chains_ok = false;
  }
  const chain::LinkReport report = links.finish();
  std::printf("links: %s\n", report.summary().c_str());
  return chains_ok && report.ok() ? kExitOk : kExitBad;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
  auto actor_id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("pretty");
  auto selection = std::make_shared<EventSelection>();
  CLI::App* cmd = app.add_subcommand(
      std::string(kEventsCommand),
      "Print an actor's persisted event chain (a warning on stderr when it does not verify)");
  cmd->add_option("actor-id", *actor_id, "The actor's id")->required();
  cmd->add_option("--format", *format, "pretty or jsonl")
      ->check(CLI::IsMember({"pretty", "jsonl"}));
  cmd->add_option("--type", selection->types,
                  "Only events of this type, or of every type under a prefix ending in '/' "
                  "(theater:simple/process/); may be given several times")
      ->allow_extra_args(false);  // one type per --type: `--type T <actor-id>` keeps the id
  cmd->add_option("--from", selection->from, "The first event shown, by chain index (0-based)")
      ->check(kCount);
  cmd->add_option("--limit", selection->limit, "At most this many events shown")->check(kCount);
  cmd->callback([=, &exit_code] { exit_code = events_command(*actor_id, *format, *selection); });
}

void add_verify_command(CLI::App& app, int& exit_code) {
  auto target = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      std::string(kVerifyCommand),
      "Recompute every hash and link of a chain; check it is whole and its actor's");
  cmd->footer(kVerifyExitCodes);
  cmd->add_option("target", *target, "An actor id (persisted chain) or a .jsonl export")
      ->required();
  cmd->callback([=, &exit_code] { exit_code = verify_command(*target); });
}

void add_verify_links_command(CLI::App& app, int& exit_code) {
  auto targets = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      std::string(kVerifyLinksCommand),
      "Verify two or more chains and every cross-chain link between them (each delivery names "
      "the sender's event that caused it)");
  cmd->footer(
      "Exit codes: 0 every chain verifies (ok or incomplete) and every link holds; 1 a chain "
      "or a link does not hold; 2 usage error");
  cmd->add_option("targets", *targets, "Actor ids (persisted chains) or .jsonl exports")
      ->required()
      ->expected(2, -1);
  cmd->callback([=, &exit_code] { exit_code = verify_links_command(*targets); });
}

bool is_log_command(std::string_view name) {
  return name == kEventsCommand || name == kVerifyCommand || name == kVerifyLinksCommand ||
         is_store_command(name);
}

}  // namespace theater::cli
