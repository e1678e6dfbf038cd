// GET /v1/actors/{id}/events?from=N&limit=M&follow=true: the actor's chain as
// ndjson (DESIGN.md's JSONL form, one event a line), persisted or live
// (event_streams.h says how a stream runs).
#include <charconv>

#include "server/event_streams.h"
#include "server/routes.h"

namespace theater::server {
namespace {

Result<std::optional<uint64_t>> number_param(const Exchange& exchange, std::string_view name) {
  auto text = exchange.query(name);
  if (!text) return std::optional<uint64_t>{};
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string(name) + " must be a non-negative integer, not \"" + *text + "\"");
  }
  return std::optional<uint64_t>(value);
}

Result<bool> follow_param(const Exchange& exchange) {
  auto text = exchange.query("follow");
  if (!text || *text == "false" || *text == "0") return false;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  return make_error(ErrorCode::kInvalidArgument,
                    "follow must be true or false, not \"" + *text + "\"");
}

Result<EventQuery> parse_query(const Exchange& exchange, std::string id) {
  EventQuery query;
  query.actor_id = std::move(id);
  THEATER_ASSIGN_OR_RETURN(std::optional<uint64_t> from, number_param(exchange, "from"));
  THEATER_ASSIGN_OR_RETURN(query.limit, number_param(exchange, "limit"));
  THEATER_ASSIGN_OR_RETURN(query.follow, follow_param(exchange));
  query.from = from.value_or(0);
  return query;
}

}  // namespace

void add_event_routes(Router& router, ApiContext& api) {
  router.add(http::verb::get, "/v1/actors/{id}/events",
             [&api](const std::shared_ptr<Exchange>& exchange) {
               auto id = resolve_or_answer(api, *exchange, /*persisted=*/true);
               if (!id) return;
               auto query = parse_query(*exchange, *id);
               if (!query.ok()) return exchange->respond(error_response(query.error()));
               if (!api.streams->reserve()) {
                 return exchange->respond(error_response(http::status::too_many_requests,
                                                         "too many event streams open: try later"));
               }
               exchange->take_over([&api, query = std::move(*query)](Stream stream, Request) {
                 api.streams->start(std::move(stream), query);
               });
             });
}

}  // namespace theater::server
