// The store handler's part of a manifest: [[handler]] type = "store" with
// its permission keys, and the typed view the handler checks calls against.
#pragma once

#include <cstdint>
#include <string_view>

#include "config/allow_list.h"
#include "config/grants.h"
#include "config/handler_schema.h"

namespace theater::handlers {

// Permission keys: stores (names, ["*"] any; absent: only the stores the
// actor created), read_only (a lower bound 0..1: a child may only turn it
// on; `true` in a manifest), max_bytes (an upper bound: a store's total size
// after a write, default 1 GiB).
const config::HandlerSchema& store_schema();

class StorePermissions {
 public:
  explicit StorePermissions(const config::HandlerGrant& grant);

  // Whether the grant names the store (the caller adds "or the actor created it").
  [[nodiscard]] bool lists_store(std::string_view store_id) const {
    return stores_.allows(store_id);
  }
  [[nodiscard]] const config::AllowList& stores() const { return stores_; }
  [[nodiscard]] bool read_only() const { return read_only_; }
  [[nodiscard]] std::uint64_t max_bytes() const { return max_bytes_; }

 private:
  config::AllowList stores_;
  bool read_only_;
  std::uint64_t max_bytes_;
};

}  // namespace theater::handlers
