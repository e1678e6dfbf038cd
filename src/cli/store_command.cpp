// `theater store`: inspect and fill the content store ($THEATER_HOME/store.db)
// without a runtime or V8: ls, get, put, label (and new, to make a store to
// put into). A log command: it only opens the store's SQLite file, which a
// running runtime shares through SQLite's locks.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "common/theater_home.h"
#include "store/content_store.h"
#include "store/validation.h"

namespace theater::cli {
namespace {

constexpr std::string_view kStoreCommand = "store";

int fail(const Error& error) {
  std::fprintf(stderr, "error: %s\n", error.message.c_str());
  // A malformed id, label or hash is the command line's fault.
  return error.code == ErrorCode::kInvalidArgument ? exit_codes::kUsage : exit_codes::kFailure;
}

// The store file; reading commands do not create one.
Result<std::unique_ptr<store::ContentStore>> open_store(bool create) {
  THEATER_ASSIGN_OR_RETURN(const std::filesystem::path home, theater_home());
  const std::filesystem::path path = store::ContentStore::path_in(home);
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return make_error(ErrorCode::kNotFound, "no content store at " + path.string() +
                                                " (nothing was stored under this THEATER_HOME)");
  }
  if (create) std::filesystem::create_directories(home, ec);
  return store::ContentStore::open(path);
}

// The CLI writes for its user; the manifests store is the runtime's record.
Status check_writable(std::string_view store_id) {
  if (store_id != store::kManifestsStore) return ok_status();
  return make_error(ErrorCode::kPermissionDenied,
                    "the manifests store is written by the runtime only");
}

int list(const std::string& store_id) {
  auto opened = open_store(false);
  if (!opened.ok()) return fail(opened.error());
  store::ContentStore& content = **opened;
  if (store_id.empty()) {
    auto stores = content.list_stores();
    if (!stores.ok()) return fail(stores.error());
    for (const store::StoreSummary& s : *stores) {
      std::printf("%s  %llu bytes  %llu contents  %llu labels  creator %s\n", s.id.c_str(),
                  static_cast<unsigned long long>(s.total_bytes),
                  static_cast<unsigned long long>(s.contents),
                  static_cast<unsigned long long>(s.labels),
                  s.creator.empty() ? "-" : s.creator.c_str());
    }
    return exit_codes::kSuccess;
  }
  auto labels = content.labels(store_id);
  if (!labels.ok()) return fail(labels.error());
  for (const std::string& label : *labels) {
    auto target = content.label_target(store_id, label);
    if (!target.ok()) return fail(target.error());
    std::printf("label %s %s\n", target->value_or("").c_str(), label.c_str());
  }
  auto hashes = content.contents(store_id);
  if (!hashes.ok()) return fail(hashes.error());
  for (const std::string& hash : *hashes) {
    std::printf("content %s %llu\n", hash.c_str(),
                static_cast<unsigned long long>(content.size_of_blob(hash)));
  }
  return exit_codes::kSuccess;
}

// A 64-digit hex ref is a hash; anything else is a label.
int get(const std::string& store_id, const std::string& ref_or_label) {
  auto opened = open_store(false);
  if (!opened.ok()) return fail(opened.error());
  std::string hash = ref_or_label;
  if (!store::check_hash(ref_or_label).ok()) {
    auto target = (*opened)->label_target(store_id, ref_or_label);
    if (!target.ok()) return fail(target.error());
    if (!*target) {
      return fail(make_error(ErrorCode::kNotFound,
                             "store " + store_id + " has no label \"" + ref_or_label + "\""));
    }
    hash = **target;
  }
  auto content = (*opened)->get(store_id, hash);
  if (!content.ok()) return fail(content.error());
  if (!content->empty() &&
      std::fwrite(content->data(), 1, content->size(), stdout) != content->size()) {
    return fail(make_error(ErrorCode::kInternal, "cannot write the content to stdout"));
  }
  return std::fflush(stdout) == 0 ? exit_codes::kSuccess : exit_codes::kFailure;
}

Result<store::Bytes> read_input(const std::string& file) {
  if (file.empty() || file == "-") {
    return store::Bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "cannot read " + file);
  return store::Bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int put(const std::string& store_id, const std::string& file, const std::string& label) {
  if (Status writable = check_writable(store_id); !writable.ok()) return fail(writable.error());
  auto input = read_input(file);
  if (!input.ok()) return fail(input.error());
  auto opened = open_store(true);
  if (!opened.ok()) return fail(opened.error());
  auto hash = label.empty() ? (*opened)->put(store_id, *input)
                            : (*opened)->put_at_label(store_id, label, *input);
  if (!hash.ok()) return fail(hash.error());
  std::printf("%s\n", hash->c_str());
  return exit_codes::kSuccess;
}

int set_label(const std::string& store_id, const std::string& label, const std::string& hash) {
  if (Status writable = check_writable(store_id); !writable.ok()) return fail(writable.error());
  auto opened = open_store(true);
  if (!opened.ok()) return fail(opened.error());
  Status done = (*opened)->set_label(store_id, label, hash);
  return done.ok() ? exit_codes::kSuccess : fail(done.error());
}

int create() {
  auto opened = open_store(true);
  if (!opened.ok()) return fail(opened.error());
  auto id = (*opened)->create("");
  if (!id.ok()) return fail(id.error());
  std::printf("%s\n", id->c_str());
  return exit_codes::kSuccess;
}

}  // namespace

void add_store_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(std::string(kStoreCommand),
                                     "Inspect and fill the content store ($THEATER_HOME/store.db)");
  cmd->require_subcommand(1);
  cmd->footer(
      "Exit codes: 0 done; 1 not found or the store cannot be used; 2 usage error (a malformed "
      "store id, label or hash)");

  auto ls_id = std::make_shared<std::string>();
  CLI::App* ls = cmd->add_subcommand("ls", "List the stores, or one store's labels and content");
  ls->add_option("store-id", *ls_id, "A store id (a UUID, or manifests)");
  ls->callback([=, &exit_code] { exit_code = list(*ls_id); });

  auto get_id = std::make_shared<std::string>();
  auto get_ref = std::make_shared<std::string>();
  CLI::App* get_cmd = cmd->add_subcommand("get", "Write content to stdout, by hash or by label");
  get_cmd->add_option("store-id", *get_id, "A store id")->required();
  get_cmd->add_option("ref-or-label", *get_ref, "A content hash (64 hex digits) or a label")
      ->required();
  get_cmd->callback([=, &exit_code] { exit_code = get(*get_id, *get_ref); });

  auto put_id = std::make_shared<std::string>();
  auto put_file = std::make_shared<std::string>();
  auto put_label = std::make_shared<std::string>();
  CLI::App* put_cmd = cmd->add_subcommand("put", "Store a file (or stdin); prints its hash");
  put_cmd->add_option("store-id", *put_id, "A store id")->required();
  put_cmd->add_option("file", *put_file, "The file to store; - or nothing: stdin");
  put_cmd->add_option("--label", *put_label, "Also point this label at it");
  put_cmd->callback([=, &exit_code] { exit_code = put(*put_id, *put_file, *put_label); });

  auto label_id = std::make_shared<std::string>();
  auto label_name = std::make_shared<std::string>();
  auto label_hash = std::make_shared<std::string>();
  CLI::App* label_cmd = cmd->add_subcommand("label", "Point a label at content the store holds");
  label_cmd->add_option("store-id", *label_id, "A store id")->required();
  label_cmd->add_option("label", *label_name, "The label")->required();
  label_cmd->add_option("hash", *label_hash, "A content hash the store holds")->required();
  label_cmd->callback(
      [=, &exit_code] { exit_code = set_label(*label_id, *label_name, *label_hash); });

  CLI::App* new_cmd = cmd->add_subcommand("new", "Create an empty store; prints its id");
  new_cmd->callback([&exit_code] { exit_code = create(); });
}

bool is_store_command(std::string_view name) {
  return name == kStoreCommand;
}

}  // namespace theater::cli
