// Building one Action API (api.php) request: where each parameter goes (URL or body), the body encoding, and the
// rule that a csrf token never goes in a URL.
#pragma once

#include <optional>
#include <string>

#include "fw/error.hpp"
#include "fw/params.hpp"
#include "fw/types.hpp"

namespace fw {

struct ActionRequestSpec {
    std::string api_url;         // absolute URL of api.php; may already carry a query string
    std::string method = "GET";  // GET or POST
    ParamList params;            // the caller's params after encode_params, defaults (action, format) included
    // Parameters that must be readable by a preflight (which has no body) and by MediaWiki before the module runs:
    // they always go in the URL, whatever the method (T421288 for action). Empty string = omitted.
    std::string origin;
    bool crossorigin = false;
    std::string centralauthtoken;
    // The token value, placed last in the body (POST only). Empty = none.
    std::string token_name = "token";
    std::string token;
    // A URL-encoded field longer than this switches the body to multipart/form-data (as mwn does; MediaWiki accepts
    // both). Blob fields always do.
    std::size_t multipart_threshold = 8000;
};

// Fills method, url, display_url, body_kind, body/fields and the Content-Type header of `out`.
// Errors (usage): "token-in-url" when a token is given for GET, "bad-method", "blob-in-get".
// action, format, origin, crossorigin and centralauthtoken are written first in the URL, in that order; for GET the
// other params follow in their order.
std::optional<Error> build_action_request(const ActionRequestSpec& spec, HttpRequest& out);

// Masks the values of token-like parameters (token, *token, centralauthtoken) in a URL or form body: "…=•••".
std::string mask_secrets(const std::string& url_or_body);

// "https://host:port" of an absolute http(s) URL, lower-cased scheme and host; empty when the URL is not absolute.
std::string origin_of(const std::string& url);

}  // namespace fw
