#include "server/exchange.h"

namespace theater::server {

const std::string& Exchange::param(const std::string& name) const {
  static const std::string kNone;
  auto it = params_.find(name);
  return it == params_.end() ? kNone : it->second;
}

void Exchange::respond_later(std::function<Response()> work) {
  std::shared_ptr<ExchangeSink> sink = sink_;
  const bool queued = sink->run_blocking([sink, work = std::move(work)] { sink->deliver(work()); });
  if (!queued) {
    respond(error_response(http::status::service_unavailable,
                           "the server is busy: too many requests waiting for a worker"));
  }
}

}  // namespace theater::server
