// Content-store put/get of 1 KiB and 1 MiB blobs against SQLite's own
// insert/select of the same blobs, in the same run, same WAL and synchronous
// settings, each in its own file in the same folder. The reference is keyed
// by the same hashes, computed before its clock starts (SQLite has nothing to
// hash); ours hashes every put, checks the store, counts bytes and commits
// one transaction. Prints one line per case: our time per operation, the
// reference's, and ratio = reference / ours (1.0: as fast as SQLite).
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/sha256.h"
#include "store/content_store.h"

namespace {

using Clock = std::chrono::steady_clock;
using theater::store::Bytes;

// Distinct blobs of `size` bytes (distinct first bytes: no dedup shortcut).
std::vector<Bytes> blobs(size_t count, size_t size) {
  std::vector<Bytes> out(count, Bytes(size, 0x5a));
  for (size_t i = 0; i < count; ++i)
    for (size_t b = 0; b < sizeof i; ++b) out[i][b] = static_cast<uint8_t>(i >> (8 * b));
  return out;
}

double us_per_op(Clock::duration elapsed, size_t ops) {
  return std::chrono::duration<double, std::micro>(elapsed).count() / static_cast<double>(ops);
}

void die(const char* what) {
  std::fprintf(stderr, "store_bench: %s\n", what);
  std::exit(1);
}

struct Reference {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* select = nullptr;

  explicit Reference(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("cannot open the reference database");
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", nullptr, nullptr,
                 nullptr);
    sqlite3_exec(db, "CREATE TABLE blobs (hash TEXT PRIMARY KEY, content BLOB NOT NULL)", nullptr,
                 nullptr, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO blobs (hash, content) VALUES (?1, ?2)", -1, &insert,
                       nullptr);
    sqlite3_prepare_v2(db, "SELECT content FROM blobs WHERE hash = ?1", -1, &select, nullptr);
  }
  ~Reference() {
    sqlite3_finalize(insert);
    sqlite3_finalize(select);
    sqlite3_close(db);
  }
  void put(const std::string& hash, const Bytes& blob) {
    sqlite3_bind_text(insert, 1, hash.data(), static_cast<int>(hash.size()), SQLITE_STATIC);
    sqlite3_bind_blob(insert, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) die("reference insert failed");
    sqlite3_reset(insert);
  }
  Bytes get(const std::string& hash) {
    sqlite3_bind_text(select, 1, hash.data(), static_cast<int>(hash.size()), SQLITE_STATIC);
    if (sqlite3_step(select) != SQLITE_ROW) die("reference select found nothing");
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(select, 0));
    Bytes out(p, p + sqlite3_column_bytes(select, 0));
    sqlite3_reset(select);
    return out;
  }
};

void report(const char* what, size_t size, double ours, double reference) {
  std::printf("%-4s %8zu B  store %9.2f us/op  sqlite %9.2f us/op  ratio %.2f\n", what, size, ours,
              reference, reference / ours);
}

void run_case(const std::filesystem::path& dir, size_t size, size_t count) {
  const std::vector<Bytes> data = blobs(count, size);
  std::vector<std::string> hashes;
  for (const Bytes& blob : data) hashes.push_back(theater::to_hex(theater::sha256(blob)));

  const std::string tag = std::to_string(size);
  auto store = theater::store::ContentStore::open(dir / ("store-" + tag + ".db"));
  if (!store.ok()) die(store.error().message.c_str());
  const std::string id = *(*store)->create("bench");
  Reference reference(dir / ("sqlite-" + tag + ".db"));

  auto start = Clock::now();
  for (const Bytes& blob : data)
    if (!(*store)->put(id, blob).ok()) die("store put failed");
  const double ours_put = us_per_op(Clock::now() - start, count);
  start = Clock::now();
  for (size_t i = 0; i < count; ++i) reference.put(hashes[i], data[i]);
  const double reference_put = us_per_op(Clock::now() - start, count);

  size_t checksum = 0;
  start = Clock::now();
  for (const std::string& hash : hashes) checksum += (*(*store)->get(id, hash))[0];
  const double ours_get = us_per_op(Clock::now() - start, count);
  start = Clock::now();
  for (const std::string& hash : hashes) checksum += reference.get(hash)[0];
  const double reference_get = us_per_op(Clock::now() - start, count);
  if (checksum == 1) std::printf(" ");  // keep the reads

  report("put", size, ours_put, reference_put);
  report("get", size, ours_get, reference_get);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1
                                        ? std::filesystem::path(argv[1])
                                        : std::filesystem::temp_directory_path() /
                                              ("theater-store-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  run_case(dir, 1024, 5000);
  run_case(dir, 1024 * 1024, 200);
  std::filesystem::remove_all(dir);
  return 0;
}
