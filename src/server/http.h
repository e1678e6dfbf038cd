// The request and response types of the management API and the helpers every
// route uses: JSON bodies, the error body {"error":{"code":..,"message":..}},
// and the mapping from theater::ErrorCode to an HTTP status. One place, so
// every endpoint (and every engineer adding one) answers alike.
#pragma once

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/asio.h"
#include "common/result.h"

namespace theater::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
// A connection, Unix or TCP alike, with Beast's per-operation timeouts.
using Stream = beast::basic_stream<asio::generic::stream_protocol>;

// Beast's string_view (boost's) as the standard one.
inline std::string_view to_std(beast::string_view text) {
  return {text.data(), text.size()};
}

// A JSON body with Content-Type application/json.
Response json_response(http::status status, const nlohmann::json& body);
// The error body: {"error":{"code":<error_code_name(status)>,"message":...}}.
Response error_response(http::status status, std::string_view message);
// An expected failure as its fitting status (kNotFound: 404,
// kFailedPrecondition: 409, kInvalidArgument: 400, ...).
Response error_response(const Error& error);
http::status status_for(ErrorCode code);
// The stable snake_case name an error body carries for a status
// ("not_found", "conflict", ...): what clients switch on.
std::string_view error_code_name(http::status status);

// The raw query value of `name` in the request target (no percent-decoding:
// the API's parameters are numbers and booleans).
std::optional<std::string> query_value(std::string_view target, std::string_view name);
// The target without its query.
std::string_view target_path(std::string_view target);

}  // namespace theater::server
