// CORS parameter rules, as MediaWiki 1.39 applies them.
#include <catch2/catch.hpp>

#include "fw/cors.hpp"
#include "session_fixture.hpp"

using namespace fwtest;
using fw::AuthMode;
using fw::Credentials;

TEST_CASE("origin / crossorigin / credentials per auth mode", "[cors]") {
    struct Case {
        AuthMode mode;
        const char* page;
        const char* target;
        const char* origin;
        bool crossorigin;
        Credentials credentials;
    };
    const Case cases[] = {
        {AuthMode::Anonymous, kPageOrigin, kForeignApi, "*", false, Credentials::Omit},
        {AuthMode::Anonymous, "", kForeignApi, "*", false, Credentials::Omit},
        {AuthMode::Anonymous, "http://127.0.0.2:8202", kForeignApi, "*", false, Credentials::Omit},
        {AuthMode::Cookies, kPageOrigin, kForeignApi, kPageOrigin, false, Credentials::Include},
        {AuthMode::Cookies, "http://127.0.0.2:8202", kForeignApi, "", false, Credentials::Include},  // same origin
        {AuthMode::Cookies, "", kForeignApi, "", false, Credentials::Include},  // Node: no Origin header to match
        {AuthMode::CentralAuth, kPageOrigin, kForeignApi, kPageOrigin, false, Credentials::Omit},
        // Bearer on 1.39 (no crossorigin): origin=<page origin>; never origin=* (it drops the token)
        {AuthMode::Bearer, kPageOrigin, kForeignApi, kPageOrigin, false, Credentials::Omit},
        {AuthMode::Bearer, "", kForeignApi, "", false, Credentials::Omit},
        {AuthMode::Bearer, "http://127.0.0.2:8202", kForeignApi, "", false, Credentials::Omit},  // same origin
    };
    for (const auto& c : cases) {
        INFO("mode " << fw::to_string(c.mode) << " page '" << c.page << "'");
        auto wire = fw::action_wire_auth(c.mode, c.page, c.target);
        CHECK(wire.origin == c.origin);
        CHECK(wire.crossorigin == c.crossorigin);
        CHECK(wire.credentials == c.credentials);
        CHECK_FALSE((wire.crossorigin && !wire.origin.empty()));  // MediaWiki answers 403 to both
    }
}

TEST_CASE("REST credentials: cookies only for cookie sessions", "[cors][rest]") {
    CHECK(fw::rest_credentials(AuthMode::Cookies) == Credentials::Include);
    CHECK(fw::rest_credentials(AuthMode::CentralAuth) == Credentials::Omit);
    CHECK(fw::rest_credentials(AuthMode::Anonymous) == Credentials::Omit);
    CHECK(fw::rest_credentials(AuthMode::Bearer) == Credentials::Omit);
}

TEST_CASE("POST keeps origin, action and centralauthtoken in the URL so the preflight carries them", "[cors]") {
    Fixture f(central_auth_options());
    f.post_with_token({{"action", "options"}, {"change", "userjs-a=1"}});
    auto cats = f.drain().requests;
    auto tokens = f.answer(cats[0], 200, wiki::kCentralToken1).requests.at(0);
    f.answer(cats[1], 200, wiki::kCentralToken2);
    auto post = f.answer(tokens, 200, wiki::kCsrfTokens).requests.at(0);
    CHECK(param(post.url, "origin") == kPageOrigin);
    CHECK(param(post.url, "action") == "options");
    CHECK(has_param(post.url, "centralauthtoken"));
    CHECK_FALSE(has_param(post.body, "origin"));
    CHECK_FALSE(has_param(post.body, "centralauthtoken"));
    CHECK(param(post.body, "change") == "userjs-a=1");
}

TEST_CASE("Bearer with crossorigin (MediaWiki >= 1.44): never origin, never cookies", "[cors]") {
    CHECK(fw::action_wire_auth(AuthMode::Bearer, kPageOrigin, kForeignApi, true).crossorigin);
    CHECK(fw::action_wire_auth(AuthMode::Bearer, kPageOrigin, kForeignApi, true).origin.empty());
    CHECK_FALSE(fw::action_wire_auth(AuthMode::Bearer, "", kForeignApi, true).crossorigin);  // Node: no CORS at all
    auto o = cookie_options();
    o.auth = AuthMode::Bearer;
    o.crossorigin = true;
    o.bearer_token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.abc";
    Fixture f(o);
    f.get({{"meta", "userinfo"}});
    auto r = f.drain().requests.at(0);
    CHECK(has_param(r.url, "crossorigin"));
    CHECK_FALSE(has_param(r.url, "origin"));
    CHECK(r.credentials == Credentials::Omit);
    CHECK(fw::find_header(r.headers, "authorization") == std::optional<std::string>("Bearer " + o.bearer_token));
    CHECK(r.display_url.find("eyJ0") == std::string::npos);

    fw::Session s;
    o.api_url = "http://wiki.example.org/w/api.php";
    CHECK(s.add_client(o).error().code == "bad-auth");  // a Bearer token never travels in clear text
}

TEST_CASE("Bearer on 1.39 from another origin: origin=<page origin>, the token in the header only", "[cors]") {
    auto o = cookie_options();
    o.auth = AuthMode::Bearer;
    o.bearer_token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.abc";
    Fixture f(o);
    f.get({{"meta", "userinfo"}});
    auto r = f.drain().requests.at(0);
    CHECK(param(r.url, "origin") == kPageOrigin);
    CHECK_FALSE(has_param(r.url, "crossorigin"));
    CHECK(r.credentials == Credentials::Omit);
    CHECK(r.url.find("eyJ0") == std::string::npos);
}

// A URL reaches server and proxy logs: the text of a Bearer token, whoever's it is, never goes into one
// (tests/fuzz/corpus/fuzz_session/regression-session-bearer-text-in-a-parameter-name is the fuzzer's case).
TEST_CASE("a request whose URL would hold a Bearer token is not sent", "[cors]") {
    auto o = cookie_options();
    o.auth = AuthMode::Bearer;
    o.bearer_token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ab/c+d=";
    Fixture f(o);
    const auto refused = [&](const fwtest::Drained& d) {
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.code == "bearer-in-url");
        CHECK(failed->failed.error.performed == fw::Performed::No);
        CHECK(failed->failed.error.info.find("eyJ0") == std::string::npos);
        CHECK(d.requests.empty());
    };
    f.get({{"list", "search"}, {"srsearch", o.bearer_token}});  // percent-encoded in the URL: ab%2Fc%2Bd%3D
    refused(f.drain());
    f.get({{"prop", "info"}, {"x" + o.bearer_token, "1"}});  // as a parameter name
    refused(f.drain());

    fw::ClientOptions other = cookie_options();  // another client of the same session, to another wiki
    other.api_url = "https://wiki.example.org/w/api.php";
    auto other_id = f.session.add_client(other);
    REQUIRE(other_id.ok());
    fw::ActionCall leak;
    leak.client = other_id.value();
    leak.params = {{"titles", o.bearer_token}};
    f.session.start_action(leak, f.now);
    refused(f.drain());

    fw::ActionCall post;  // in a POST body it is the caller's text, sent where the caller sends it
    post.client = f.client;
    post.method = "POST";
    post.params = {{"action", "purge"}, {"titles", o.bearer_token}};
    f.session.start_action(post, f.now);
    auto sent = f.drain();
    REQUIRE(sent.requests.size() == 1);
    CHECK(sent.requests[0].url.find("eyJ0") == std::string::npos);
    CHECK(param(sent.requests[0].body, "titles") == o.bearer_token);

    o.api_url = kForeignRest;
    o.rest = true;
    Fixture rest(o);
    fw::RestCall page;
    page.client = rest.client;
    page.path = "/v1/page/{title}";
    page.path_params = {{"title", o.bearer_token}};
    rest.session.start_rest(page, rest.now);
    refused(rest.drain());
}

TEST_CASE("Api-User-Agent: on POST always, on GET only when asked (it forces a preflight)", "[cors]") {
    auto o = cookie_options();
    o.user_agent = "MyGadget/1.0 (User:Example)";
    {
        Fixture f(o);
        f.get({{"meta", "siteinfo"}});
        CHECK_FALSE(fw::find_header(f.drain().requests.at(0).headers, "api-user-agent"));
        f.post_with_token({{"action", "purge"}, {"titles", "Main Page"}});
        auto fetch = f.drain().requests.at(0);
        auto post = f.answer(fetch, 200, wiki::kCsrfTokens).requests.at(0);
        CHECK(fw::find_header(post.headers, "api-user-agent") == std::optional<std::string>(o.user_agent));
    }
    o.user_agent_on_get = true;
    Fixture g(o);
    g.get({{"meta", "siteinfo"}});
    CHECK(fw::find_header(g.drain().requests.at(0).headers, "api-user-agent") ==
          std::optional<std::string>(o.user_agent));
}

TEST_CASE("anonymous client: origin=*, no credentials, default parameters merged", "[cors]") {
    auto o = cookie_options();
    o.auth = AuthMode::Anonymous;
    o.default_params = {{"formatversion", 2}, {"uselang", "en"}};
    Fixture f(o);
    f.get({{"meta", "siteinfo"}, {"uselang", "de"}});
    auto r = f.drain().requests.at(0);
    CHECK(param(r.url, "origin") == "*");
    CHECK(param(r.url, "formatversion") == "2");
    CHECK(param(r.url, "uselang") == "de");
    CHECK(r.credentials == Credentials::Omit);
}
