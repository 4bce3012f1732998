// AuthMode::OAuth1 in the Session: every request (calls and token fetches) names the client's signer, carries no
// cookies and no origin in Node, and the token cache keeps OAuth 1 identities apart.
#include <catch2/catch.hpp>

#include "session_fixture.hpp"

using namespace fwtest;

namespace {

fw::ClientOptions oauth1_options(std::uint32_t signer, const std::string& token) {
    fw::ClientOptions o;
    o.api_url = kForeignApi;
    o.auth = fw::AuthMode::OAuth1;
    o.oauth1_signer = signer;
    o.oauth1_identity = "cc269228bbdd3c075b680b00a6374675:" + token;
    return o;
}

}  // namespace

TEST_CASE("OAuth1: every request names the signer, no cookies, no origin off the web", "[oauth1][session]") {
    Fixture f(oauth1_options(7, "tokenA"));
    f.post_with_token({{"action", "edit"}, {"title", "X"}, {"text", "y"}});
    auto fetch = f.drain().requests.at(0);
    CHECK(fetch.purpose == fw::Purpose::Token);
    CHECK(fetch.signer == 7);
    CHECK(fetch.credentials == fw::Credentials::Omit);
    CHECK_FALSE(has_param(fetch.url, "origin"));
    CHECK_FALSE(fw::find_header(fetch.headers, "authorization"));  // the host adds it as the request leaves
    auto post = f.answer(fetch, 200, wiki::kCsrfTokens).requests.at(0);
    CHECK(post.signer == 7);
    CHECK(post.body_kind == fw::BodyKind::FormUrlEncoded);  // so the body is signed too
    CHECK(param(post.body, "token") != "<absent>");
}

TEST_CASE("OAuth1: two access tokens never share a csrf token", "[oauth1][session]") {
    fw::Session s;
    const auto a = s.add_client(oauth1_options(1, "tokenA"));
    const auto b = s.add_client(oauth1_options(2, "tokenB"));
    REQUIRE((a.ok() && b.ok()));
    for (auto client : {a.value(), b.value()}) {
        fw::ActionCall c;
        c.client = client;
        c.method = "POST";
        c.params = {{"action", "purge"}, {"titles", "X"}};
        c.token_type = "csrf";
        s.start_action(c, 1000);
    }
    const auto d = drain(s);
    REQUIRE(d.requests.size() == 2);  // one token fetch each, not one shared
    CHECK(d.requests[0].signer != d.requests[1].signer);
}

TEST_CASE("OAuth1: a client without a signer is refused; REST writes carry no body token", "[oauth1][session]") {
    fw::Session s;
    CHECK(s.add_client(oauth1_options(0, "t")).error().code == "bad-auth");
    auto o = oauth1_options(3, "t");
    o.api_url = kForeignRest;
    o.rest = true;
    Fixture f(o);
    fw::RestCall put;
    put.client = f.client;
    put.method = "PUT";
    put.path = "/v1/page/X";
    put.body = fw::json{{"source", "y"}, {"token", "abc+\\"}};
    f.session.start_rest(put, f.now);
    const auto d = f.drain();
    REQUIRE(d.events.size() == 1);
    CHECK(d.events[0].failed.error.code == "token-with-header-auth");
    put.body = fw::json{{"source", "y"}};
    f.session.start_rest(put, f.now);
    const auto r = f.drain().requests.at(0);
    CHECK(r.signer == 3);
    CHECK(r.body.find("token") == std::string::npos);
}

TEST_CASE("OAuth1: the wiki's refusal of a signature is an OAuth error, never repeated", "[oauth1][session]") {
    Fixture f(oauth1_options(4, "tokenA"));
    f.get({{"action", "query"}, {"meta", "userinfo"}});
    const auto call = f.drain().requests.at(0);
    // Recorded from Extension:OAuth REL1_39 (tests/browser/node-oauth1.test.mjs: a re-used oauth_nonce).
    const auto d = f.answer(call, 200,
                            R"({"error":{"code":"mwoauth-invalid-authorization","info":"The authorization headers in )"
                            R"(your request are not valid: Nonce already used: fwnonce1796151787","*":"See )"
                            R"(http://127.0.0.2:8202/w/api.php for API usage."}})",
                            {{"mediawiki-api-error", "mwoauth-invalid-authorization"}});
    CHECK(d.requests.empty());
    const fw::Event* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.category == fw::ErrorCategory::OAuth);
    CHECK(failed->failed.error.code == "mwoauth-invalid-authorization");
    CHECK(failed->failed.error.info.find("Nonce already used") != std::string::npos);
}
