#include "handlers/store/store_handler.h"

#include "abi/engine_binding.h"
#include "handler_api/host_answer.h"

namespace theater::handlers {
namespace {

using Bytes = std::vector<std::uint8_t>;
using handler::Answer;
using store_wit::ContentRef;
using Text = std::string;
using Unit = abi::Unit;

template <class Method, class... Args>
auto on_instance(wasm::HostCall& call, Method method, Args&&... args) {
  return handler::answer_on_instance<StoreInstance>(call, store_schema().type, method,
                                                    std::forward<Args>(args)...);
}

// One host function per WIT function, each forwarding to the instance method
// of the same meaning.
template <class Signature, auto Method>
struct Forward;

template <class R, class... Args, auto Method>
struct Forward<R(Args...), Method> {
  static R call(wasm::HostCall& call, Args... args) { return on_instance(call, Method, args...); }
};

template <class Signature, auto Method>
Status add(wasm::HostImports& imports, const char* name) {
  return imports.add(abi::host_function<Signature>(store_wit::kInterface, name,
                                                   &Forward<Signature, Method>::call));
}

}  // namespace

Status StoreHandler::add_host_functions(wasm::HostImports& imports) const {
  using S = StoreInstance;
  THEATER_RETURN_IF_ERROR((add<Answer<Text>(), &S::create_store>(imports, "new")));
  THEATER_RETURN_IF_ERROR((add<Answer<ContentRef>(Text, Bytes), &S::put>(imports, "store")));
  THEATER_RETURN_IF_ERROR((add<Answer<Bytes>(Text, ContentRef), &S::get>(imports, "get")));
  THEATER_RETURN_IF_ERROR((add<Answer<bool>(Text, ContentRef), &S::exists>(imports, "exists")));
  THEATER_RETURN_IF_ERROR((add<Answer<Unit>(Text, Text, ContentRef), &S::label>(imports, "label")));
  THEATER_RETURN_IF_ERROR((add<Answer<std::optional<ContentRef>>(Text, Text), &S::get_by_label>(
      imports, "get-by-label")));
  THEATER_RETURN_IF_ERROR(
      (add<Answer<Unit>(Text, Text), &S::remove_label>(imports, "remove-label")));
  THEATER_RETURN_IF_ERROR((add<Answer<Unit>(Text, Text, ContentRef), &S::remove_from_label>(
      imports, "remove-from-label")));
  THEATER_RETURN_IF_ERROR(
      (add<Answer<ContentRef>(Text, Text, Bytes), &S::put_at_label>(imports, "store-at-label")));
  THEATER_RETURN_IF_ERROR((add<Answer<ContentRef>(Text, Text, Bytes), &S::replace_content_at_label>(
      imports, "replace-content-at-label")));
  THEATER_RETURN_IF_ERROR((add<Answer<Unit>(Text, Text, ContentRef), &S::replace_at_label>(
      imports, "replace-at-label")));
  THEATER_RETURN_IF_ERROR(
      (add<Answer<std::vector<Text>>(Text), &S::list_labels>(imports, "list-labels")));
  THEATER_RETURN_IF_ERROR((add<Answer<std::vector<ContentRef>>(Text), &S::list_all_content>(
      imports, "list-all-content")));
  return add<Answer<std::uint64_t>(Text), &S::total_size>(imports, "calculate-total-size");
}

Result<std::unique_ptr<handler::HandlerInstance>> StoreHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (!store_) {
    return make_error(ErrorCode::kUnavailable,
                      "the store handler was built without a content store");
  }
  if (setup.permissions == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the store handler needs the actor's permissions");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the store handler");
  }
  return std::unique_ptr<handler::HandlerInstance>(
      std::make_unique<StoreInstance>(store_, setup.actor_id, StorePermissions(*grant)));
}

}  // namespace theater::handlers
