// Classification of real MediaWiki 1.39 answers. Bodies are copied from recordings of MediaWiki 1.39 and CentralAuth
// REL1_39 answering real requests ("#NN" and "calab #NN" are the request numbers in those recordings). Where a
// recording elided the docref, the full 1.39 docref text is used with the lab's host; bodies marked "constructed"
// were not observed and follow the documented shape.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fw/classify.hpp"
#include "scripted.hpp"

using fw::ErrorCategory;
using fw::Headers;
using fwtest::response;

namespace {

struct Expectation {
    const char* name;
    int status;
    std::string body;
    Headers headers;
    bool expect_login;
    const char* code;  // nullptr: success
    ErrorCategory category;
    bool not_performed;
    std::optional<double> retry_after_ms;
};

constexpr auto kNone = std::nullopt;

// What the JS driver does with a big body: copy only the digest_spec() keys.
fw::json digest_of(const fw::json& body) {
    const fw::json spec = fw::digest_spec();
    fw::json digest = fw::json::object();
    for (const auto& key : spec["top"]) {
        const std::string& name = key.get_ref<const std::string&>();
        if (body.contains(name)) digest[name] = body[name];
    }
    if (digest.contains("query") && digest["query"].is_object()) {
        fw::json query = fw::json::object();
        for (const auto& key : spec["query"]) {
            const std::string& name = key.get_ref<const std::string&>();
            if (body["query"].contains(name)) query[name] = body["query"][name];
        }
        digest["query"] = query;
    }
    return digest;
}

fw::Classified classify(const Expectation& e, bool rest, bool as_digest) {
    fw::HttpResponse r = response(e.status, e.body, e.headers);
    if (e.status == 0) r = fwtest::opaque_failure();
    if (as_digest) {
        r.body = digest_of(r.body);
        r.digest = true;
    }
    fw::ClassifyContext context;
    context.expect_login = e.expect_login;
    return rest ? fw::classify_rest(r, context) : fw::classify_action(r, context);
}

void check(const Expectation& e, const fw::Classified& c) {
    INFO(e.name);
    if (e.code == nullptr) {
        CHECK((c.error ? c.error->code + ": " + c.error->info : std::string()) == "");
    } else {
        REQUIRE(c.error.has_value());
        CHECK(c.error->code == e.code);
        CHECK(c.error->category == e.category);
        CHECK(c.error->status == e.status);
        CHECK_FALSE(c.error->info.empty());
    }
    CHECK(c.retry.not_performed == e.not_performed);
    CHECK(c.retry.retry_after_ms == e.retry_after_ms);
}

// Every case twice: with the whole body, and with only its digest, proving the classifier reads nothing else.
void check_all(const std::vector<Expectation>& cases, bool rest) {
    for (const auto& e : cases) {
        check(e, classify(e, rest, false));
        const fw::HttpResponse r = response(e.status, e.body, e.headers);
        const bool digestible = r.body_kind == fw::ResponseBody::Json && r.body.is_object() && !r.body.empty();
        if (!digestible) continue;
        INFO("digest of " << e.name);
        fw::Classified full = classify(e, rest, false);
        fw::Classified digested = classify(e, rest, true);
        check(e, digested);
        CHECK(digested.warnings == full.warnings);
        if (full.error && digested.error) CHECK(digested.error->info == full.error->info);
    }
}

Headers kApiError(const char* code) { return {{"mediawiki-api-error", code}}; }

}  // namespace

TEST_CASE("Action API errors, every errorformat", "[classify]") {
    const std::vector<Expectation> cases =
        {
            {"#47 csrf badtoken, fv1", 200,
             R"({"error":{"code":"badtoken","info":"Invalid CSRF token.","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("badtoken"), false, "badtoken", ErrorCategory::Api, true, kNone},
            {"#48 csrf badtoken, errorformat=plaintext fv2", 200,
             R"({"errors":[{"code":"badtoken","text":"Invalid CSRF token.","module":"options"}],"docref":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."})",
             kApiError("badtoken"), false, "badtoken", ErrorCategory::Api, true, kNone},
            {"#49 csrf badtoken, errorformat=html", 200,
             R"({"errors":[{"code":"badtoken","html":"Invalid CSRF token.","module":"options"}],"docref":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."})",
             kApiError("badtoken"), false, "badtoken", ErrorCategory::Api, true, kNone},
            {"constructed: csrf badtoken, errorformat=raw", 200,
             R"({"errors":[{"code":"badtoken","key":"apierror-badtoken","params":[],"module":"options"}]})",
             kApiError("badtoken"), false, "badtoken", ErrorCategory::Api, true, kNone},
            {"calab #7 used centralauthtoken, fv1", 200,
             R"({"error":{"code":"badtoken","info":"The centralauthtoken is not valid.","*":"See http://127.0.0.2:8092/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("badtoken"), true, "centralauthtoken-rejected", ErrorCategory::CentralAuth, true, kNone},
            {"calab #9 used centralauthtoken, errorformat=plaintext fv2", 200,
             R"({"errors":[{"code":"badtoken","text":"The centralauthtoken is not valid."}],"docref":"See http://127.0.0.2:8092/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."})",
             kApiError("badtoken"), true, "centralauthtoken-rejected", ErrorCategory::CentralAuth, true, kNone},
            {"constructed: used centralauthtoken, errorformat=raw (CentralAuth's message key)", 200,
             R"({"errors":[{"code":"badtoken","key":"apierror-centralauth-badtoken","params":[],"module":"main"}]})",
             kApiError("badtoken"), true, "centralauthtoken-rejected", ErrorCategory::CentralAuth, true, kNone},
            {"calab #34 missingparam", 200,
             R"({"error":{"code":"missingparam","info":"The \"token\" parameter must be set.","*":"See http://127.0.0.2:8092/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("missingparam"), true, "missingparam", ErrorCategory::Api, false, kNone},
            {"#51 mustpostparams", 200,
             R"({"error":{"code":"mustpostparams","info":"The following parameter was found in the query string, but must be in the POST body: token.","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("mustpostparams"), false, "mustpostparams", ErrorCategory::Api, false, kNone},
            {"#60 assertuserfailed", 200,
             R"({"error":{"code":"assertuserfailed","info":"You are no longer logged in, so the action could not be completed.","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("assertuserfailed"), true, "assertuserfailed", ErrorCategory::Api, false, kNone},
            {"#63 assertnameduserfailed", 200, R"({"error":{"code":"assertnameduserfailed","info":"You are no longer logged in as \"Tester\", so the action could not be completed.","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("assertnameduserfailed"), true, "assertnameduserfailed", ErrorCategory::Api, false, kNone},
            {"#70 maxlag fv1 with Retry-After: 5",
             200,
             R"({"error":{"code":"maxlag","info":"Waiting for a database server: -1 second lagged.","host":"","lag":-1,"type":"db","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             {{"retry-after", "5"}, {"x-database-lag", "-1"}, {"mediawiki-api-error", "maxlag"}},
             false,
             "maxlag",
             ErrorCategory::Api,
             true,
             5000.0},
            {"#71 maxlag errorformat=plaintext with Retry-After: 5",
             200,
             R"({"errors":[{"code":"maxlag","text":"Waiting for a database server: -1 second lagged.","data":{"host":"","lag":-1,"type":"db"},"module":"main"}],"docref":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."})",
             {{"retry-after", "5"}, {"x-database-lag", "-1"}, {"mediawiki-api-error", "maxlag"}},
             false,
             "maxlag",
             ErrorCategory::Api,
             true,
             5000.0},
            {"maxlag with a larger Retry-After (max(maxlag, 5)) uses the header",
             200,
             R"({"error":{"code":"maxlag","info":"Waiting for a database server: 12 seconds lagged.","host":"db1","lag":12,"type":"db"}})",
             {{"retry-after", "12"}, {"x-database-lag", "12"}, {"mediawiki-api-error", "maxlag"}},
             false,
             "maxlag",
             ErrorCategory::Api,
             true,
             12000.0},
            {"maxlag whose Retry-After a proxy dropped waits 5 s", 200,
             R"({"error":{"code":"maxlag","info":"Waiting for a database server: -1 second lagged.","host":"","lag":-1,"type":"db"}})",
             kApiError("maxlag"), false, "maxlag", ErrorCategory::Api, true, 5000.0},
            {"#73 readonly fv1 (no Retry-After: the session waits on its own)", 200,
             R"({"error":{"code":"readonly","info":"The wiki is currently in read-only mode.","readonlyreason":"mwlab maintenance","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("readonly"), true, "readonly", ErrorCategory::Api, true, kNone},
            {"#74 readonly errorformat=plaintext", 200,
             R"({"errors":[{"code":"readonly","text":"The wiki is currently in read-only mode.","data":{"readonlyreason":"mwlab maintenance"},"module":"main"}],"docref":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."})",
             kApiError("readonly"), true, "readonly", ErrorCategory::Api, true, kNone},
            {"#78 ratelimited: not performed, but never retried automatically (no retry_after)", 200,
             R"({"error":{"code":"ratelimited","info":"As an anti-abuse measure, you are limited from performing this action too many times in a short space of time, and you have exceeded this limit. Please try again in a few minutes.","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
             kApiError("ratelimited"), false, "ratelimited", ErrorCategory::Api, true, kNone},
        };
    check_all(cases, false);
}

TEST_CASE("action=centralauthtoken on the local wiki", "[classify]") {
    const std::string hascallback =
        R"({"error":{"code":"hascallback","info":"Tokens may not be obtained when the same-origin policy is not applied.","*":"See http://127.0.0.1:8091/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})";
    const Headers suppressed = {{"mediawiki-login-suppressed", "true"},
                                {"access-control-allow-origin", "*"},
                                {"access-control-allow-credentials", "false"},
                                {"mediawiki-api-error", "hascallback"}};
    const std::vector<Expectation> cases = {
        {"calab #3 token",
         200,
         R"({"centralauthtoken":{"centralauthtoken":"5c76749c30ecc02bbc5b7d8fa9b33d8a1"}})",
         {},
         true,
         nullptr,
         ErrorCategory::Api,
         false,
         kNone},
        {"calab #4 notloggedin", 200,
         R"({"error":{"code":"notloggedin","info":"Anonymous users cannot obtain a centralauthtoken.","*":"See http://127.0.0.1:8091/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
         kApiError("notloggedin"), true, "notloggedin", ErrorCategory::Api, false, kNone},
        {"calab #5 hascallback under origin=*, login expected", 200, hascallback, suppressed, true, "login-suppressed",
         ErrorCategory::LoginSuppressed, false, kNone},
        {"calab #5 hascallback under origin=*, no login expected", 200, hascallback, suppressed, false, "hascallback",
         ErrorCategory::Api, false, kNone},
        {"§6 badvalue: no CentralAuth on this wiki", 200,
         R"({"error":{"code":"badvalue","info":"Unrecognized value for parameter \"action\": centralauthtoken.","*":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."}})",
         kApiError("badvalue"), true, "badvalue", ErrorCategory::Api, false, kNone},
        {"§6 badvalue, errorformat=plaintext", 200,
         R"({"errors":[{"code":"badvalue","text":"Unrecognized value for parameter \"action\": centralauthtoken.","module":"main"}],"docref":"See http://127.0.0.1:8082/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."})",
         kApiError("badvalue"), true, "badvalue", ErrorCategory::Api, false, kNone},
    };
    check_all(cases, false);
}

// The OAuth refusals of ../shared/reference/oauthlab-example/transcript.md (REL1_39), with and without a Bearer.
TEST_CASE("OAuth: refusals of a Bearer token are OAuth errors with the server's code", "[classify][oauth]") {
    const std::string api_invalid =
        R"({"error":{"code":"mwoauth-invalid-authorization","info":"The authorization headers in your request are )"
        R"(not valid: Invalid access token","*":"See http://127.0.0.2:8392/w/api.php for API usage."}})";
    const std::string rest_denied = R"({"error":"rest-read-denied","httpCode":403,"httpReason":"Forbidden"})";
    const std::string resource_denied =
        R"({"error":"access_denied","error_description":"The resource owner or authorization server denied the )"
        R"(request.","hint":"Access token could not be verified","message":"The resource owner or authorization )"
        R"(server denied the request."})";
    fw::ClassifyContext bearer;
    bearer.expect_login = true;
    bearer.oauth = true;
    fw::ClassifyContext write = bearer;
    write.write = true;

    auto api = fw::classify_action(
        response(200, api_invalid, {{"mediawiki-api-error", "mwoauth-invalid-authorization"}}), write);
    REQUIRE(api.error);
    CHECK(api.error->category == ErrorCategory::OAuth);
    CHECK(api.error->code == "mwoauth-invalid-authorization");
    CHECK(api.error->performed == fw::Performed::No);  // refused before the module ran: safe to repeat
    CHECK(api.error->info.find("Invalid access token") != std::string::npos);

    auto rest = fw::classify_rest(response(403, rest_denied), write);
    REQUIRE(rest.error);
    CHECK(rest.error->category == ErrorCategory::OAuth);
    CHECK(rest.error->code == "rest-read-denied");
    CHECK(rest.error->performed == fw::Performed::No);

    auto resource = fw::classify_rest(response(401, resource_denied), bearer);
    REQUIRE(resource.error);
    CHECK(resource.error->category == ErrorCategory::OAuth);
    CHECK(resource.error->code == "access_denied");

    // Without a Bearer the same answers keep their categories.
    fw::ClassifyContext plain;
    plain.expect_login = true;
    CHECK(fw::classify_rest(response(403, rest_denied), plain).error->category == ErrorCategory::Rest);
    CHECK(fw::classify_action(response(200, api_invalid), plain).error->category == ErrorCategory::Api);
    // Other refusals with a Bearer are not OAuth's.
    CHECK(fw::classify_rest(response(403, R"({"error":"rest-permission-denied","httpCode":403})"), bearer)
              .error->category == ErrorCategory::Rest);
}

TEST_CASE("CORS and suppressed logins", "[classify]") {
    const std::string anonymous_userinfo =
        R"({"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}})";
    const Headers origin_star = {{"mediawiki-login-suppressed", "true"},
                                 {"access-control-allow-origin", "*"},
                                 {"access-control-allow-credentials", "false"}};
    const std::vector<Expectation> cases = {
        {"calab #16 origin=* success while a login was expected", 200, anonymous_userinfo, origin_star, true,
         "login-suppressed", ErrorCategory::LoginSuppressed, false, kNone},
        {"calab #16 origin=* success for an anonymous client", 200, anonymous_userinfo, origin_star, false, nullptr,
         ErrorCategory::Api, false, kNone},
        {"#16 allowed-list miss: executed with cookies, header says why",
         200,
         R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"}}})",
         {{"mediawiki-cors-rejection", "Origin mismatch"}},
         true,
         "cors-rejected",
         ErrorCategory::Cors,
         false,
         kNone},
        {"#14 / calab #21 origin parameter differs from Origin",
         403,
         "'origin' parameter does not match Origin header\n",
         {{"content-type", "text/html"}, {"cache-control", "no-cache"}},
         true,
         "origin-mismatch",
         ErrorCategory::Cors,
         false,
         kNone},
    };
    check_all(cases, false);

    const auto rejected = fw::classify_action(
        response(200, R"({"batchcomplete":""})", {{"mediawiki-cors-rejection", "Origin mismatch"}}), {});
    REQUIRE(rejected.error);
    CHECK_THAT(rejected.error->info, Catch::Contains("Origin mismatch") && Catch::Contains("$wgCrossSiteAJAXdomains"));

    const auto bad_header = fw::classify_action(
        response(200, "", {{"mediawiki-cors-rejection", "Unsupported header requested in preflight"}}), {});
    REQUIRE(bad_header.error);
    CHECK(bad_header.error->code == "cors-rejected");
    CHECK_THAT(bad_header.error->info, Catch::Contains("$wgAllowedCorsHeaders"));

    fw::ClassifyContext logged_in;
    logged_in.expect_login = true;
    const auto suppressed_error = fw::classify_action(
        response(
            200,
            R"({"error":{"code":"hascallback","info":"Tokens may not be obtained when the same-origin policy is not applied."}})",
            {{"mediawiki-login-suppressed", "true"}}),
        logged_in);
    REQUIRE(suppressed_error.error);
    CHECK_THAT(suppressed_error.error->info, Catch::Contains("hascallback"));
    CHECK(suppressed_error.error->result["error"]["code"] == "hascallback");
}

TEST_CASE("HTTP failures and answers that are not API answers", "[classify]") {
    const std::string html_page =
        "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Wikimedia Error</title><style>body { "
        "margin: 0; }</style><body><h1>Error</h1><p>Our servers are currently under maintenance or experiencing a "
        "technical problem.</p></body></html>";
    const std::vector<Expectation> cases = {
        {"status 0", 0, "", {}, true, "network", ErrorCategory::Network, false, kNone},
        {"200 with an empty body", 200, "", {}, false, "ok-but-empty", ErrorCategory::Response, false, kNone},
        {"200 with {}", 200, "{}", {}, false, "ok-but-empty", ErrorCategory::Response, false, kNone},
        {"200 with []", 200, "[]", {}, false, "ok-but-empty", ErrorCategory::Response, false, kNone},
        {"200 with a JSON string", 200, R"("ok")", {}, false, "ok-but-empty", ErrorCategory::Response, false, kNone},
        {"200 with an opensearch array is an answer",
         200,
         R"(["Main",["Main Page"],[""],["http://127.0.0.1:8082/w/index.php/Main_Page"]])",
         {},
         false,
         nullptr,
         ErrorCategory::Api,
         false,
         kNone},
        {"200 with an HTML page",
         200,
         html_page,
         {{"content-type", "text/html; charset=utf-8"}},
         false,
         "invalidjson",
         ErrorCategory::Response,
         false,
         kNone},
        {"500 HTML error page", 500, html_page, {}, false, "http", ErrorCategory::Http, false, kNone},
        {"constructed from #21: a 500 with an API error body stays an API error",
         500,
         R"({"error":{"code":"internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError","info":"[abc] Exception caught: Only a single Origin header field allowed"}})",
         {{"mediawiki-api-error", "internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError"}},
         false,
         "internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError",
         ErrorCategory::Api,
         false,
         kNone},
        {"503 with Retry-After",
         503,
         html_page,
         {{"retry-after", "30"}},
         false,
         "http",
         ErrorCategory::Http,
         true,
         30000.0},
        {"503 without Retry-After may have been performed",
         503,
         html_page,
         {},
         false,
         "http",
         ErrorCategory::Http,
         false,
         kNone},
        {"429 with Retry-After", 429, "", {{"retry-after", "2"}}, false, "http", ErrorCategory::Http, true, 2000.0},
        {"502 with Retry-After is not an overload answer",
         502,
         "",
         {{"retry-after", "2"}},
         false,
         "http",
         ErrorCategory::Http,
         false,
         kNone},
    };
    check_all(cases, false);

    const auto page = fw::classify_action(response(500, html_page), {});
    REQUIRE(page.error);
    CHECK(page.error->info ==
          "HTTP 500: Wikimedia Error Error Our servers are currently under maintenance or experiencing a technical "
          "problem.");
    CHECK(page.error->result == html_page);

    const auto network = fw::classify_action(fwtest::opaque_failure(), {});
    REQUIRE(network.error);
    CHECK_THAT(network.error->info, Catch::Contains("CORS") && Catch::Contains("centralauthtoken"));

    const auto empty = fw::classify_action(response(200, ""), {});
    REQUIRE(empty.error);
    CHECK(empty.error->info == "OK response but empty result (check HTTP headers?)");
}

TEST_CASE("A big success body digested to {} is not empty", "[classify]") {
    fw::HttpResponse digested = response(200, "{}");
    digested.digest = true;
    CHECK_FALSE(fw::classify_action(digested, {}).error);
}

TEST_CASE("Readable info from every message format", "[classify]") {
    const auto html = fw::classify_action(
        response(
            200,
            R"({"errors":[{"code":"nosuchpageid","html":"There is no page with ID <var>12</var> &amp; no &quot;undo&quot;.","module":"main"}]})"),
        {});
    REQUIRE(html.error);
    CHECK(html.error->info == "There is no page with ID 12 & no \"undo\".");

    const auto raw = fw::classify_action(
        response(
            200,
            R"({"errors":[{"code":"missingparam","key":"apierror-missingparam","params":["token"],"module":"options"}]})"),
        {});
    REQUIRE(raw.error);
    CHECK(raw.error->info == "apierror-missingparam (token)");

    const auto two = fw::classify_action(
        response(
            200,
            R"({"errors":[{"code":"nosuchsection","text":"There is no section 9.","module":"edit"},{"code":"badtags","text":"Tag not allowed.","module":"edit"}]})"),
        {});
    REQUIRE(two.error);
    CHECK(two.error->code == "nosuchsection");
    CHECK(two.error->info == "There is no section 9. (and 1 more)");
    CHECK(two.error->result["errors"].size() == 2);

    const auto no_code = fw::classify_action(response(200, R"({"error":{"info":"Something broke."}})"), {});
    REQUIRE(no_code.error);
    CHECK(no_code.error->code == "unknown");

    // A Text body cut in the middle of "é" must still give valid UTF-8 (the Wasm build aborts on invalid strings).
    const auto cut = fw::classify_action(response(200, "<p>Caf\xc3"), {});
    REQUIRE(cut.error);
    CHECK(cut.error->info == "HTTP 200 with a body that is not JSON: Caf?");
    CHECK(cut.error->result.dump() == "\"<p>Caf?\"");
}

TEST_CASE("Warnings in every format", "[classify]") {
    SECTION("fv1 {\"*\": text}") {
        const auto c = fw::classify_action(
            response(
                200,
                R"({"warnings":{"main":{"*":"Unrecognized parameter: centralauthtoken."}},"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"}}})"),
            {});
        CHECK_FALSE(c.error);
        CHECK(c.warnings ==
              fw::json::parse(R"([{"module":"main","code":"","text":"Unrecognized parameter: centralauthtoken."}])"));
    }
    SECTION("fv2 {\"warnings\": text}, #66") {
        const auto c = fw::classify_action(
            response(
                200,
                R"({"batchcomplete":true,"warnings":{"main":{"warnings":"Unrecognized parameter: foo."}},"query":{"userinfo":{"id":1,"name":"Admin"}}})"),
            {});
        CHECK_FALSE(c.error);
        CHECK(c.warnings == fw::json::parse(R"([{"module":"main","code":"","text":"Unrecognized parameter: foo."}])"));
    }
    SECTION("errorformat array, #67, several modules") {
        const auto c = fw::classify_action(
            response(
                200,
                R"({"batchcomplete":true,"warnings":[{"code":"unrecognizedparams","text":"Unrecognized parameter: foo.","module":"main"},{"code":"ratelimited","html":"You've exceeded your rate limit. Please wait some time and try again.","module":"purge"}],"purge":[{"ns":0,"title":"Main Page","purged":true}]})"),
            {});
        CHECK_FALSE(c.error);
        CHECK(c.warnings == fw::json::parse(R"([
            {"module":"main","code":"unrecognizedparams","text":"Unrecognized parameter: foo."},
            {"module":"purge","code":"ratelimited","text":"You've exceeded your rate limit. Please wait some time and try again."}])"));
    }
    SECTION("constructed from §2: tokens under origin=* are a warning, not an error") {
        const auto c = fw::classify_action(
            response(
                200,
                R"({"batchcomplete":"","warnings":{"tokens":{"*":"Tokens may not be obtained when the same-origin policy is not applied."}}})",
                {{"mediawiki-login-suppressed", "true"}}),
            {});
        CHECK_FALSE(c.error);
        REQUIRE(c.warnings.size() == 1);
        CHECK(c.warnings[0]["module"] == "tokens");
    }
    SECTION("warnings ride along with an error") {
        const auto c = fw::classify_action(
            response(
                200,
                R"({"warnings":{"main":{"*":"Unrecognized parameter: foo."}},"error":{"code":"badtoken","info":"Invalid CSRF token."}})"),
            {});
        REQUIRE(c.error);
        CHECK(c.warnings.size() == 1);
    }
    SECTION("no warnings") {
        const auto c = fw::classify_action(response(200, R"({"options":"success"})"), {});
        CHECK_FALSE(c.error);
        CHECK(c.warnings == fw::json::array());
    }
}

TEST_CASE("REST responses", "[classify][rest]") {
    const std::vector<Expectation> cases = {
        {"#79 200 page",
         200,
         R"({"id":1,"key":"Main_Page","title":"Main Page"})",
         {},
         false,
         nullptr,
         ErrorCategory::Rest,
         false,
         kNone},
        {"calab #41 201 created",
         201,
         R"({"id":2,"title":"Calab REST page 1795501748","key":"Calab_REST_page_1795501748","latest":{"id":3,"timestamp":"2026-11-24T06:29:08Z"},"license":{"url":"","title":""},"content_model":"wikitext","source":"Created via REST with a CentralAuthToken."})",
         {},
         true,
         nullptr,
         ErrorCategory::Rest,
         false,
         kNone},
        {"204 without a body", 204, "", {}, false, nullptr, ErrorCategory::Rest, false, kNone},
        {"304 not modified", 304, "", {}, false, nullptr, ErrorCategory::Rest, false, kNone},
        {"200 HTML (/page/{title}/html)",
         200,
         "<!DOCTYPE html><html><body><p>Hi</p></body></html>",
         {},
         false,
         nullptr,
         ErrorCategory::Rest,
         false,
         kNone},
        {"#85 404 messageTranslations only",
         404,
         R"({"messageTranslations":{"en":"The specified page (Nope) does not exist"},"httpCode":404,"httpReason":"Not Found"})",
         {{"vary", "Origin"}, {"access-control-allow-origin", "*"}},
         false,
         "http",
         ErrorCategory::Rest,
         false,
         kNone},
        {"newer MediaWiki: errorKey",
         404,
         R"({"errorKey":"rest-nonexistent-title","messageTranslations":{"vi":"The specified page (Văn_học_Anglo-Saxon) does not exist","en":"The specified page (Văn_học_Anglo-Saxon) does not exist"},"httpCode":404,"httpReason":"Not Found"})",
         {},
         false,
         "rest-nonexistent-title",
         ErrorCategory::Rest,
         false,
         kNone},
        {"#92 403 rest-cross-origin-anon-write",
         403,
         R"({"error":"rest-cross-origin-anon-write","httpCode":403,"httpReason":"Forbidden"})",
         {},
         false,
         "rest-cross-origin-anon-write",
         ErrorCategory::Rest,
         false,
         kNone},
        {"#91 400 missingparam from the action module",
         400,
         R"({"actionModuleErrorCode":"missingparam","messageTranslations":{"en":"The \"token\" parameter must be set."},"httpCode":400,"httpReason":"Bad Request"})",
         {},
         false,
         "missingparam",
         ErrorCategory::Rest,
         false,
         kNone},
        {"#95 403 invalid CSRF token",
         403,
         R"({"messageTranslations":{"en":"Invalid CSRF token."},"httpCode":403,"httpReason":"Forbidden"})",
         {},
         true,
         "http",
         ErrorCategory::Rest,
         false,
         kNone},
        {"calab #35/#38 401 anonymous stays a REST error",
         401,
         R"({"messageTranslations":{"en":"Not accessible by anonymous user"},"httpCode":401,"httpReason":"Unauthorized"})",
         {{"vary", "Origin"}, {"access-control-allow-origin", "*"}},
         true,
         "http",
         ErrorCategory::Rest,
         false,
         kNone},
        {"502 from a proxy",
         502,
         "<html><body><h1>502 Bad Gateway</h1></body></html>",
         {},
         false,
         "http",
         ErrorCategory::Http,
         false,
         kNone},
        {"503 with Retry-After", 503, "", {{"retry-after", "10"}}, false, "http", ErrorCategory::Http, true, 10000.0},
        {"429 REST body with Retry-After",
         429,
         R"({"messageTranslations":{"en":"Too many requests."},"httpCode":429,"httpReason":"Too Many Requests"})",
         {{"retry-after", "1"}},
         false,
         "http",
         ErrorCategory::Rest,
         true,
         1000.0},
        {"status 0", 0, "", {}, true, "network", ErrorCategory::Network, false, kNone},
    };
    check_all(cases, true);

    const auto info_of = [](int status, const std::string& body) {
        auto c = fw::classify_rest(response(status, body), {});
        return c.error ? c.error->info : std::string("<success>");
    };
    CHECK(
        info_of(
            401,
            R"({"messageTranslations":{"en":"Not accessible by anonymous user"},"httpCode":401,"httpReason":"Unauthorized"})") ==
        "Not accessible by anonymous user");
    CHECK(info_of(404, R"({"messageTranslations":{"de":"Nicht gefunden","en":"Not found"},"httpCode":404})") ==
          "Not found");
    CHECK(info_of(404, R"({"messageTranslations":{"de":"Nicht gefunden"},"httpCode":404})") == "Nicht gefunden");
    CHECK(info_of(403, R"({"error":"rest-cross-origin-anon-write","httpCode":403,"httpReason":"Forbidden"})") ==
          "Forbidden");
    CHECK(info_of(502, "<h1>502 Bad Gateway</h1>") == "HTTP 502: 502 Bad Gateway");
    CHECK(info_of(500, "") == "HTTP 500");
}

TEST_CASE("Retry-After parsing", "[classify]") {
    CHECK(fw::retry_after_ms({{"retry-after", "5"}}) == 5000.0);
    CHECK(fw::retry_after_ms({{"retry-after", " 7 "}}) == 7000.0);
    CHECK(fw::retry_after_ms({{"retry-after", "0"}}) == 0.0);
    CHECK(fw::retry_after_ms({{"retry-after", "1.5"}}) == 1500.0);
    CHECK(fw::retry_after_ms({{"Retry-After", "3"}}) == 3000.0);
    CHECK_FALSE(fw::retry_after_ms({{"retry-after", "-1"}}));
    CHECK_FALSE(fw::retry_after_ms({{"retry-after", ""}}));
    CHECK_FALSE(fw::retry_after_ms({{"retry-after", "5s"}}));
    CHECK_FALSE(fw::retry_after_ms({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}));
    CHECK_FALSE(fw::retry_after_ms({{"x-database-lag", "5"}}));
}

TEST_CASE("Header lookup, names and the digest spec", "[classify][types]") {
    const Headers headers = {{"mediawiki-api-error", "maxlag"}, {"retry-after", "5"}};
    CHECK(fw::find_header(headers, "retry-after") == std::optional<std::string>("5"));
    CHECK(fw::find_header(headers, "MediaWiki-API-Error") == std::optional<std::string>("maxlag"));
    CHECK_FALSE(fw::find_header(headers, "retry"));

    CHECK(std::string(fw::to_string(fw::Purpose::CentralAuthToken)) == "centralauthtoken");
    CHECK(std::string(fw::to_string(fw::Purpose::LoginCheck)) == "login-check");
    CHECK(std::string(fw::to_string(fw::Purpose::Token)) == "token");
    CHECK(std::string(fw::to_string(fw::Purpose::Call)) == "call");
    CHECK(std::string(fw::to_string(fw::Purpose::Retry)) == "retry");
    CHECK(std::string(fw::to_string(fw::Credentials::Omit)) == "omit");
    CHECK(std::string(fw::to_string(fw::Credentials::Include)) == "include");

    const std::vector<std::pair<ErrorCategory, const char*>> categories = {
        {ErrorCategory::Usage, "usage"},
        {ErrorCategory::Api, "api"},
        {ErrorCategory::Rest, "rest"},
        {ErrorCategory::Http, "http"},
        {ErrorCategory::Response, "response"},
        {ErrorCategory::Network, "network"},
        {ErrorCategory::Cors, "cors"},
        {ErrorCategory::LoginSuppressed, "login-suppressed"},
        {ErrorCategory::CentralAuth, "centralauth"},
        {ErrorCategory::OAuth, "oauth"},
        {ErrorCategory::Timeout, "timeout"},
        {ErrorCategory::Abort, "abort"}};
    for (const auto& [category, name] : categories) CHECK(std::string(fw::to_string(category)) == name);

    const fw::Error usage = fw::usage_error("bad-url", "Not an absolute URL.");
    CHECK(usage.category == ErrorCategory::Usage);
    CHECK(usage.code == "bad-url");
    CHECK(usage.info == "Not an absolute URL.");
    CHECK(usage.status == 0);

    const fw::json spec = fw::digest_spec();
    for (const char* key : {"error", "errors", "warnings", "centralauthtoken", "query", "login", "httpCode",
                            "httpReason", "errorKey", "messageTranslations", "actionModuleErrorCode"}) {
        INFO(key);
        CHECK(std::find(spec["top"].begin(), spec["top"].end(), key) != spec["top"].end());
    }
    CHECK(spec["query"] == fw::json::array({"tokens", "userinfo"}));
}

TEST_CASE("a core module's write succeeds only with that module's own result, whole or digested", "[classify][write]") {
    // Recorded from the lab's wiki B (tests/core/fixtures/helper-answers.json: editSuccess, optionsSuccess).
    const std::string edit_success =
        R"({"edit":{"result":"Success","pageid":509,"title":"Helper fixture 1796166975169","contentmodel":"wikitext",)"
        R"("oldrevid":525,"newrevid":526,"newtimestamp":"2026-12-01T23:16:15Z","watched":true}})";
    struct Case {
        const char* module;
        std::string body;
        bool success;
    };
    const Case cases[] = {
        {"edit", edit_success, true},
        {"options", R"({"options":"success"})", true},
        {"watch", R"({"batchcomplete":true,"watch":[{"ns":0,"title":"Foo","watched":true}]})", true},
        {"edit", R"({"x":1})", false},  // a member, but not the edit's result
        {"edit", R"({"query":{},"batchcomplete":true})", false},
        {"edit", R"({"edit":5})", false},  // the member has a type ApiEditPage never gives it
        {"edit", R"({"edit":null,"warnings":{}})", false},
        {"options", R"({"options":{"a":1}})", false},
        {"options", R"({"options":"fail"})", false},                      // ApiOptions only ever says "success"
        {"rollback", R"({"rollback":[]})", false},                        // ApiRollback's result is an object
        {"watch", R"({"watch":{"title":"Foo","watched":""}})", true},     // formatversion 1, the old `title` parameter
        {"upload", R"({"edit":{"result":"Success"}})", false},            // another module's result
        {"wbeditentity", R"({"entity":{"id":"Q1"},"success":1})", true},  // not a core module: any member will do
        {"wbeditentity", R"({"warnings":{"main":{"*":"x"}}})", false},
    };
    for (const Case& c : cases) {
        for (const bool as_digest : {false, true}) {
            INFO(c.module << " " << c.body << (as_digest ? " (digest)" : ""));
            fw::HttpResponse r = response(200, c.body);
            if (as_digest) {  // as js/src/transport.js digestOf: flagged when something was left out
                const fw::json digest = digest_of(r.body);
                r.digest = digest != r.body;
                r.body = digest;
            }
            fw::ClassifyContext context;
            context.expect_login = true;
            context.write = true;
            context.write_module = c.module;
            const fw::Classified classified = fw::classify_action(r, context);
            if (c.success) {
                CHECK(!classified.error);
            } else {
                REQUIRE(classified.error);
                CHECK(classified.error->code == "unexpected-response");
                CHECK(classified.error->performed == fw::Performed::Maybe);
            }
        }
    }
}
