// One actor's use of the content store: every host call of
// theater:simple/store, checked against the actor's StorePermissions and
// recorded in its chain (store_records.h). The ContentStore is shared by all
// actors (it is one SQLite file); nothing else is.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "handler_api/handler.h"
#include "handlers/store/store_config.h"
#include "handlers/store/store_wit.h"
#include "store/content_store.h"

namespace theater::handlers {

class StoreInstance final : public handler::HandlerInstance {
 public:
  using Bytes = std::vector<std::uint8_t>;
  using ContentRef = store_wit::ContentRef;

  StoreInstance(std::shared_ptr<store::ContentStore> store, std::string actor_id,
                StorePermissions permissions);

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  void stop(std::chrono::milliseconds grace) override;

  Result<std::string> create_store();
  Result<ContentRef> put(const std::string& store_id, const Bytes& content);
  Result<Bytes> get(const std::string& store_id, const ContentRef& ref);
  Result<bool> exists(const std::string& store_id, const ContentRef& ref);
  Status label(const std::string& store_id, const std::string& label, const ContentRef& ref);
  Result<std::optional<ContentRef>> get_by_label(const std::string& store_id,
                                                 const std::string& label);
  Status remove_label(const std::string& store_id, const std::string& label);
  Status remove_from_label(const std::string& store_id, const std::string& label,
                           const ContentRef& ref);
  Result<ContentRef> put_at_label(const std::string& store_id, const std::string& label,
                                  const Bytes& content);
  Result<ContentRef> replace_content_at_label(const std::string& store_id, const std::string& label,
                                              const Bytes& content);
  Status replace_at_label(const std::string& store_id, const std::string& label,
                          const ContentRef& ref);
  Result<std::vector<std::string>> list_labels(const std::string& store_id);
  Result<std::vector<ContentRef>> list_all_content(const std::string& store_id);
  Result<std::uint64_t> total_size(const std::string& store_id);

 private:
  enum class Access { kRead, kWrite };

  // Ok when the actor has started and may use the store this way; otherwise
  // the refusal, recorded as a permission-denied (or not-started) event.
  Status admit(const char* operation, const std::string& store_id, Access access);
  Status permitted(const std::string& store_id, Access access);
  store::Quota quota() const { return store::Quota{permissions_.max_bytes()}; }
  handler::ActorHandle actor() const;

  std::shared_ptr<store::ContentStore> store_;
  const std::string actor_id_;
  const StorePermissions permissions_;
  mutable std::mutex mutex_;
  handler::ActorHandle actor_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace theater::handlers
