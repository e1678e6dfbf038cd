// RuntimeService: something a handler offers to the runtime's owner (the
// CLI, the management server, an embedder) rather than to actors, e.g. the
// message server's ExternalMessaging (handler_api/external_messaging.h).
// Each service interface derives from RuntimeService and names itself with
// a `static constexpr std::string_view kServiceName`; a handler answers
// Handler::runtime_service(name) for the names it implements, and the
// runtime finds it with HandlerRegistry::service_provider(name), so it never
// names the handler that provides it.
#pragma once

namespace theater::handler {

class RuntimeService {
 public:
  virtual ~RuntimeService() = default;
};

}  // namespace theater::handler
