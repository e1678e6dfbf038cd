#include "server/routes.h"

namespace theater::server {

void add_routes(Router& router, ApiContext& api) {
  add_health_routes(router, api);
  add_actor_routes(router, api);
  add_control_routes(router, api);
  add_event_routes(router, api);
}

std::optional<std::string> resolve_or_answer(const ApiContext& api, Exchange& exchange,
                                             bool persisted) {
  auto id = api.resolve(exchange.param("id"), persisted);
  if (!id.ok()) {
    exchange.respond(error_response(id.error()));
    return std::nullopt;
  }
  return *id;
}

nlohmann::json summary_json(const runtime::ActorSummary& actor) {
  return {{"id", actor.id},
          {"name", actor.name},
          {"status", handler::to_string(actor.status)},
          {"parent", actor.parent ? nlohmann::json(*actor.parent) : nlohmann::json(nullptr)}};
}

}  // namespace theater::server
