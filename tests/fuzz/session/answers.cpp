#include "answers.hpp"

#include "../support/check.hpp"

namespace fwfuzz {

using fw::json;

#define FW_DOCREF "See http://127.0.0.2:8092/w/api.php for API usage."

const Canned kCanned[] = {
    // calab-example/transcript.md #3, #7, #9, #4, #5; mediawiki-observed.md §6
    {"centralauthtoken", 200, "", R"({"centralauthtoken":{"centralauthtoken":"$CAT"}})"},
    {"badtoken-central", 200, "mediawiki-api-error: badtoken",
     R"({"error":{"code":"badtoken","info":"The centralauthtoken is not valid.","*":")" FW_DOCREF R"("}})"},
    {"badtoken-central-fv2", 200, "mediawiki-api-error: badtoken",
     R"({"errors":[{"code":"badtoken","text":"The centralauthtoken is not valid."}],"docref":")" FW_DOCREF R"("})"},
    {"central-notloggedin", 200, "mediawiki-api-error: notloggedin",
     R"({"error":{"code":"notloggedin","info":"Anonymous users cannot obtain a centralauthtoken.","*":")" FW_DOCREF R"("}})"},
    {"central-hascallback", 200,
     "mediawiki-login-suppressed: true\naccess-control-allow-origin: *\nmediawiki-api-error: hascallback",
     R"({"error":{"code":"hascallback","info":"Tokens may not be obtained when the same-origin policy is not applied.","*":")" FW_DOCREF R"("}})"},
    {"central-badvalue", 200, "mediawiki-api-error: badvalue",
     R"({"error":{"code":"badvalue","info":"Unrecognized value for parameter \"action\": centralauthtoken.","*":")" FW_DOCREF R"("}})"},
    // transcript.md #24, mediawiki-observed.md §2 and §4
    {"tokens", 200, "", R"({"batchcomplete":"","query":{"tokens":{"csrftoken":"$CSRF"}}})"},
    {"tokens-anonymous", 200, "", R"({"batchcomplete":"","query":{"tokens":{"csrftoken":"+\\"}}})"},
    {"tokens-origin-star", 200, "mediawiki-login-suppressed: true",
     R"({"batchcomplete":"","warnings":{"tokens":{"*":"Tokens may not be obtained when the same-origin policy is not applied."}}})"},
    {"userinfo-admin", 200, "", R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"}}})"},
    {"userinfo-tokens-admin", 200, "",
     R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"},"tokens":{"csrftoken":"$CSRF"}}})"},
    {"userinfo-anon", 200, "", R"({"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}})"},
    {"userinfo-anon-suppressed", 200, "mediawiki-login-suppressed: true",
     R"({"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}})"},
    {"options-success", 200, "", R"({"options":"success"})"},
    {"badtoken-csrf", 200, "mediawiki-api-error: badtoken",
     R"({"error":{"code":"badtoken","info":"Invalid CSRF token.","*":")" FW_DOCREF R"("}})"},
    {"badtoken-csrf-fv2", 200, "mediawiki-api-error: badtoken",
     R"({"errors":[{"code":"badtoken","text":"Invalid CSRF token.","module":"options"}],"docref":")" FW_DOCREF R"("})"},
    {"missingparam", 200, "mediawiki-api-error: missingparam",
     R"({"error":{"code":"missingparam","info":"The \"token\" parameter must be set.","*":")" FW_DOCREF R"("}})"},
    {"mustpostparams", 200, "mediawiki-api-error: mustpostparams",
     R"({"error":{"code":"mustpostparams","info":"The following parameter was found in the query string, but must be in the POST body: token.","*":")" FW_DOCREF R"("}})"},
    {"assertuserfailed", 200, "mediawiki-api-error: assertuserfailed",
     R"({"error":{"code":"assertuserfailed","info":"You are no longer logged in, so the action could not be completed.","*":")" FW_DOCREF R"("}})"},
    {"maxlag", 200, "retry-after: 5\nx-database-lag: -1\nmediawiki-api-error: maxlag",
     R"({"error":{"code":"maxlag","info":"Waiting for a database server: -1 second lagged.","host":"","lag":-1,"type":"db","*":")" FW_DOCREF R"("}})"},
    {"maxlag-fv2", 200, "retry-after: 5\nx-database-lag: -1\nmediawiki-api-error: maxlag",
     R"({"errors":[{"code":"maxlag","text":"Waiting for a database server: -1 second lagged.","data":{"host":"","lag":-1,"type":"db"},"module":"main"}],"docref":")" FW_DOCREF R"("})"},
    {"maxlag-no-retry-after", 200, "mediawiki-api-error: maxlag",
     R"({"error":{"code":"maxlag","info":"Waiting for a database server: 3 seconds lagged.","host":"db1","lag":3,"type":"db"}})"},
    {"readonly", 200, "mediawiki-api-error: readonly",
     R"({"error":{"code":"readonly","info":"The wiki is currently in read-only mode.","readonlyreason":"lab maintenance","*":")" FW_DOCREF R"("}})"},
    {"ratelimited", 200, "mediawiki-api-error: ratelimited",
     R"({"error":{"code":"ratelimited","info":"As an anti-abuse measure, you are limited from performing this action too many times in a short space of time, and you have exceeded this limit. Please try again in a few minutes.","*":")" FW_DOCREF R"("}})"},
    {"warnings-fv2", 200, "", R"({"batchcomplete":true,"warnings":{"main":{"warnings":"Unrecognized parameter: foo."}},"query":{"userinfo":{"id":1,"name":"Admin"}}})"},
    {"origin-mismatch", 403, "cache-control: no-cache\ncontent-type: text/html", "'origin' parameter does not match Origin header\n"},
    {"cors-rejected", 200, "mediawiki-cors-rejection: Origin mismatch",
     R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"}}})"},
    {"internal-api-error", 500, "mediawiki-api-error: internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError",
     R"({"error":{"code":"internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError","info":"[a1b2c3] Exception caught: Only a single Origin header field allowed","errorclass":"MediaWiki\\Rest\\HeaderParser\\HeaderParserError"}})"},
    {"http-500-html", 500, "content-type: text/html",
     "<!DOCTYPE html>\n<html><head><title>Internal error - Wiki</title><style>body{}</style></head><body><h1>Internal error</h1><p>[a1b2c3] Fatal exception of type \"Wikimedia\\Rdbms\\DBQueryError\"</p></body></html>"},
    {"http-502-nginx", 502, "content-type: text/html",
     "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"},
    {"http-503-retry-after", 503, "retry-after: 120\ncontent-type: text/html", "<html><body>Service Unavailable</body></html>"},
    {"http-429-retry-after", 429, "retry-after: 2", "Too Many Requests"},
    {"html-200", 200, "content-type: text/html", "<!DOCTYPE html><html><head><title>Main Page</title></head><body>\xe6\x97\xa5</body></html>"},
    {"empty-200", 200, "", ""},
    {"opaque-0", 0, "", ""},
    {"json-empty-object", 200, "", "{}"},
    {"json-empty-array", 200, "", "[]"},
    {"json-string", 200, "", R"("x")"},
    {"json-number", 200, "", "5"},
    {"json-null", 200, "", "null"},
    {"odd-error-string", 200, "", R"({"error":"x"})"},
    {"odd-error-code-number", 200, "", R"({"error":{"code":5,"info":[1]}})"},
    {"odd-errors-empty", 200, "", R"({"errors":[]})"},
    {"odd-errors-scalar", 200, "", R"({"errors":[5,"x",null]})"},
    {"odd-tokens-number", 200, "", R"({"query":{"tokens":5}})"},
    {"odd-tokens-array", 200, "", R"({"query":{"tokens":["$CSRF"]}})"},
    {"odd-csrftoken-number", 200, "", R"({"query":{"tokens":{"csrftoken":5}}})"},
    {"odd-query-number", 200, "", R"({"query":5})"},
    {"odd-query-array", 200, "", R"({"query":[]})"},
    {"odd-query-string", 200, "", R"({"query":"x"})"},
    {"odd-central-number", 200, "", R"({"centralauthtoken":{"centralauthtoken":7}})"},
    {"odd-central-string", 200, "", R"({"centralauthtoken":"x"})"},
    {"odd-central-empty", 200, "", R"({"centralauthtoken":{"centralauthtoken":""}})"},
    {"odd-userinfo-string", 200, "", R"({"query":{"userinfo":"x"}})"},
    {"odd-userinfo-name-number", 200, "", R"({"query":{"userinfo":{"id":1,"name":5},"tokens":{"csrftoken":"$CSRF"}}})"},
    {"odd-userinfo-array", 200, "", R"({"query":{"userinfo":[],"tokens":"x"}})"},
    {"odd-warnings", 200, "", R"({"warnings":[5,{"code":[]},"x"],"query":{"userinfo":{"id":1,"name":"Admin"}}})"},
    // mediawiki-observed.md §5, transcript.md #35, #41, #50
    {"rest-contributions", 200, "vary: Origin",
     R"({"older":null,"newer":null,"latest":"http://127.0.0.2:8092/w/rest.php/coredev/v0/me/contributions","contributions":[]})"},
    {"rest-401-anon", 401, "vary: Origin",
     R"({"messageTranslations":{"en":"Not accessible by anonymous user"},"httpCode":401,"httpReason":"Unauthorized"})"},
    {"rest-403-badcsrf", 403, "", R"({"messageTranslations":{"en":"Invalid CSRF token."},"httpCode":403,"httpReason":"Forbidden"})"},
    {"rest-403-anon-write", 403, "", R"({"error":"rest-cross-origin-anon-write","httpCode":403,"httpReason":"Forbidden"})"},
    {"rest-400-missingparam", 400, "",
     R"({"actionModuleErrorCode":"missingparam","messageTranslations":{"en":"The \"token\" parameter must be set."},"httpCode":400,"httpReason":"Bad Request"})"},
    {"rest-404", 404, "", R"({"messageTranslations":{"en":"The specified page does not exist."},"httpCode":404,"httpReason":"Not Found"})"},
    {"rest-201-created", 201, "vary: Origin",
     R"({"id":2,"title":"Calab REST page","key":"Calab_REST_page","latest":{"id":3,"timestamp":"2026-11-24T01:00:00Z"},"license":{"url":"","title":""},"content_model":"wikitext","source":"x"})"},
    {"rest-304", 304, "etag: \"3\"", ""},
    {"rest-412", 412, "", R"({"errorKey":"rest-precondition-failed","messageTranslations":{"en":"Precondition failed"},"httpCode":412,"httpReason":"Precondition Failed"})"},
};
const std::size_t kCannedCount = std::size(kCanned);

fw::Headers parse_header_lines(const std::string& lines) {
    fw::Headers headers;
    std::size_t pos = 0;
    while (pos < lines.size()) {
        std::size_t end = lines.find('\n', pos);
        if (end == std::string::npos) end = lines.size();
        const std::string line = lines.substr(pos, end - pos);
        const std::size_t colon = line.find(": ");
        if (colon != std::string::npos) headers.emplace_back(to_lower(line.substr(0, colon)), line.substr(colon + 2));
        pos = end + 1;
    }
    return headers;
}

fw::HttpResponse make_response(int status, fw::Headers headers, const std::string& body, bool digest) {
    fw::HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    if (body.empty()) return r;
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        r.body_kind = fw::ResponseBody::Text;
        r.text = body;
    } else {
        r.body_kind = fw::ResponseBody::Json;
        r.body = std::move(parsed);
        r.digest = digest;
    }
    return r;
}

namespace {

bool has_header(const fw::Headers& headers, const char* name) {
    for (const auto& h : headers)
        if (to_lower(h.first) == name) return true;
    return false;
}

// An error shaped the way MediaWiki shapes a refusal: {"error": {"code": "…"}} or {"errors": [{"code": "…"}]}, and
// not an internal_api_error (an exception part-way through, after which a write may have been committed).
bool is_api_refusal(const json& body) {
    if (!body.is_object()) return false;
    std::string code;
    auto error = body.find("error");
    auto errors = body.find("errors");
    if (error != body.end() && error->is_object() && error->contains("code") && (*error)["code"].is_string()) {
        code = (*error)["code"].get<std::string>();
    } else if (errors != body.end() && errors->is_array() && !errors->empty() && errors->front().is_object() &&
               errors->front().contains("code") && errors->front()["code"].is_string()) {
        code = errors->front()["code"].get<std::string>();
    }
    return !code.empty() && code.rfind("internal_api_error", 0) != 0;
}

// JavaScript truthiness of error/errors (mw.Api): present but malformed means "an error of unknown kind".
bool has_truthy_error(const json& body) {
    if (!body.is_object()) return false;
    for (const char* key : {"error", "errors"}) {
        auto it = body.find(key);
        if (it == body.end()) continue;
        const json& v = *it;
        if (v.is_structured() || (v.is_boolean() && v.get<bool>()) || (v.is_string() && !v.get<std::string>().empty()) ||
            (v.is_number() && v.get<double>() != 0 && v.get<double>() == v.get<double>()))
            return true;
    }
    return false;
}

}  // namespace

bool ambiguous_for_write(const fw::HttpResponse& r) {
    if (r.status == 0) return true;
    if (r.status >= 500) return !(r.status == 503 && has_header(r.headers, "retry-after"));
    if (r.status < 200 || r.status >= 300) return false;  // refused before anything was written
    if (r.body_kind != fw::ResponseBody::Json) return true;  // empty, not JSON, or not read (too large / deep)
    if (is_api_refusal(r.body)) return false;
    if (has_header(r.headers, "mediawiki-login-suppressed") || has_header(r.headers, "mediawiki-cors-rejection"))
        return true;  // it ran (anonymously, or for an origin that cannot read the answer)
    if (r.digest) return false;
    if (has_truthy_error(r.body)) return true;
    return !((r.body.is_object() || r.body.is_array()) && !r.body.empty());
}

}  // namespace fwfuzz
