#include "handlers/store/store_config.h"

namespace theater::handlers {
namespace {

constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;
constexpr std::uint64_t kTiB = 1024 * kGiB;

config::HandlerSchema make_schema() {
  using config::GrantKey;
  using config::GrantKind;
  config::HandlerSchema schema;
  schema.type = "store";
  schema.grant_keys = {
      GrantKey::list("stores", GrantKind::kNames),
      GrantKey::lower_bound("read_only", 0, 0, 1),
      GrantKey::upper_bound("max_bytes", 1 * kGiB, 0, 1 * kTiB),
  };
  return schema;
}

}  // namespace

const config::HandlerSchema& store_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

StorePermissions::StorePermissions(const config::HandlerGrant& grant)
    : stores_(grant.list("stores")),
      read_only_(grant.number("read_only") != 0),
      max_bytes_(grant.number("max_bytes")) {}

}  // namespace theater::handlers
