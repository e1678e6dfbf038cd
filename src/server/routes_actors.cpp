// Starting actors, listing and inspecting them, and reading their state.
#include "chain/base64.h"
#include "server/manifest_source.h"
#include "server/routes.h"

namespace theater::server {
namespace {

bool is_json(const Request& request) {
  std::string_view type = to_std(request[http::field::content_type]);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return beast::iequals(beast::string_view(type.data(), type.size()), "application/json");
}

struct StartRequest {
  std::string manifest;
  std::optional<handler::State> initial_state;  // set when init_state was given
};

Result<StartRequest> parse_start(const std::string& body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return make_error(ErrorCode::kInvalidArgument, "the body is not JSON");
  if (!json.is_object() || !json.contains("manifest") || !json["manifest"].is_string()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the body must be {\"manifest\": path or inline TOML, \"init_state\": "
                      "base64 or null}");
  }
  StartRequest start{json["manifest"].get<std::string>(), std::nullopt};
  auto init_state = json.find("init_state");
  if (init_state == json.end() || init_state->is_null()) return start;
  if (!init_state->is_string()) {
    return make_error(ErrorCode::kInvalidArgument, "init_state must be base64 text or null");
  }
  auto bytes = chain::base64_decode(init_state->get<std::string>());
  if (!bytes.ok()) return bytes.error().context("init_state is not base64");
  start.initial_state = handler::State(std::move(*bytes));
  return start;
}

// A failed spawn: the manifest's or the actor's fault (400), unless the
// runtime is out of room or going away.
Response spawn_failed(const Error& error) {
  if (error.code == ErrorCode::kResourceExhausted || error.code == ErrorCode::kUnavailable)
    return error_response(error);
  return error_response(http::status::bad_request, error.message);
}

Response start_actor(ApiContext& api, const StartRequest& start) {
  auto source = read_manifest(start.manifest, api.runtime.handler_schemas());
  if (!source.ok()) return error_response(http::status::bad_request, source.error().message);
  runtime::TheaterRuntime::SpawnOptions options;
  if (start.initial_state) options.initial_state = *start.initial_state;
  auto id = api.runtime.spawn(source->manifest, options);
  if (!id.ok()) return spawn_failed(id.error());
  api.directory.add(
      *id, StartedActor{std::move(source->manifest), std::move(source->text), start.initial_state});
  return json_response(http::status::created, {{"id", *id}});
}

void post_actor(ApiContext& api, const std::shared_ptr<Exchange>& exchange) {
  if (!is_json(exchange->request())) {
    return exchange->respond(error_response(http::status::unsupported_media_type,
                                            "POST /v1/actors takes Content-Type application/json"));
  }
  auto start = parse_start(exchange->request().body());
  if (!start.ok()) return exchange->respond(error_response(start.error()));
  exchange->respond_later([&api, start = std::move(*start)] { return start_actor(api, start); });
}

// Every actor the runtime runs, then those this server started that ended.
std::vector<runtime::ActorSummary> all_actors(const ApiContext& api) {
  std::vector<runtime::ActorSummary> actors = api.runtime.list();
  std::set<std::string> running;
  for (const auto& actor : actors) running.insert(actor.id);
  for (const std::string& id : api.directory.ids()) {
    if (running.count(id)) continue;
    auto status = api.runtime.status(id);
    auto started = api.directory.find(id);
    if (!status.ok() || !started) continue;
    actors.push_back({id, started->manifest.name, *status, std::nullopt});
  }
  return actors;
}

nlohmann::json metrics_json(const handler::ActorMetrics& m) {
  return {{"calls", m.calls},
          {"failed_calls", m.failed_calls},
          {"total_call_ns", m.total_call_ns},
          {"max_call_ns", m.max_call_ns},
          {"events", m.events},
          {"memory_bytes", m.memory_bytes},
          {"pending_calls", m.pending_calls},
          {"state_bytes", m.state_bytes},
          {"started_at_ms", m.started_at_ms}};
}

Response inspect(const ApiContext& api, const std::string& id) {
  const std::vector<runtime::ActorSummary> actors = all_actors(api);
  auto self = std::find_if(actors.begin(), actors.end(), [&](auto& a) { return a.id == id; });
  if (self == actors.end()) return error_response(http::status::not_found, "no actor " + id);
  nlohmann::json body = summary_json(*self);
  body["children"] = nlohmann::json::array();
  for (const auto& actor : actors)
    if (actor.parent == id) body["children"].push_back(actor.id);
  auto started = api.directory.find(id);
  body["manifest"] = started ? nlohmann::json(started->manifest_text) : nlohmann::json(nullptr);
  auto handle = api.runtime.handle(id);
  auto metrics = handle.ok() ? handle->metrics() : Result<handler::ActorMetrics>(handle.error());
  body["metrics"] = metrics.ok() ? metrics_json(*metrics) : nlohmann::json(nullptr);
  return json_response(http::status::ok, body);
}

Response state(const ApiContext& api, const std::string& id) {
  auto handle = api.runtime.handle(id);
  if (!handle.ok()) {
    return error_response(http::status::conflict,
                          "actor " + id + " does not run: its state ended with it");
  }
  auto state = handle->state();
  if (!state.ok()) return error_response(state.error());
  if (!*state) {
    Response none{http::status::no_content, 11};
    return none;
  }
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "application/octet-stream");
  response.body().assign((*state)->begin(), (*state)->end());
  response.prepare_payload();
  return response;
}

}  // namespace

void add_actor_routes(Router& router, ApiContext& api) {
  router.add(http::verb::post, "/v1/actors",
             [&api](const std::shared_ptr<Exchange>& exchange) { post_actor(api, exchange); });
  router.add(http::verb::get, "/v1/actors", [&api](const std::shared_ptr<Exchange>& exchange) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& actor : all_actors(api)) list.push_back(summary_json(actor));
    exchange->respond(json_response(http::status::ok, list));
  });
  router.add(http::verb::get, "/v1/actors/{id}", [&api](const std::shared_ptr<Exchange>& exchange) {
    if (auto id = resolve_or_answer(api, *exchange)) exchange->respond(inspect(api, *id));
  });
  router.add(http::verb::get, "/v1/actors/{id}/state",
             [&api](const std::shared_ptr<Exchange>& exchange) {
               if (auto id = resolve_or_answer(api, *exchange)) exchange->respond(state(api, *id));
             });
}

}  // namespace theater::server
