// The route table of API version 1, one function per endpoint group, each in
// its own routes_<group>.cpp. Adding an endpoint group is one such file and
// one line in add_routes (routes.cpp).
#pragma once

#include "server/api.h"
#include "server/router.h"

namespace theater::server {

// GET /v1/health
void add_health_routes(Router& router, ApiContext& api);
// POST /v1/actors, GET /v1/actors, GET /v1/actors/{id}, GET /v1/actors/{id}/state
void add_actor_routes(Router& router, ApiContext& api);
// POST /v1/actors/{id}/stop|terminate|pause|resume|restart
void add_control_routes(Router& router, ApiContext& api);
// GET /v1/actors/{id}/events[?from=N&limit=M&follow=true]
void add_event_routes(Router& router, ApiContext& api);

// Every group above.
void add_routes(Router& router, ApiContext& api);

// For routes: the actor an {id} parameter names (see ApiContext::resolve);
// answers the error itself and returns nothing when there is none.
std::optional<std::string> resolve_or_answer(const ApiContext& api, Exchange& exchange,
                                             bool persisted = false);
// An actor's summary as the API shows it: {"id","name","status","parent"}.
nlohmann::json summary_json(const runtime::ActorSummary& actor);

}  // namespace theater::server
