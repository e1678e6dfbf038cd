// Router: the route table. A route is a method and a path pattern whose
// segments are literals or "{name}" parameters ("/v1/actors/{id}/stop").
// A path that matches no pattern is 404; one that matches only under other
// methods is 405 with an Allow header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/exchange.h"

namespace theater::server {

class Router {
 public:
  void add(http::verb method, std::string_view pattern, Handler handler);
  // Hands the exchange to its route (filling its params), or answers 404/405.
  void dispatch(const std::shared_ptr<Exchange>& exchange) const;

 private:
  struct Route {
    http::verb method;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    Handler handler;
  };
  static bool matches(const Route& route, const std::vector<std::string_view>& path,
                      std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
};

}  // namespace theater::server
