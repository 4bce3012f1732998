// Building one REST API (rest.php) request.
#pragma once

#include <optional>
#include <string>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

struct RestRequestSpec {
    std::string base_url;        // absolute URL of rest.php, e.g. https://example.org/w/rest.php
    std::string method = "GET";  // GET, HEAD, POST, PUT, PATCH, DELETE
    // Route such as "/v1/page/{title}" or "/v1/search/title". Each {name} is replaced by path_params[name] encoded as
    // ONE path segment ('/' , '?', '#', '%' and non-ASCII percent-encoded; MediaWiki titles keep ':' readable).
    std::string path;
    json path_params = json::object();
    json query = json::object();  // encoded with encode_params; arrays joined like the Action API
    std::optional<json> body;     // sent as JSON for POST/PUT/PATCH/DELETE
    Headers headers;              // caller headers passed through (If-None-Match, If-Match, …), names lower-cased
};

// Fills method, url, display_url, headers (content-type: application/json when there is a body), body_kind, body.
// Usage errors: "bad-path" (not starting with '/', containing "..", or a {name} without a value, or a value that is
// not a string/number), "bad-method", "body-on-get", "bad-header" (a caller header named authorization or cookie:
// authentication belongs to the client's auth mode).
std::optional<Error> build_rest_request(const RestRequestSpec& spec, HttpRequest& out);

}  // namespace fw
