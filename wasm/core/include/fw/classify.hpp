// Reading a response: success, or which named error, and whether a retry is certainly safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

// What the server told us about retrying.
struct RetryAdvice {
    // True only when the server certainly did not perform the request (maxlag, readonly, badtoken, a 429/503 with
    // Retry-After, a refused centralauthtoken). A write is repeated only then.
    bool not_performed = false;
    std::optional<double> retry_after_ms;  // from Retry-After (seconds or HTTP-date is not needed: seconds only)
};

struct Classified {
    std::optional<Error> error;  // empty = success
    RetryAdvice retry;
    json warnings = json::array();  // [{"module":…, "code":…, "text":…}] from every warnings format
};

struct ClassifyContext {
    bool expect_login = false;  // the request carried credentials or a centralauthtoken: suppressed login is an error
    // The request carried OAuth credentials (`Authorization: Bearer`, or an OAuth 1.0a signature): the OAuth refusals
    // (api.php mwoauth-*, REST 401 access_denied / invalid_token and REST 403 rest-read-denied, which is how 1.39 REST
    // answers a bad token) are OAuth errors.
    bool oauth = false;
    // The request may change state on the server. Its success must then look like MediaWiki's (a JSON object with a
    // module result), and every error that is not a certain refusal gets Performed::Maybe.
    bool write = false;
    // The write's Action API module (`action`). For the core modules of write_result_modules() the success must
    // hold that module's own member; for any other module, any member but `warnings` will do.
    std::string write_module;
};

// MediaWiki core's write modules whose every success holds a member named after the module (ApiEditPage,
// ApiUpload, ApiOptions, …: `addValue( null, $this->getModuleName(), … )`), in the JSON type it always has.
// Extensions are not listed: Wikibase, for one, answers {"entity": …, "success": 1}.
struct WriteResultMember {
    enum class Shape { Object, List, Success };  // an object; an array (an object for the old `title`); "success"
    const char* module;
    Shape shape;
};
const std::vector<WriteResultMember>& write_result_modules();

// Action API (api.php) responses, every errorformat (bc `error`, `errors[]`), fv1 and fv2.
// Codes: the server's code (badtoken, maxlag, readonly, assertuserfailed, …);
//   "centralauthtoken-rejected" for badtoken whose text names the centralauthtoken ("The centralauthtoken is not
//   valid."); "origin-mismatch" (403 text "'origin' parameter does not match Origin header"), "cors-rejected"
//   (MediaWiki-CORS-Rejection header), "login-suppressed" (MediaWiki-Login-Suppressed: true when expect_login),
//   "http" (non-2xx without an API error), "ok-but-empty", "invalidjson" (Text body on 2xx), "network" (status 0),
//   "unexpected-response" (a write answered 2xx with something MediaWiki never sends for a success),
//   "response-too-large" / "response-too-deep" (the answer exceeded the request's bounds).
// `error` and `errors` count when truthy, whatever their type (as in mw.Api); a malformed one has code "unknown".
Classified classify_action(const HttpResponse& response, const ClassifyContext& context);

// With context.oauth, the refusals of the credentials (see ClassifyContext) have category OAuth, the server's code and
// Performed::No: MediaWiki checks the token before it runs anything.
// REST (rest.php): 2xx (and 304) is success; otherwise code = errorKey, else `error` (string), else
// actionModuleErrorCode, else "http"; info from messageTranslations (en first, else any), else httpReason.
Classified classify_rest(const HttpResponse& response, const ClassifyContext& context);

// Seconds in Retry-After → ms; nullopt when absent or not a non-negative number.
std::optional<double> retry_after_ms(const Headers& headers);

}  // namespace fw
