#include "server/http.h"

namespace theater::server {

Response json_response(http::status status, const nlohmann::json& body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = body.dump();
  response.prepare_payload();
  return response;
}

Response error_response(http::status status, std::string_view message) {
  nlohmann::json body = {
      {"error", {{"code", error_code_name(status)}, {"message", std::string(message)}}}};
  return json_response(status, body);
}

Response error_response(const Error& error) {
  return error_response(status_for(error.code), error.message);
}

http::status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return http::status::bad_request;
    case ErrorCode::kNotFound:
      return http::status::not_found;
    case ErrorCode::kPermissionDenied:
      return http::status::bad_request;  // the manifest asks for what policy refuses
    case ErrorCode::kFailedPrecondition:
      return http::status::conflict;
    case ErrorCode::kResourceExhausted:
      return http::status::too_many_requests;
    case ErrorCode::kDeadlineExceeded:
      return http::status::gateway_timeout;
    case ErrorCode::kUnavailable:
      return http::status::service_unavailable;
    case ErrorCode::kTrap:
    case ErrorCode::kExited:
    case ErrorCode::kCancelled:
      return http::status::bad_request;  // the actor's own failure, e.g. its init
    case ErrorCode::kInternal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

std::string_view error_code_name(http::status status) {
  switch (status) {
    case http::status::bad_request:
      return "bad_request";
    case http::status::unauthorized:
      return "unauthorized";
    case http::status::not_found:
      return "not_found";
    case http::status::method_not_allowed:
      return "method_not_allowed";
    case http::status::conflict:
      return "conflict";
    case http::status::payload_too_large:
      return "payload_too_large";
    case http::status::unsupported_media_type:
      return "unsupported_media_type";
    case http::status::too_many_requests:
      return "too_many_requests";
    case http::status::service_unavailable:
      return "unavailable";
    case http::status::gateway_timeout:
      return "timeout";
    case http::status::request_header_fields_too_large:
      return "headers_too_large";
    default:
      return "internal";
  }
}

std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::optional<std::string> query_value(std::string_view target, std::string_view name) {
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return std::string(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace theater::server
