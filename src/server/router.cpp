#include "server/router.h"

namespace theater::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return segments;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(http::verb method, std::string_view pattern, Handler handler) {
  Route route{method, {}, std::move(handler)};
  for (std::string_view segment : split_path(pattern)) route.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& path,
                     std::map<std::string, std::string>& params) {
  if (route.segments.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (is_parameter(segment)) {
      found[segment.substr(1, segment.size() - 2)] = std::string(path[i]);
    } else if (segment != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

void Router::dispatch(const std::shared_ptr<Exchange>& exchange) const {
  const auto path = split_path(target_path(to_std(exchange->request().target())));
  std::string allowed;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(route, path, params)) continue;
    if (route.method == exchange->request().method()) {
      exchange->params() = std::move(params);
      route.handler(exchange);
      return;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += std::string(http::to_string(route.method));
  }
  if (allowed.empty()) {
    exchange->respond(error_response(
        http::status::not_found,
        "no such endpoint: " + std::string(target_path(to_std(exchange->request().target())))));
    return;
  }
  Response response = error_response(
      http::status::method_not_allowed,
      std::string(exchange->request().method_string()) + " is not allowed here; use " + allowed);
  response.set(http::field::allow, allowed);
  exchange->respond(std::move(response));
}

}  // namespace theater::server
