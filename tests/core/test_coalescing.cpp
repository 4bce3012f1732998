// Identical concurrent reads share one request (and its centralauthtoken); every caller still gets exactly one event.
#include <catch2/catch.hpp>

#include <set>

#include "session_fixture.hpp"

using namespace fwtest;
using fw::Purpose;

TEST_CASE("ten identical concurrent reads: one centralauthtoken, one request, ten results", "[coalescing]") {
    Fixture f(central_auth_options());
    std::set<fw::CallId> calls;
    for (int i = 0; i < 10; ++i) calls.insert(f.get({{"meta", "userinfo"}}));
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::CentralAuthToken);
    d = f.answer(d.requests[0], 200, wiki::kCentralToken1);
    REQUIRE(d.requests.size() == 1);
    const auto call = d.requests[0];
    d = f.answer(call, 200, wiki::kUserinfoAdmin);
    std::set<fw::CallId> completed;
    for (const auto& e : d.events) {
        REQUIRE(e.kind == fw::Event::Kind::Completed);
        CHECK(e.completed.response_of == call.id);
        completed.insert(e.completed.call);
    }
    CHECK(completed == calls);
    CHECK(d.events.size() == 10);

    // Once answered, the same read starts afresh: coalescing shares a request in flight, it is not a cache.
    f.get({{"meta", "userinfo"}});
    CHECK(f.drain().requests.empty());
    REQUIRE(f.pockets.size() == 2);  // it took the pocket's token, and a replacement went out
    d = f.answer(f.pockets[0], 200, wiki::kCentralToken2);
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].purpose == Purpose::Call);
}

TEST_CASE("only identical GET reads coalesce: other parameters, headers, writes and token calls do not",
          "[coalescing]") {
    Fixture f(cookie_options());
    f.get({{"meta", "userinfo"}});
    f.get({{"meta", "siteinfo"}});
    fw::ActionCall with_header;
    with_header.client = f.client;
    with_header.params = {{"meta", "userinfo"}};
    with_header.headers = {{"x-extra", "1"}};
    f.session.start_action(with_header, f.now);
    CHECK(f.drain().requests.size() == 3);

    fw::ActionCall post;
    post.client = f.client;
    post.method = "POST";
    post.params = {{"action", "purge"}, {"titles", "A"}};
    f.session.start_action(post, f.now);
    f.session.start_action(post, f.now);
    CHECK(f.drain().requests.size() == 2);
}

TEST_CASE("the leader aborted by its caller: a follower takes over with its own request", "[coalescing]") {
    Fixture f(cookie_options());
    const auto leader = f.get({{"meta", "userinfo"}});
    const auto follower = f.get({{"meta", "userinfo"}});
    auto first = f.drain();
    REQUIRE(first.requests.size() == 1);
    f.session.abort(leader, f.now);
    auto d = f.drain();
    REQUIRE(d.cancels.size() == 1);
    CHECK(d.cancels[0] == first.requests[0].id);
    REQUIRE(d.requests.size() == 1);
    CHECK(d.requests[0].call == follower);
    REQUIRE(d.events.size() == 1);
    CHECK(d.events[0].failed.call == leader);
    d = f.answer(d.requests[0], 200, wiki::kUserinfoAdmin);
    const auto* done = only_event(d, fw::Event::Kind::Completed);
    REQUIRE(done);
    CHECK(done->completed.call == follower);
}

TEST_CASE("the leader's failure is every follower's failure, each reported once", "[coalescing]") {
    Fixture f(cookie_options());
    f.get({{"meta", "userinfo"}});
    f.get({{"meta", "userinfo"}});
    f.get({{"meta", "userinfo"}});
    auto d = f.answer(f.drain().requests.at(0), 502, "<html>Bad gateway</html>");
    REQUIRE(d.events.size() == 3);
    std::set<fw::CallId> failed;
    for (const auto& e : d.events) {
        CHECK(e.kind == fw::Event::Kind::Failed);
        CHECK(e.failed.error.code == "http");
        failed.insert(e.failed.call);
    }
    CHECK(failed.size() == 3);
}

TEST_CASE("identical REST GETs coalesce too", "[coalescing][rest]") {
    auto options = cookie_options();
    options.api_url = kForeignRest;
    options.rest = true;
    Fixture f(options);
    fw::RestCall get;
    get.client = f.client;
    get.path = "/v1/page/{title}/bare";
    get.path_params = {{"title", "Main Page"}};
    f.session.start_rest(get, f.now);
    f.session.start_rest(get, f.now);
    auto d = f.drain();
    REQUIRE(d.requests.size() == 1);
    d = f.answer(d.requests[0], 200, R"({"id":1,"key":"Main_Page","title":"Main Page"})");
    CHECK(d.events.size() == 2);
}
