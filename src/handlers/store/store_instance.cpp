#include "handlers/store/store_instance.h"

#include "handlers/store/store_records.h"

namespace theater::handlers {
namespace {

using nlohmann::json;
using store_records::record_call;
using store_records::record_status;

json ref_value(const store_wit::ContentRef& ref) {
  return ref.hash;
}
json text_value(const std::string& text) {
  return text;
}
json flag_value(const bool& flag) {
  return flag;
}
json size_value(const std::uint64_t& size) {
  return size;
}
json optional_ref_value(const std::optional<store_wit::ContentRef>& ref) {
  return ref ? json(ref->hash) : json(nullptr);
}
json texts_value(const std::vector<std::string>& texts) {
  return texts;
}
json refs_value(const std::vector<store_wit::ContentRef>& refs) {
  json out = json::array();
  for (const auto& ref : refs) out.push_back(ref.hash);
  return out;
}

Result<store_wit::ContentRef> as_ref(Result<std::string> hash) {
  if (!hash.ok()) return hash.error();
  return store_wit::ContentRef{std::move(*hash)};
}

Result<std::optional<store_wit::ContentRef>> to_optional_ref(
    Result<std::optional<std::string>> hash) {
  if (!hash.ok()) return hash.error();
  if (!*hash) return std::optional<store_wit::ContentRef>();
  return std::optional<store_wit::ContentRef>(store_wit::ContentRef{std::move(**hash)});
}

Result<std::vector<store_wit::ContentRef>> to_refs(Result<std::vector<std::string>> hashes) {
  if (!hashes.ok()) return hashes.error();
  std::vector<store_wit::ContentRef> refs;
  refs.reserve(hashes->size());
  for (std::string& hash : *hashes) refs.push_back(store_wit::ContentRef{std::move(hash)});
  return refs;
}

Error denied(const std::string& why) {
  return make_error(ErrorCode::kPermissionDenied, "permission denied: " + why);
}

}  // namespace

StoreInstance::StoreInstance(std::shared_ptr<store::ContentStore> store, std::string actor_id,
                             StorePermissions permissions)
    : store_(std::move(store)),
      actor_id_(std::move(actor_id)),
      permissions_(std::move(permissions)) {}

Status StoreInstance::start(handler::ActorHandle actor, std::stop_token) {
  std::lock_guard lock(mutex_);
  actor_ = std::move(actor);
  started_ = true;
  return ok_status();
}

void StoreInstance::stop(std::chrono::milliseconds) {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

handler::ActorHandle StoreInstance::actor() const {
  std::lock_guard lock(mutex_);
  return actor_;
}

Status StoreInstance::permitted(const std::string& store_id, Access access) {
  if (access == Access::kWrite && permissions_.read_only()) {
    return denied("the actor's store permission is read_only");
  }
  if (store_id.empty()) return ok_status();  // new(): no store yet
  THEATER_RETURN_IF_ERROR(store::check_store_id(store_id));
  if (store_id == store::kManifestsStore) {
    if (access == Access::kWrite) {
      return denied("the manifests store is written by the runtime only");
    }
    if (permissions_.lists_store(store_id)) return ok_status();
    return denied("store manifests is not in the actor's stores permission " +
                  permissions_.stores().to_string());
  }
  if (permissions_.lists_store(store_id)) return ok_status();
  THEATER_ASSIGN_OR_RETURN(std::string creator, store_->creator_of(store_id));
  if (creator == actor_id_) return ok_status();
  return denied("store " + store_id +
                " was not created by this actor and is not in its stores permission " +
                permissions_.stores().to_string());
}

Status StoreInstance::admit(const char* operation, const std::string& store_id, Access access) {
  handler::ActorHandle handle;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopped_) {
      return make_error(ErrorCode::kFailedPrecondition, stopped_
                                                            ? "the store handler has stopped"
                                                            : "the store handler has not started");
    }
    handle = actor_;
  }
  Status allowed = permitted(store_id, access);
  if (allowed.ok()) return allowed;
  Error error = allowed.error().context(std::string("store.") + operation);
  if (allowed.error().code == ErrorCode::kPermissionDenied) {
    store_records::record_refusal(handle, operation, store_id, error);
  } else {
    record_status(handle, operation, {{"store", store_id}}, error);
  }
  return error;
}

Result<std::string> StoreInstance::create_store() {
  THEATER_RETURN_IF_ERROR(admit("new", "", Access::kWrite));
  auto id = store_->create(actor_id_);
  record_call(actor(), "new", json::object(), id, text_value);
  return id;
}

Result<store_wit::ContentRef> StoreInstance::put(const std::string& store_id,
                                                 const Bytes& content) {
  THEATER_RETURN_IF_ERROR(admit("store", store_id, Access::kWrite));
  auto ref = as_ref(store_->put(store_id, content, quota()));
  record_call(actor(), "store", {{"store", store_id}, {"size", content.size()}}, ref, ref_value);
  return ref;
}

Result<StoreInstance::Bytes> StoreInstance::get(const std::string& store_id,
                                                const ContentRef& ref) {
  THEATER_RETURN_IF_ERROR(admit("get", store_id, Access::kRead));
  auto content = store_->get(store_id, ref.hash);
  json request = {{"store", store_id}, {"hash", ref.hash}};
  if (content.ok()) {
    request["ok"] = store_records::content_value(*content, ref.hash);
  } else {
    request["error"] = content.error().message;
  }
  (void)actor().record(std::string(store_records::kPrefix) + "get", std::nullopt, request);
  return content;
}

Result<bool> StoreInstance::exists(const std::string& store_id, const ContentRef& ref) {
  THEATER_RETURN_IF_ERROR(admit("exists", store_id, Access::kRead));
  auto found = store_->contains(store_id, ref.hash);
  record_call(actor(), "exists", {{"store", store_id}, {"hash", ref.hash}}, found, flag_value);
  return found;
}

Status StoreInstance::label(const std::string& store_id, const std::string& label,
                            const ContentRef& ref) {
  THEATER_RETURN_IF_ERROR(admit("label", store_id, Access::kWrite));
  Status done = store_->set_label(store_id, label, ref.hash);
  record_status(actor(), "label", {{"store", store_id}, {"label", label}, {"hash", ref.hash}},
                done);
  return done;
}

Result<std::optional<store_wit::ContentRef>> StoreInstance::get_by_label(
    const std::string& store_id, const std::string& label) {
  THEATER_RETURN_IF_ERROR(admit("get-by-label", store_id, Access::kRead));
  Result<std::optional<ContentRef>> ref = to_optional_ref(store_->label_target(store_id, label));
  record_call(actor(), "get-by-label", {{"store", store_id}, {"label", label}}, ref,
              optional_ref_value);
  return ref;
}

Status StoreInstance::remove_label(const std::string& store_id, const std::string& label) {
  THEATER_RETURN_IF_ERROR(admit("remove-label", store_id, Access::kWrite));
  Status done = store_->remove_label(store_id, label);
  record_status(actor(), "remove-label", {{"store", store_id}, {"label", label}}, done);
  return done;
}

Status StoreInstance::remove_from_label(const std::string& store_id, const std::string& label,
                                        const ContentRef& ref) {
  THEATER_RETURN_IF_ERROR(admit("remove-from-label", store_id, Access::kWrite));
  // An empty hash would mean "whatever it points at" to the store: refuse it here.
  Status done = ref.hash.empty() ? Status(store::check_hash(ref.hash))
                                 : store_->remove_label_if(store_id, label, ref.hash);
  record_status(actor(), "remove-from-label",
                {{"store", store_id}, {"label", label}, {"hash", ref.hash}}, done);
  return done;
}

Result<store_wit::ContentRef> StoreInstance::put_at_label(const std::string& store_id,
                                                          const std::string& label,
                                                          const Bytes& content) {
  THEATER_RETURN_IF_ERROR(admit("store-at-label", store_id, Access::kWrite));
  auto ref = as_ref(store_->put_at_label(store_id, label, content, quota()));
  record_call(actor(), "store-at-label",
              {{"store", store_id}, {"label", label}, {"size", content.size()}}, ref, ref_value);
  return ref;
}

Result<store_wit::ContentRef> StoreInstance::replace_content_at_label(const std::string& store_id,
                                                                      const std::string& label,
                                                                      const Bytes& content) {
  THEATER_RETURN_IF_ERROR(admit("replace-content-at-label", store_id, Access::kWrite));
  auto ref = as_ref(store_->put_at_label(store_id, label, content, quota()));
  record_call(actor(), "replace-content-at-label",
              {{"store", store_id}, {"label", label}, {"size", content.size()}}, ref, ref_value);
  return ref;
}

Status StoreInstance::replace_at_label(const std::string& store_id, const std::string& label,
                                       const ContentRef& ref) {
  THEATER_RETURN_IF_ERROR(admit("replace-at-label", store_id, Access::kWrite));
  Status done = store_->set_label(store_id, label, ref.hash);
  record_status(actor(), "replace-at-label",
                {{"store", store_id}, {"label", label}, {"hash", ref.hash}}, done);
  return done;
}

Result<std::vector<std::string>> StoreInstance::list_labels(const std::string& store_id) {
  THEATER_RETURN_IF_ERROR(admit("list-labels", store_id, Access::kRead));
  auto labels = store_->labels(store_id);
  record_call(actor(), "list-labels", {{"store", store_id}}, labels, texts_value);
  return labels;
}

Result<std::vector<store_wit::ContentRef>> StoreInstance::list_all_content(
    const std::string& store_id) {
  THEATER_RETURN_IF_ERROR(admit("list-all-content", store_id, Access::kRead));
  auto hashes = store_->contents(store_id);
  Result<std::vector<ContentRef>> refs = to_refs(std::move(hashes));
  record_call(actor(), "list-all-content", {{"store", store_id}}, refs, refs_value);
  return refs;
}

Result<std::uint64_t> StoreInstance::total_size(const std::string& store_id) {
  THEATER_RETURN_IF_ERROR(admit("calculate-total-size", store_id, Access::kRead));
  auto size = store_->total_size(store_id);
  record_call(actor(), "calculate-total-size", {{"store", store_id}}, size, size_value);
  return size;
}

}  // namespace theater::handlers
