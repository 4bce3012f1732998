// Response bodies copied from what real MediaWiki 1.39 + CentralAuth REL1_39 sent to recorded requests (the same
// wikis tests/lab builds). Kept verbatim so the tests meet exactly what the browser will.
#pragma once

namespace wiki {

constexpr const char* kDocref =
    "See http://127.0.0.2:8092/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at "
    "&lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of "
    "API deprecations and breaking changes.";

constexpr const char* kCentralToken1 =
    R"({"centralauthtoken":{"centralauthtoken":"5c76749c30ecc02bbc5b7d8fa9b33d8a1"}})";
constexpr const char* kCentralToken2 =
    R"({"centralauthtoken":{"centralauthtoken":"9f0e2b7c41d2a8e6b3c5d7f9a1b2c3d41"}})";
constexpr const char* kCentralToken3 =
    R"({"centralauthtoken":{"centralauthtoken":"0a1b2c3d4e5f60718293a4b5c6d7e8f91"}})";
constexpr const char* kCsrfTokens =
    R"({"batchcomplete":"","query":{"tokens":{"csrftoken":"e649d821b946fa61e9f8997086295ff86b052eb0+\\"}}})";
constexpr const char* kCsrfTokens2 =
    R"({"batchcomplete":"","query":{"tokens":{"csrftoken":"c790aa11b946fa61e9f8997086295ff86b05ffff+\\"}}})";
constexpr const char* kCsrfValue = "e649d821b946fa61e9f8997086295ff86b052eb0+\\";
constexpr const char* kCsrfValue2 = "c790aa11b946fa61e9f8997086295ff86b05ffff+\\";
constexpr const char* kAnonTokensWarning =
    R"({"batchcomplete":"","warnings":{"tokens":{"*":"Tokens may not be obtained when the same-origin policy is not applied."}}})";
constexpr const char* kUserinfoAdmin = R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"}}})";
constexpr const char* kUserinfoAnon =
    R"({"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}})";
constexpr const char* kUserinfoAndTokensAdmin =
    R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"},"tokens":{"csrftoken":"e649d821b946fa61e9f8997086295ff86b052eb0+\\"}}})";
constexpr const char* kOptionsSuccess = R"({"options":"success"})";
constexpr const char* kBadCsrfToken =
    R"({"error":{"code":"badtoken","info":"Invalid CSRF token.","*":"See http://127.0.0.2:8092/w/api.php for API usage."}})";
constexpr const char* kBadCentralToken =
    R"({"error":{"code":"badtoken","info":"The centralauthtoken is not valid.","*":"See http://127.0.0.2:8092/w/api.php for API usage."}})";
constexpr const char* kCentralNotLoggedIn =
    R"({"error":{"code":"notloggedin","info":"Anonymous users cannot obtain a centralauthtoken.","*":"See http://127.0.0.1:8091/w/api.php for API usage."}})";
constexpr const char* kNoCentralAuth =
    R"({"error":{"code":"badvalue","info":"Unrecognized value for parameter \"action\": centralauthtoken.","*":"See http://127.0.0.1:8081/w/api.php for API usage."}})";
constexpr const char* kMaxlag =
    R"({"error":{"code":"maxlag","info":"Waiting for a database server: -1 second lagged.","host":"","lag":-1,"type":"db","*":"See http://127.0.0.1:8082/w/api.php for API usage."}})";
constexpr const char* kReadonly =
    R"({"error":{"code":"readonly","info":"The wiki is currently in read-only mode.","readonlyreason":"lab maintenance","*":"See http://127.0.0.1:8082/w/api.php for API usage."}})";
constexpr const char* kRatelimited =
    R"({"error":{"code":"ratelimited","info":"As an anti-abuse measure, you are limited from performing this action too many times in a short space of time, and you have exceeded this limit. Please try again in a few minutes.","*":"See http://127.0.0.1:8082/w/api.php for API usage."}})";
constexpr const char* kRestContributions =
    R"({"older":null,"newer":null,"latest":"http://127.0.0.2:8092/w/rest.php/coredev/v0/me/contributions","contributions":[{"id":2,"comment":"calab seed","timestamp":"2026-11-24T01:00:00Z","delta":null,"size":30,"tags":[],"type":"revision","page":{"id":1,"key":"Main_Page","title":"Main Page"}}]})";
constexpr const char* kRestAnon401 =
    R"({"messageTranslations":{"en":"Not accessible by anonymous user"},"httpCode":401,"httpReason":"Unauthorized"})";
constexpr const char* kRestPageCreated =
    R"({"id":2,"title":"Calab REST page","key":"Calab_REST_page","latest":{"id":3,"timestamp":"2026-11-24T01:00:00Z"},"license":{"url":"","title":""},"content_model":"wikitext","source":"Created via REST with a CentralAuthToken."})";

}  // namespace wiki
