// Token lifecycle: meta=tokens, one shared fetch, a cache keyed by wiki AND identity, failures never
// cached, badtoken → fresh token → one retry.
#include <catch2/catch.hpp>

#include "session_fixture.hpp"

using namespace fwtest;
using fw::Purpose;

TEST_CASE("legacy token types are csrf; others pass through", "[tokens]") {
    for (const char* legacy : {"edit", "delete", "protect", "move", "block", "unblock", "email", "import", "options"})
        CHECK(fw::Session::normalize_token_type(legacy) == "csrf");
    for (const char* kept : {"csrf", "watch", "patrol", "rollback", "userrights", "login", "createaccount",
                             "setglobalaccountstatus", "deleteglobalaccount"})
        CHECK(fw::Session::normalize_token_type(kept) == kept);
}

TEST_CASE("postWithToken: token fetch with cookies, then the POST with the token last", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "edit"}, {"title", "Sandbox"}, {"text", "hello"}}, "edit");
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    const auto fetch = d.requests[0];
    CHECK(fetch.purpose == Purpose::Token);
    CHECK(fetch.url ==
          "http://127.0.0.2:8202/w/"
          "api.php?action=query&format=json&origin=http%3A%2F%2F127.0.0.1%3A8200&meta=tokens&type=csrf");
    CHECK(fetch.credentials == fw::Credentials::Include);
    CHECK(fetch.no_store);
    d = f.answer(fetch, 200, wiki::kCsrfTokens);
    REQUIRE(d.requests.size() == 1);
    const auto post = d.requests[0];
    CHECK(post.url == "http://127.0.0.2:8202/w/api.php?action=edit&format=json&origin=http%3A%2F%2F127.0.0.1%3A8200");
    CHECK(post.body == "text=hello&title=Sandbox&token=e649d821b946fa61e9f8997086295ff86b052eb0%2B%5C");
    CHECK(post.credentials == fw::Credentials::Include);
}

TEST_CASE("concurrent callers share one token fetch; later callers use the cache", "[tokens]") {
    Fixture f(cookie_options());
    for (int i = 0; i < 5; ++i) f.post_with_token({{"action", "options"}, {"change", "userjs-n=" + std::to_string(i)}});
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    d = f.answer(d.requests[0], 200, wiki::kCsrfTokens);
    CHECK(d.requests.size() == 5);
    for (const auto& r : d.requests) CHECK(param(r.body, "token") == wiki::kCsrfValue);
    f.post_with_token({{"action", "options"}, {"change", "userjs-n=6"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].method == "POST");
}

TEST_CASE("the cache is keyed by identity: assertuser and auth mode get their own tokens", "[tokens]") {
    fw::Session s;
    auto a = cookie_options();
    auto b = cookie_options();
    b.assertuser = "Tester";
    auto ida = s.add_client(a).value();
    auto idb = s.add_client(b).value();
    fw::ActionCall call;
    call.method = "POST";
    call.params = {{"action", "options"}};
    call.token_type = "csrf";
    call.client = ida;
    s.start_action(call, 0);
    auto d = drain(s);
    REQUIRE(d.requests.size() == 1);
    s.handle_response(d.requests[0].id, response(200, wiki::kCsrfTokens), 0);
    drain(s);
    call.client = idb;
    s.start_action(call, 0);
    d = drain(s);
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);  // not served from Admin's cache entry
    CHECK(param(d.requests[0].url, "assertuser") == "Tester");
}

TEST_CASE("a failed token fetch is not cached: every waiter fails, the next call fetches again", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}});
    f.post_with_token({{"action", "options"}});
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    d = f.answer(d.requests[0], 500, "<html>Internal error</html>");
    int failures = 0;
    for (const auto& e : d.events)
        if (e.kind == fw::Event::Kind::Failed) {
            ++failures;
            CHECK(e.failed.error.code == "http");
            CHECK(e.failed.error.status == 500);
        }
    CHECK(failures == 2);
    f.post_with_token({{"action", "options"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
}

TEST_CASE("a token the wiki does not give is token-missing, and not cached", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}});
    auto d = f.answer(f.drain().requests[0], 200, wiki::kAnonTokensWarning);
    const auto* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.code == "token-missing");
    f.post_with_token({{"action", "options"}});
    CHECK(f.drain().requests.at(0).purpose == Purpose::Token);
}

TEST_CASE("badtoken: drop the token, fetch a fresh one, retry exactly once", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}, {"change", "userjs-a=1"}});
    auto post = f.answer(f.drain().requests[0], 200, wiki::kCsrfTokens).requests.at(0);
    auto d = f.answer(post, 200, wiki::kBadCsrfToken, {{"mediawiki-api-error", "badtoken"}});
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
    auto retry = f.answer(d.requests[0], 200, wiki::kCsrfTokens2).requests.at(0);
    CHECK(retry.purpose == Purpose::Retry);
    CHECK(param(retry.body, "token") == wiki::kCsrfValue2);
    d = f.answer(retry, 200, wiki::kBadCsrfToken);
    CHECK(d.requests.empty());
    const auto* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.code == "badtoken");
    CHECK(failed->failed.error.category == fw::ErrorCategory::Api);
}

TEST_CASE("badtoken when another caller already refreshed the token: reuse the fresh one", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}, {"change", "userjs-a=1"}});
    f.post_with_token({{"action", "options"}, {"change", "userjs-a=2"}});
    auto posts = f.answer(f.drain().requests[0], 200, wiki::kCsrfTokens).requests;
    REQUIRE(posts.size() == 2);
    auto refetch = f.answer(posts[0], 200, wiki::kBadCsrfToken).requests.at(0);
    f.answer(refetch, 200, wiki::kCsrfTokens2);  // first caller retried with token 2
    auto d = f.answer(posts[1], 200, wiki::kBadCsrfToken);
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].method == "POST");  // no third fetch: token 2 is already cached
    CHECK(param(d.requests[0].body, "token") == wiki::kCsrfValue2);
}

TEST_CASE("forget_token (mw.Api badToken) makes the next call fetch again", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}});
    auto post = f.answer(f.drain().requests[0], 200, wiki::kCsrfTokens).requests.at(0);
    f.answer(post, 200, wiki::kOptionsSuccess);
    f.session.forget_token(f.client, "edit");
    f.post_with_token({{"action", "options"}});
    CHECK(f.drain().requests.at(0).purpose == Purpose::Token);
}

TEST_CASE("a caller's own token parameter is replaced by the managed one", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}, {"token", "stale+\\"}});
    auto post = f.answer(f.drain().requests[0], 200, wiki::kCsrfTokens).requests.at(0);
    CHECK(param(post.body, "token") == wiki::kCsrfValue);
    CHECK(post.body.find("stale") == std::string::npos);
}

TEST_CASE("REST write with a cookie session: csrf token from api.php in the JSON body", "[tokens][rest]") {
    auto o = cookie_options();
    o.api_url = kForeignRest;
    o.rest = true;
    Fixture f(o);
    fw::RestCall put;
    put.client = f.client;
    put.method = "PUT";
    put.path = "/v1/page/Sandbox";
    put.body = fw::json{{"source", "x"}, {"comment", "y"}};
    f.session.start_rest(put, f.now);
    auto fetch = f.drain().requests.at(0);
    CHECK(fetch.url.rfind("http://127.0.0.2:8202/w/api.php?", 0) == 0);
    auto d = f.answer(fetch, 200, wiki::kCsrfTokens);
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].credentials == fw::Credentials::Include);
    auto body = fw::json::parse(d.requests[0].body);
    CHECK(body["token"] == wiki::kCsrfValue);
    CHECK(body["source"] == "x");
}

TEST_CASE("get_token (mw.Api getToken) shares the cache and the in-flight fetch with postWithToken", "[tokens]") {
    Fixture f(cookie_options());
    auto first = f.session.get_token(f.client, "edit", f.now);
    f.post_with_token({{"action", "options"}});
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    d = f.answer(d.requests[0], 200, wiki::kCsrfTokens);
    const auto* done = only_event(d, fw::Event::Kind::Completed);
    REQUIRE(done);
    CHECK(done->completed.call == first);
    CHECK(done->completed.token == wiki::kCsrfValue);
    REQUIRE(d.requests.size() == 1);  // and the POST went out with the same token
    CHECK(param(d.requests[0].body, "token") == wiki::kCsrfValue);

    f.session.get_token(f.client, "csrf", f.now);
    d = f.drain();
    CHECK(d.requests.empty());
    REQUIRE(only_event(d, fw::Event::Kind::Completed));
    CHECK(only_event(d, fw::Event::Kind::Completed)->completed.token == wiki::kCsrfValue);
}

TEST_CASE("get_token with CentralAuth: one centralauthtoken for the fetch, none wasted on sending",
          "[tokens][centralauth]") {
    auto o = central_auth_options();
    o.prefetch_max_age_ms = 0;
    Fixture f(o);
    f.session.get_token(f.client, "csrf", f.now);
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::CentralAuthToken);
    auto fetch = f.answer(d.requests[0], 200, wiki::kCentralToken1).requests.at(0);
    d = f.answer(fetch, 200, wiki::kCsrfTokens);
    CHECK(d.requests.empty());
    REQUIRE(only_event(d, fw::Event::Kind::Completed));
    CHECK(only_event(d, fw::Event::Kind::Completed)->completed.token == wiki::kCsrfValue);
}

TEST_CASE("postWithToken passes the call's assert / assertuser to the token fetch; they key the cache", "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}, {"assert", "user"}, {"assertuser", "Tester"}});
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
    CHECK(param(d.requests[0].url, "assert") == "user");
    CHECK(param(d.requests[0].url, "assertuser") == "Tester");
    d = f.answer(d.requests[0], 200, wiki::kCsrfTokens);
    REQUIRE(d.requests.size() == 1);
    CHECK(param(d.requests[0].url + "&" + d.requests[0].body, "assert") == "user");

    // Same assertions: the cached token. Another assertuser, or none: a fetch of its own.
    f.post_with_token({{"action", "options"}, {"assert", "user"}, {"assertuser", "Tester"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].method == "POST");
    f.post_with_token({{"action", "options"}, {"assert", "user"}, {"assertuser", "Admin"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
    CHECK(param(d.requests[0].url, "assertuser") == "Admin");
    f.answer(d.requests[0], 200, wiki::kCsrfTokens);
    // Asserting less: a token fetched under a stronger assertion serves it (no fetch).
    f.post_with_token({{"action", "options"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].method == "POST");
    CHECK_FALSE(has_param(d.requests[0].url + "&" + d.requests[0].body, "assert"));
}

TEST_CASE("a token fetched under a stronger assertion serves a call that asserts less, never the other way round",
          "[tokens]") {
    Fixture f(cookie_options());
    // mw.Api's create() asserts the user's name, its edit() only a login: one token fetch for both.
    f.post_with_token({{"action", "options"}, {"assert", "user"}, {"assertuser", "Tester"}});
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(param(d.requests[0].url, "assertuser") == "Tester");
    f.answer(f.answer(d.requests[0], 200, wiki::kCsrfTokens).requests.at(0), 200, wiki::kOptionsSuccess);
    f.post_with_token({{"action", "options"}, {"assert", "user"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].method == "POST");
    CHECK(param(d.requests[0].body, "token") == wiki::kCsrfValue);
    f.answer(d.requests[0], 200, wiki::kOptionsSuccess);
    // assert=bot is more than the Tester token's fetch proved: a fetch of its own.
    f.post_with_token({{"action", "options"}, {"assert", "bot"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
    CHECK(param(d.requests[0].url, "assert") == "bot");
}

TEST_CASE("a weaker call's badtoken drops the stronger token it borrowed; the fresh fetch asserts what it asserts",
          "[tokens]") {
    Fixture f(cookie_options());
    f.post_with_token({{"action", "options"}, {"assert", "user"}, {"assertuser", "Tester"}});
    f.answer(f.answer(f.drain().requests.at(0), 200, wiki::kCsrfTokens).requests.at(0), 200, wiki::kOptionsSuccess);
    f.post_with_token({{"action", "options"}, {"assert", "user"}});
    auto post = f.drain().requests.at(0);
    CHECK(param(post.body, "token") == wiki::kCsrfValue);
    auto d = f.answer(post, 200, wiki::kBadCsrfToken, {{"mediawiki-api-error", "badtoken"}});
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
    CHECK(param(d.requests[0].url, "assert") == "user");
    CHECK_FALSE(has_param(d.requests[0].url, "assertuser"));
    auto retry = f.answer(d.requests[0], 200, wiki::kCsrfTokens2).requests.at(0);
    CHECK(param(retry.body, "token") == wiki::kCsrfValue2);
    f.answer(retry, 200, wiki::kOptionsSuccess);
    // The borrowed entry is gone: the stronger call fetches again instead of sending the rejected token.
    f.post_with_token({{"action", "options"}, {"assert", "user"}, {"assertuser", "Tester"}});
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Token);
}

TEST_CASE("get_token's assert argument goes to the fetch and keys the cache", "[tokens]") {
    Fixture f(cookie_options());
    f.session.get_token(f.client, "csrf", f.now, "user");
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(param(d.requests[0].url, "assert") == "user");
    CHECK_FALSE(has_param(d.requests[0].url, "assertuser"));
    d = f.answer(d.requests[0], 200, wiki::kCsrfTokens);
    REQUIRE(only_event(d, fw::Event::Kind::Completed));
    // The same assertion: from the cache, nothing sent.
    f.session.get_token(f.client, "csrf", f.now, "user");
    d = f.drain();
    CHECK(d.requests.empty());
    REQUIRE(only_event(d, fw::Event::Kind::Completed));
    // No assertion: the asserted token serves it, nothing sent.
    f.session.get_token(f.client, "csrf", f.now);
    d = f.drain();
    CHECK(d.requests.empty());
    REQUIRE(only_event(d, fw::Event::Kind::Completed));
    CHECK(only_event(d, fw::Event::Kind::Completed)->completed.token == wiki::kCsrfValue);
}

TEST_CASE("a plain token does not serve a call that asserts a login", "[tokens]") {
    Fixture f(cookie_options());
    f.session.get_token(f.client, "csrf", f.now);
    f.answer(f.drain().requests.at(0), 200, wiki::kCsrfTokens);
    f.session.get_token(f.client, "csrf", f.now, "user");
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(param(d.requests[0].url, "assert") == "user");
}
