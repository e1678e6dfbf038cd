#include "store/content_store.h"

#include <chrono>

#include "common/sha256.h"
#include "common/sqlite_db.h"
#include "common/uuid.h"

namespace theater::store {
namespace {

using sqlite::Database;
using sqlite::Statement;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS blobs (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stores (
  id TEXT PRIMARY KEY,
  creator TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  total_bytes INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS members (
  store_id TEXT NOT NULL REFERENCES stores(id),
  hash TEXT NOT NULL REFERENCES blobs(hash),
  PRIMARY KEY (store_id, hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS labels (
  store_id TEXT NOT NULL REFERENCES stores(id),
  label TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (store_id, label)) WITHOUT ROWID;
)sql";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Resets a statement when the call that stepped it ends, whatever happened.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) : statement_(statement) {}
  ~ResetOnExit() { statement_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& statement_;
};

// Binds text parameters 1..n in order.
Status bind_texts(Statement& statement, std::initializer_list<std::string_view> texts) {
  int index = 1;
  for (std::string_view text : texts) THEATER_RETURN_IF_ERROR(statement.bind_text(index++, text));
  return ok_status();
}

// Runs a statement that returns no rows.
Status run(Statement& statement) {
  ResetOnExit reset(statement);
  THEATER_ASSIGN_OR_RETURN(const bool row, statement.step());
  (void)row;
  return ok_status();
}

Error no_content(std::string_view store_id, std::string_view hash) {
  return make_error(ErrorCode::kNotFound,
                    "store " + std::string(store_id) + " holds no content " + std::string(hash));
}

}  // namespace

struct ContentStore::Impl {
  explicit Impl(Database opened) : db(std::move(opened)) {}

  Database db;
  Statement begin, commit, rollback;
  Statement insert_blob, blob_size;
  Statement insert_store, store_row, add_store_bytes, list_stores;
  Statement insert_member, member_exists, get_content;
  Statement upsert_label, label_target, delete_label, list_labels, list_contents;

  // A write transaction: BEGIN IMMEDIATE (the write lock up front, so a
  // quota check and the write it allows see the same store), rolled back
  // unless committed.
  class Transaction {
   public:
    explicit Transaction(Impl& impl) : impl_(impl) {}
    ~Transaction() {
      if (open_) (void)run(impl_.rollback);
    }
    Status begin() {
      THEATER_RETURN_IF_ERROR(run(impl_.begin));
      open_ = true;
      return ok_status();
    }
    Status commit() {
      THEATER_RETURN_IF_ERROR(run(impl_.commit));
      open_ = false;
      return ok_status();
    }

   private:
    Impl& impl_;
    bool open_ = false;
  };

  // kNotFound naming the store when it does not exist; its total size otherwise.
  Result<std::uint64_t> store_bytes(std::string_view store_id) {
    THEATER_RETURN_IF_ERROR(check_store_id(store_id));
    ResetOnExit reset(store_row);
    THEATER_RETURN_IF_ERROR(bind_texts(store_row, {store_id}));
    THEATER_ASSIGN_OR_RETURN(const bool found, store_row.step());
    if (!found) {
      return make_error(ErrorCode::kNotFound, "no store " + std::string(store_id) +
                                                  " (a store exists once new() created it)");
    }
    return static_cast<std::uint64_t>(store_row.column_int64(1));
  }

  Result<bool> holds(std::string_view store_id, std::string_view hash) {
    ResetOnExit reset(member_exists);
    THEATER_RETURN_IF_ERROR(bind_texts(member_exists, {store_id, hash}));
    return member_exists.step();
  }

  // The blob's size, or nullopt when no store has it.
  Result<std::optional<std::uint64_t>> blob(std::string_view hash) {
    ResetOnExit reset(blob_size);
    THEATER_RETURN_IF_ERROR(bind_texts(blob_size, {hash}));
    THEATER_ASSIGN_OR_RETURN(const bool found, blob_size.step());
    if (!found) return std::optional<std::uint64_t>();
    return std::optional<std::uint64_t>(blob_size.column_int64(0));
  }

  // Inside a transaction: makes `hash` (of `content`) a member of the store.
  // Content the store holds already costs nothing; content another store
  // holds is not written again.
  Status add_member(std::string_view store_id, std::uint64_t store_total, const std::string& hash,
                    std::span<const std::uint8_t> content, const Quota& quota) {
    THEATER_ASSIGN_OR_RETURN(const bool already, holds(store_id, hash));
    if (already) return ok_status();
    const std::uint64_t after = store_total + content.size();
    if (quota.max_bytes && after > *quota.max_bytes) {
      return make_error(ErrorCode::kResourceExhausted,
                        "quota exceeded: store " + std::string(store_id) + " holds " +
                            std::to_string(store_total) + " bytes, " +
                            std::to_string(content.size()) + " more would pass its max_bytes of " +
                            std::to_string(*quota.max_bytes));
    }
    {
      // OR IGNORE: content another store holds is not written again.
      ResetOnExit reset(insert_blob);
      THEATER_RETURN_IF_ERROR(insert_blob.bind_text(1, hash));
      THEATER_RETURN_IF_ERROR(insert_blob.bind_int64(2, static_cast<std::int64_t>(content.size())));
      THEATER_RETURN_IF_ERROR(insert_blob.bind_blob(3, content));
      THEATER_ASSIGN_OR_RETURN(const bool row, insert_blob.step());
      (void)row;
    }
    THEATER_RETURN_IF_ERROR(bind_texts(insert_member, {store_id, hash}));
    THEATER_RETURN_IF_ERROR(run(insert_member));
    THEATER_RETURN_IF_ERROR(
        add_store_bytes.bind_int64(1, static_cast<std::int64_t>(content.size())));
    THEATER_RETURN_IF_ERROR(add_store_bytes.bind_text(2, store_id));
    return run(add_store_bytes);
  }

  Status point_label(std::string_view store_id, std::string_view label, std::string_view hash) {
    THEATER_RETURN_IF_ERROR(bind_texts(upsert_label, {store_id, label, hash}));
    return run(upsert_label);
  }

  Result<std::optional<std::string>> target(std::string_view store_id, std::string_view label) {
    ResetOnExit reset(label_target);
    THEATER_RETURN_IF_ERROR(bind_texts(label_target, {store_id, label}));
    THEATER_ASSIGN_OR_RETURN(const bool found, label_target.step());
    if (!found) return std::optional<std::string>();
    return std::optional<std::string>(label_target.column_text(0));
  }

  Result<std::vector<std::string>> texts(Statement& statement, std::string_view store_id) {
    ResetOnExit reset(statement);
    THEATER_RETURN_IF_ERROR(bind_texts(statement, {store_id}));
    std::vector<std::string> out;
    while (true) {
      THEATER_ASSIGN_OR_RETURN(const bool row, statement.step());
      if (!row) break;
      out.push_back(statement.column_text(0));
    }
    return out;
  }

  Status ensure_store(std::string_view id, std::string_view creator) {
    ResetOnExit reset(insert_store);
    THEATER_RETURN_IF_ERROR(bind_texts(insert_store, {id, creator}));
    THEATER_RETURN_IF_ERROR(insert_store.bind_int64(3, now_ms()));
    THEATER_ASSIGN_OR_RETURN(const bool row, insert_store.step());
    (void)row;
    return ok_status();
  }
};

namespace {

Result<std::unique_ptr<ContentStore::Impl>> open_impl(const std::filesystem::path& db_path) {
  THEATER_ASSIGN_OR_RETURN(Database db,
                           Database::open(db_path, sqlite::OpenMode::kReadWriteCreate));
  THEATER_RETURN_IF_ERROR(
      db.exec("PRAGMA busy_timeout = " + std::to_string(ContentStore::kBusyTimeout.count())));
  THEATER_ASSIGN_OR_RETURN(const std::string mode, db.query_text("PRAGMA journal_mode = WAL"));
  if (mode != "wal") {
    return make_error(ErrorCode::kInternal, "content store " + db_path.string() +
                                                " cannot use WAL mode (journal_mode " + mode + ")");
  }
  // NORMAL in WAL mode: a power cut may lose the last commits, never
  // consistency (the same setting as the event log).
  THEATER_RETURN_IF_ERROR(db.exec("PRAGMA synchronous = NORMAL"));
  THEATER_RETURN_IF_ERROR(db.exec(kSchema));
  auto impl = std::make_unique<ContentStore::Impl>(std::move(db));
  Database& d = impl->db;
  auto prepare = [&](Statement& out, std::string_view sql) -> Status {
    THEATER_ASSIGN_OR_RETURN(out, d.prepare(sql));
    return ok_status();
  };
  THEATER_RETURN_IF_ERROR(prepare(impl->begin, "BEGIN IMMEDIATE"));
  THEATER_RETURN_IF_ERROR(prepare(impl->commit, "COMMIT"));
  THEATER_RETURN_IF_ERROR(prepare(impl->rollback, "ROLLBACK"));
  THEATER_RETURN_IF_ERROR(prepare(
      impl->insert_blob, "INSERT OR IGNORE INTO blobs (hash, size, content) VALUES (?1, ?2, ?3)"));
  THEATER_RETURN_IF_ERROR(prepare(impl->blob_size, "SELECT size FROM blobs WHERE hash = ?1"));
  THEATER_RETURN_IF_ERROR(prepare(impl->insert_store,
                                  "INSERT OR IGNORE INTO stores (id, creator, created_ms) "
                                  "VALUES (?1, ?2, ?3)"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->store_row, "SELECT creator, total_bytes FROM stores WHERE id = ?1"));
  THEATER_RETURN_IF_ERROR(prepare(
      impl->add_store_bytes, "UPDATE stores SET total_bytes = total_bytes + ?1 WHERE id = ?2"));
  THEATER_RETURN_IF_ERROR(prepare(impl->list_stores,
                                  "SELECT s.id, s.creator, s.total_bytes, "
                                  "(SELECT count(*) FROM members m WHERE m.store_id = s.id), "
                                  "(SELECT count(*) FROM labels l WHERE l.store_id = s.id) "
                                  "FROM stores s ORDER BY s.creator != '', s.created_ms, s.id"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->insert_member, "INSERT INTO members (store_id, hash) VALUES (?1, ?2)"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->member_exists, "SELECT 1 FROM members WHERE store_id = ?1 AND hash = ?2"));
  THEATER_RETURN_IF_ERROR(prepare(impl->get_content,
                                  "SELECT b.content FROM members m JOIN blobs b ON b.hash = m.hash "
                                  "WHERE m.store_id = ?1 AND m.hash = ?2"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->upsert_label,
              "INSERT INTO labels (store_id, label, hash) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (store_id, label) DO UPDATE SET hash = excluded.hash"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->label_target, "SELECT hash FROM labels WHERE store_id = ?1 AND label = ?2"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->delete_label, "DELETE FROM labels WHERE store_id = ?1 AND label = ?2"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->list_labels, "SELECT label FROM labels WHERE store_id = ?1 ORDER BY label"));
  THEATER_RETURN_IF_ERROR(
      prepare(impl->list_contents, "SELECT hash FROM members WHERE store_id = ?1 ORDER BY hash"));
  THEATER_RETURN_IF_ERROR(impl->ensure_store(kManifestsStore, ""));
  return impl;
}

}  // namespace

Result<std::unique_ptr<ContentStore>> ContentStore::open(const std::filesystem::path& db_path) {
  auto impl = open_impl(db_path);
  if (!impl.ok()) return impl.error().context("opening the content store");
  return std::unique_ptr<ContentStore>(new ContentStore(std::move(*impl)));
}

ContentStore::ContentStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ContentStore::~ContentStore() = default;

Result<std::string> ContentStore::create(std::string_view creator) {
  std::lock_guard lock(mutex_);
  std::string id = random_uuid();
  THEATER_RETURN_IF_ERROR(impl_->ensure_store(id, creator));
  return id;
}

Result<std::string> ContentStore::creator_of(std::string_view store_id) {
  std::lock_guard lock(mutex_);
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  ResetOnExit reset(impl_->store_row);
  THEATER_RETURN_IF_ERROR(bind_texts(impl_->store_row, {store_id}));
  THEATER_ASSIGN_OR_RETURN(const bool found, impl_->store_row.step());
  (void)found;  // store_bytes just found it, under the same lock
  return impl_->store_row.column_text(0);
}

Result<std::vector<StoreSummary>> ContentStore::list_stores() {
  std::lock_guard lock(mutex_);
  Statement& statement = impl_->list_stores;
  ResetOnExit reset(statement);
  std::vector<StoreSummary> out;
  while (true) {
    THEATER_ASSIGN_OR_RETURN(const bool row, statement.step());
    if (!row) break;
    out.push_back(StoreSummary{statement.column_text(0), statement.column_text(1),
                               static_cast<std::uint64_t>(statement.column_int64(2)),
                               static_cast<std::uint64_t>(statement.column_int64(3)),
                               static_cast<std::uint64_t>(statement.column_int64(4))});
  }
  return out;
}

Result<std::string> ContentStore::put(std::string_view store_id,
                                      std::span<const std::uint8_t> content, Quota quota) {
  THEATER_RETURN_IF_ERROR(check_store_id(store_id));
  std::string hash = to_hex(sha256(content));  // outside the lock: the costly part
  std::lock_guard lock(mutex_);
  Impl::Transaction transaction(*impl_);
  THEATER_RETURN_IF_ERROR(transaction.begin());
  THEATER_ASSIGN_OR_RETURN(const std::uint64_t total, impl_->store_bytes(store_id));
  THEATER_RETURN_IF_ERROR(impl_->add_member(store_id, total, hash, content, quota));
  THEATER_RETURN_IF_ERROR(transaction.commit());
  return hash;
}

Result<Bytes> ContentStore::get(std::string_view store_id, std::string_view hash) {
  THEATER_RETURN_IF_ERROR(check_store_id(store_id));
  THEATER_RETURN_IF_ERROR(check_hash(hash));
  std::lock_guard lock(mutex_);
  Statement& statement = impl_->get_content;
  ResetOnExit reset(statement);
  THEATER_RETURN_IF_ERROR(bind_texts(statement, {store_id, hash}));
  THEATER_ASSIGN_OR_RETURN(const bool found, statement.step());
  if (found) return statement.column_blob(0);
  // Only now ask whether the store exists, for the message (one query when found).
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  return no_content(store_id, hash);
}

Result<bool> ContentStore::contains(std::string_view store_id, std::string_view hash) {
  THEATER_RETURN_IF_ERROR(check_hash(hash));
  std::lock_guard lock(mutex_);
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  return impl_->holds(store_id, hash);
}

std::uint64_t ContentStore::size_of_blob(std::string_view hash) {
  std::lock_guard lock(mutex_);
  auto size = impl_->blob(hash);
  return size.ok() && *size ? **size : 0;
}

Status ContentStore::set_label(std::string_view store_id, std::string_view label,
                               std::string_view hash) {
  THEATER_RETURN_IF_ERROR(check_label(label));
  THEATER_RETURN_IF_ERROR(check_hash(hash));
  std::lock_guard lock(mutex_);
  Impl::Transaction transaction(*impl_);
  THEATER_RETURN_IF_ERROR(transaction.begin());
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  THEATER_ASSIGN_OR_RETURN(const bool held, impl_->holds(store_id, hash));
  if (!held) return no_content(store_id, hash).context("label " + std::string(label));
  THEATER_RETURN_IF_ERROR(impl_->point_label(store_id, label, hash));
  return transaction.commit();
}

Result<std::optional<std::string>> ContentStore::label_target(std::string_view store_id,
                                                              std::string_view label) {
  THEATER_RETURN_IF_ERROR(check_label(label));
  std::lock_guard lock(mutex_);
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  return impl_->target(store_id, label);
}

Status ContentStore::remove_label(std::string_view store_id, std::string_view label) {
  return remove_label_if(store_id, label, {});
}

Status ContentStore::remove_label_if(std::string_view store_id, std::string_view label,
                                     std::string_view hash) {
  THEATER_RETURN_IF_ERROR(check_label(label));
  if (!hash.empty()) THEATER_RETURN_IF_ERROR(check_hash(hash));
  std::lock_guard lock(mutex_);
  Impl::Transaction transaction(*impl_);
  THEATER_RETURN_IF_ERROR(transaction.begin());
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  THEATER_ASSIGN_OR_RETURN(std::optional<std::string> current, impl_->target(store_id, label));
  if (!current) {
    return make_error(ErrorCode::kNotFound, "store " + std::string(store_id) + " has no label \"" +
                                                std::string(label) + "\"");
  }
  if (!hash.empty() && *current != hash) {
    return make_error(ErrorCode::kFailedPrecondition, "label \"" + std::string(label) +
                                                          "\" points at " + *current + ", not " +
                                                          std::string(hash) + ": left as it is");
  }
  THEATER_RETURN_IF_ERROR(bind_texts(impl_->delete_label, {store_id, label}));
  THEATER_RETURN_IF_ERROR(run(impl_->delete_label));
  return transaction.commit();
}

Result<std::string> ContentStore::put_at_label(std::string_view store_id, std::string_view label,
                                               std::span<const std::uint8_t> content, Quota quota) {
  THEATER_RETURN_IF_ERROR(check_store_id(store_id));
  THEATER_RETURN_IF_ERROR(check_label(label));
  std::string hash = to_hex(sha256(content));
  std::lock_guard lock(mutex_);
  Impl::Transaction transaction(*impl_);
  THEATER_RETURN_IF_ERROR(transaction.begin());
  THEATER_ASSIGN_OR_RETURN(const std::uint64_t total, impl_->store_bytes(store_id));
  THEATER_RETURN_IF_ERROR(impl_->add_member(store_id, total, hash, content, quota));
  THEATER_RETURN_IF_ERROR(impl_->point_label(store_id, label, hash));
  THEATER_RETURN_IF_ERROR(transaction.commit());
  return hash;
}

Result<std::vector<std::string>> ContentStore::labels(std::string_view store_id) {
  std::lock_guard lock(mutex_);
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  return impl_->texts(impl_->list_labels, store_id);
}

Result<std::vector<std::string>> ContentStore::contents(std::string_view store_id) {
  std::lock_guard lock(mutex_);
  THEATER_RETURN_IF_ERROR(impl_->store_bytes(store_id));
  return impl_->texts(impl_->list_contents, store_id);
}

Result<std::uint64_t> ContentStore::total_size(std::string_view store_id) {
  std::lock_guard lock(mutex_);
  return impl_->store_bytes(store_id);
}

Status ContentStore::keep_module(std::string_view sha256_hex, std::span<const std::uint8_t> bytes) {
  THEATER_RETURN_IF_ERROR(check_hash(sha256_hex));
  std::lock_guard lock(mutex_);
  THEATER_ASSIGN_OR_RETURN(const bool held, impl_->holds(kManifestsStore, sha256_hex));
  if (held) return ok_status();  // the common case: one lookup
  Impl::Transaction transaction(*impl_);
  THEATER_RETURN_IF_ERROR(transaction.begin());
  THEATER_ASSIGN_OR_RETURN(const std::uint64_t total, impl_->store_bytes(kManifestsStore));
  THEATER_RETURN_IF_ERROR(
      impl_->add_member(kManifestsStore, total, std::string(sha256_hex), bytes, {}));
  return transaction.commit();
}

Result<std::string> ContentStore::label_actor_origin(std::string_view actor_id,
                                                     std::string_view manifest_text,
                                                     std::string_view module_sha256) {
  const ActorOrigin origin{actor_id, manifest_text, module_sha256};
  THEATER_RETURN_IF_ERROR(label_actor_origins({&origin, 1}));
  const auto* text = reinterpret_cast<const std::uint8_t*>(manifest_text.data());
  return to_hex(sha256({text, manifest_text.size()}));
}

Status ContentStore::label_actor_origins(std::span<const ActorOrigin> origins) {
  std::vector<std::string> manifest_hashes;
  for (const ActorOrigin& origin : origins) {
    const auto* text = reinterpret_cast<const std::uint8_t*>(origin.manifest_text.data());
    manifest_hashes.push_back(to_hex(sha256({text, origin.manifest_text.size()})));
  }
  std::lock_guard lock(mutex_);
  Impl::Transaction transaction(*impl_);
  THEATER_RETURN_IF_ERROR(transaction.begin());
  for (size_t i = 0; i < origins.size(); ++i) {
    const ActorOrigin& origin = origins[i];
    THEATER_ASSIGN_OR_RETURN(const bool module_held,
                             impl_->holds(kManifestsStore, origin.module_sha256));
    if (!module_held) {
      return make_error(
          ErrorCode::kFailedPrecondition,
          "module " + std::string(origin.module_sha256) + " was not kept before labelling");
    }
    const auto* text = reinterpret_cast<const std::uint8_t*>(origin.manifest_text.data());
    THEATER_ASSIGN_OR_RETURN(const std::uint64_t total, impl_->store_bytes(kManifestsStore));
    THEATER_RETURN_IF_ERROR(impl_->add_member(kManifestsStore, total, manifest_hashes[i],
                                              {text, origin.manifest_text.size()}, {}));
    const std::string id(origin.actor_id);
    THEATER_RETURN_IF_ERROR(
        impl_->point_label(kManifestsStore, id + "/manifest", manifest_hashes[i]));
    THEATER_RETURN_IF_ERROR(
        impl_->point_label(kManifestsStore, id + "/module", origin.module_sha256));
  }
  return transaction.commit();
}

}  // namespace theater::store
