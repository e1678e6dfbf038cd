// The content store: content addressed by lowercase hex SHA-256, kept once
// however many stores hold it, and labels naming one content ref each, per
// store. One SQLite file in WAL mode ($THEATER_HOME/store.db), apart from the
// event log so its writer never waits for ours. Every mutation is one
// transaction: a crash in the middle leaves the old state or the new one.
//
// Tables: blobs(hash, size, content) — each content once; members(store_id,
// hash) — which store holds which content; stores(id, creator, total_bytes);
// labels(store_id, label, hash). Nothing here touches a file path but the
// database's own: ids, labels and hashes are checked (validation.h) and are
// only ever SQL parameters.
//
// Thread-safe: one connection behind a mutex (SQLite serialises writers
// anyway); other processes (the CLI) share the file through SQLite's locks,
// waiting up to kBusyTimeout for each other.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/validation.h"

namespace theater::store {

using Bytes = std::vector<std::uint8_t>;

// A store as the CLI lists it.
struct StoreSummary {
  std::string id;
  std::string creator;  // the actor id that created it ("" for well-known stores, the CLI's)
  std::uint64_t total_bytes = 0;
  std::uint64_t contents = 0;
  std::uint64_t labels = 0;
};

// Where one actor came from (label_actor_origins).
struct ActorOrigin {
  std::string_view actor_id;
  std::string_view manifest_text;
  std::string_view module_sha256;
};

// Bounds a write: the store's total size afterwards (content it already
// holds counts once) may not exceed max_bytes.
struct Quota {
  std::optional<std::uint64_t> max_bytes;
};

class ContentStore {
 public:
  static constexpr std::chrono::milliseconds kBusyTimeout{5000};

  // Opens (creating it and its tables when new) the store database.
  static Result<std::unique_ptr<ContentStore>> open(const std::filesystem::path& db_path);
  // Where a runtime with home `home` keeps it.
  static std::filesystem::path path_in(const std::filesystem::path& home) {
    return home / "store.db";
  }
  ~ContentStore();

  // A new, empty store: its id, a fresh UUID. `creator`: who made it (an actor id).
  Result<std::string> create(std::string_view creator);
  // The actor id that created the store; kNotFound when there is no such store.
  Result<std::string> creator_of(std::string_view store_id);
  Result<std::vector<StoreSummary>> list_stores();

  // Content: added to the store (and to the blob table unless some store has
  // it already); its hash.
  Result<std::string> put(std::string_view store_id, std::span<const std::uint8_t> content,
                          Quota quota = {});
  // Content the store holds; kNotFound otherwise, even if another store has it.
  Result<Bytes> get(std::string_view store_id, std::string_view hash);
  Result<bool> contains(std::string_view store_id, std::string_view hash);
  std::uint64_t size_of_blob(std::string_view hash);

  // Points `label` at content the store holds (creating or moving the label).
  Status set_label(std::string_view store_id, std::string_view label, std::string_view hash);
  // The hash a label points at; nullopt when the label does not exist.
  Result<std::optional<std::string>> label_target(std::string_view store_id,
                                                  std::string_view label);
  // Removes a label (kNotFound when it does not exist); its content stays.
  Status remove_label(std::string_view store_id, std::string_view label);
  // Removes a label only while it points at `hash` (kFailedPrecondition naming
  // where it points otherwise).
  Status remove_label_if(std::string_view store_id, std::string_view label, std::string_view hash);
  // put + set_label in one transaction.
  Result<std::string> put_at_label(std::string_view store_id, std::string_view label,
                                   std::span<const std::uint8_t> content, Quota quota = {});
  Result<std::vector<std::string>> labels(std::string_view store_id);    // sorted
  Result<std::vector<std::string>> contents(std::string_view store_id);  // sorted hashes
  // The sizes of the distinct content the store holds, summed.
  Result<std::uint64_t> total_size(std::string_view store_id);

  // The runtime's record of where an actor came from, in the `manifests`
  // store: the module (by its SHA-256 as the engine computed it over these
  // bytes; a module the store has is one lookup, not a rewrite) ...
  Status keep_module(std::string_view sha256_hex, std::span<const std::uint8_t> bytes);
  // ... and, in one transaction, the manifest text, "<actor-id>/manifest"
  // pointing at it and "<actor-id>/module" at the (kept) module. Returns the
  // manifest's hash.
  Result<std::string> label_actor_origin(std::string_view actor_id, std::string_view manifest_text,
                                         std::string_view module_sha256);
  // The same for many actors in one transaction (store/origin_writer.h).
  Status label_actor_origins(std::span<const ActorOrigin> origins);

  // The connection and its prepared statements (content_store.cpp only).
  struct Impl;

 private:
  explicit ContentStore(std::unique_ptr<Impl> impl);

  std::mutex mutex_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace theater::store
