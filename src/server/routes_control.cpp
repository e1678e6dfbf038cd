// POST /v1/actors/{id}/stop|terminate|pause|resume|restart: 200 {"id","status"};
// 409 when the actor's state does not allow it (resuming a running actor,
// stopping a stopped one).
#include <chrono>

#include "server/routes.h"

namespace theater::server {
namespace {

Response status_answer(const ApiContext& api, const std::string& id) {
  auto status = api.runtime.status(id);
  if (!status.ok()) return error_response(status.error());
  return json_response(http::status::ok, {{"id", id}, {"status", handler::to_string(*status)}});
}

// 409 for an actor that ended, 404 for one never seen.
Response not_running(const ApiContext& api, const std::string& id, std::string_view action) {
  auto status = api.runtime.status(id);
  if (!status.ok()) return error_response(status.error());
  return error_response(http::status::conflict, "cannot " + std::string(action) + " actor " + id +
                                                    ": it is " + handler::to_string(*status));
}

Response stop(ApiContext& api, const std::string& id) {
  if (!api.runtime.handle(id).ok()) return not_running(api, id, "stop");
  Status stopped = api.runtime.stop(id);
  if (!stopped.ok()) return not_running(api, id, "stop");
  return status_answer(api, id);
}

Response terminate(ApiContext& api, const std::string& id) {
  if (!api.runtime.handle(id).ok()) return not_running(api, id, "terminate");
  Status terminated = api.runtime.terminate(id);
  if (!terminated.ok()) return not_running(api, id, "terminate");
  // The runtime's control thread finishes the stop; answer once it has, so
  // the status says how it ended (or, past the bound, that it still stops).
  (void)api.runtime.wait_until_ended(id, std::chrono::seconds(10));
  return status_answer(api, id);
}

Response pause_or_resume(ApiContext& api, const std::string& id, bool pause) {
  auto handle = api.runtime.handle(id);
  if (!handle.ok()) return not_running(api, id, pause ? "pause" : "resume");
  Status changed = pause ? handle->pause() : handle->resume();
  if (!changed.ok()) {
    return error_response(http::status::conflict, "actor " + id + ": " + changed.error().message);
  }
  return status_answer(api, id);
}

Response restart(ApiContext& api, const std::string& id) {
  auto started = api.directory.find(id);
  if (!started) {
    return error_response(http::status::conflict,
                          "actor " + id +
                              " was not started through this server (a supervised child is "
                              "restarted by its supervisor)");
  }
  runtime::TheaterRuntime::SpawnOptions options;
  if (started->initial_state) options.initial_state = *started->initial_state;
  Status restarted = api.runtime.restart(id, started->manifest, options);
  if (!restarted.ok()) {
    const ErrorCode code = restarted.error().code;
    if (code == ErrorCode::kFailedPrecondition || code == ErrorCode::kResourceExhausted ||
        code == ErrorCode::kUnavailable)
      return error_response(restarted.error());
    return error_response(http::status::bad_request,
                          "restarting " + id + ": " + restarted.error().message);
  }
  return status_answer(api, id);
}

using Action = Response (*)(ApiContext&, const std::string&);

void add_action(Router& router, ApiContext& api, std::string_view name, Action action) {
  router.add(http::verb::post, "/v1/actors/{id}/" + std::string(name),
             [&api, action](const std::shared_ptr<Exchange>& exchange) {
               auto id = resolve_or_answer(api, *exchange);
               if (!id) return;
               exchange->respond_later([&api, action, id = *id] { return action(api, id); });
             });
}

}  // namespace

void add_control_routes(Router& router, ApiContext& api) {
  add_action(router, api, "stop", stop);
  add_action(router, api, "terminate", terminate);
  add_action(router, api, "pause", [](ApiContext& api, const std::string& id) {
    return pause_or_resume(api, id, /*pause=*/true);
  });
  add_action(router, api, "resume", [](ApiContext& api, const std::string& id) {
    return pause_or_resume(api, id, /*pause=*/false);
  });
  add_action(router, api, "restart", restart);
}

}  // namespace theater::server
