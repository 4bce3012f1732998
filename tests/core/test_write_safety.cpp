// Write safety: a request is repeated only when the server certainly did not perform it (badtoken, maxlag,
// readonly, Retry-After on 429/503); after an ambiguous failure the caller is told, never second-guessed.
#include <catch2/catch.hpp>

#include "session_fixture.hpp"

using namespace fwtest;

namespace {

fw::HttpRequest first_post(Fixture& f) {
    f.post_with_token({{"action", "edit"}, {"title", "Sandbox"}, {"text", "x"}});
    return f.answer(f.drain().requests.at(0), 200, wiki::kCsrfTokens).requests.at(0);
}

const fw::Headers kMaxlagHeaders = {{"retry-after", "5"}, {"x-database-lag", "-1"}, {"mediawiki-api-error", "maxlag"}};

}  // namespace

TEST_CASE("maxlag: wait Retry-After, then send again", "[write-safety]") {
    Fixture f(cookie_options());
    auto post = first_post(f);
    auto d = f.answer(post, 200, wiki::kMaxlag, kMaxlagHeaders);
    CHECK(d.requests.empty());
    CHECK(d.events.empty());
    REQUIRE(f.session.next_timeout());
    CHECK(*f.session.next_timeout() == f.now + 5000);
    f.now += 4999;
    f.session.handle_timeout(f.now);
    CHECK(f.drain().requests.empty());
    f.now += 1;
    f.session.handle_timeout(f.now);
    d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == fw::Purpose::Retry);
    CHECK(d.requests[0].body == post.body);
    d = f.answer(d.requests[0], 200, R"({"edit":{"result":"Success","pageid":1,"title":"Sandbox"}})");
    REQUIRE(only_event(d, fw::Event::Kind::Completed));
}

TEST_CASE("maxlag beyond the retry budget is reported", "[write-safety]") {
    auto o = cookie_options();
    o.retry_budget_ms = 4000;
    Fixture f(o);
    auto post = first_post(f);
    auto d = f.answer(post, 200, wiki::kMaxlag, kMaxlagHeaders);
    const auto* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.code == "maxlag");
    CHECK_FALSE(f.session.next_timeout());
}

TEST_CASE("readonly: wait the configured time (MediaWiki sends no Retry-After), within budget", "[write-safety]") {
    auto o = cookie_options();
    o.readonly_wait_ms = 30000;
    Fixture f(o);
    auto post = first_post(f);
    f.answer(post, 200, wiki::kReadonly, {{"mediawiki-api-error", "readonly"}});
    REQUIRE(f.session.next_timeout());
    CHECK(*f.session.next_timeout() == f.now + 30000);

    auto no_wait = cookie_options();
    no_wait.retry_budget_ms = 0;
    Fixture g(no_wait);
    auto d = g.answer(first_post(g), 200, wiki::kReadonly);
    const auto* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.code == "readonly");
    CHECK(failed->failed.error.result["error"]["readonlyreason"] == "lab maintenance");
}

TEST_CASE("ambiguous failures of a write are reported, not repeated", "[write-safety]") {
    Fixture f(cookie_options());
    SECTION("status 0") {
        auto post = first_post(f);
        f.session.handle_failure(post.id, fw::TransportFailure::Network, f.now);
        auto d = f.drain();
        CHECK(d.requests.empty());
        REQUIRE(only_event(d, fw::Event::Kind::Failed));
        CHECK(only_event(d, fw::Event::Kind::Failed)->failed.error.category == fw::ErrorCategory::Network);
    }
    SECTION("timeout") {
        auto post = first_post(f);
        f.session.handle_failure(post.id, fw::TransportFailure::Timeout, f.now);
        auto d = f.drain();
        CHECK(d.requests.empty());
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.code == "timeout");
        CHECK(failed->failed.error.info.find("not repeated") != std::string::npos);
    }
    SECTION("502 without Retry-After") {
        auto d = f.answer(first_post(f), 502, "<html>Bad gateway</html>");
        CHECK(d.requests.empty());
        REQUIRE(only_event(d, fw::Event::Kind::Failed));
        CHECK(only_event(d, fw::Event::Kind::Failed)->failed.error.code == "http");
    }
    SECTION("503 with Retry-After from MediaWiki is a certain refusal") {
        auto d = f.answer(first_post(f), 503, "<html>Service unavailable</html>",
                          {{"retry-after", "2"}, {"mediawiki-api-error", "maxlag"}});
        CHECK(d.events.empty());
        REQUIRE(f.session.next_timeout());
        CHECK(*f.session.next_timeout() == f.now + 2000);
    }
    SECTION("503 with Retry-After from anything else may answer a copy the browser resent: not repeated") {
        auto d = f.answer(first_post(f), 503, "<html>Service unavailable</html>", {{"retry-after", "2"}});
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.performed == fw::Performed::Maybe);
        CHECK(d.requests.empty());
        CHECK_FALSE(f.session.next_timeout());
    }
    SECTION("ratelimited is not retried automatically") {
        auto d = f.answer(first_post(f), 200, wiki::kRatelimited);
        REQUIRE(only_event(d, fw::Event::Kind::Failed));
        CHECK(only_event(d, fw::Event::Kind::Failed)->failed.error.code == "ratelimited");
        CHECK_FALSE(f.session.next_timeout());
    }
}

TEST_CASE("abort: the call fails with abort at once and its request is cancelled", "[write-safety]") {
    Fixture f(cookie_options());
    auto post = first_post(f);
    f.session.abort(post.call, f.now);
    auto d = f.drain();
    REQUIRE(d.cancels.size() == 1);
    CHECK(d.cancels[0] == post.id);
    const auto* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.category == fw::ErrorCategory::Abort);
    // A late answer to the cancelled request is ignored.
    d = f.answer(post, 200, R"({"edit":{"result":"Success"}})");
    CHECK(d.events.empty());
}

TEST_CASE("exactly one Completed or Failed per call, even for misuse", "[write-safety]") {
    Fixture f(cookie_options());
    fw::ActionCall bad;
    bad.client = f.client;
    bad.params = {{"action", "query"}, {"list", fw::json{{"nested", true}}}};
    auto id = f.session.start_action(bad, f.now);
    auto d = f.drain();
    CHECK(d.requests.empty());
    REQUIRE(d.events.size() == 1);
    CHECK(d.events[0].kind == fw::Event::Kind::Failed);
    CHECK(d.events[0].failed.call == id);
    CHECK(d.events[0].failed.error.category == fw::ErrorCategory::Usage);

    fw::ActionCall unknown;
    unknown.client = 999;
    f.session.start_action(unknown, f.now);
    d = f.drain();
    REQUIRE(d.events.size() == 1);
    CHECK(d.events[0].failed.error.code == "bad-client");
}
