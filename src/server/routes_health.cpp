// GET /v1/health: liveness, and the version of the server answering.
#include "server/routes.h"

#ifndef THEATER_VERSION
#define THEATER_VERSION "unknown"
#endif

namespace theater::server {

void add_health_routes(Router& router, ApiContext&) {
  router.add(http::verb::get, "/v1/health", [](const std::shared_ptr<Exchange>& exchange) {
    exchange->respond(
        json_response(http::status::ok, {{"status", "ok"}, {"version", THEATER_VERSION}}));
  });
}

}  // namespace theater::server
