// The driver against a fake bridge: one input does everything it implies (no separate drain), the one timer covers
// retry waits and request timeouts, a bridge callback that starts a call is safe, and every call ends once.
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include "driver.hpp"
#include "session_fixture.hpp"

using namespace fwtest;

namespace {

struct FakeBridge : fw::Bridge {
    std::vector<fw::HttpRequest> fetched;
    std::vector<std::pair<fw::RequestId, fw::CancelReason>> cancelled;
    std::vector<std::optional<fw::TimeMs>> timers;  // every set_timer call, in order
    std::vector<fw::Event> events;
    std::function<void(const fw::Event&)> on_emit;

    void fetch(const fw::HttpRequest& request) override { fetched.push_back(request); }
    void cancel(fw::RequestId request, fw::CancelReason reason) override { cancelled.emplace_back(request, reason); }
    void set_timer(std::optional<fw::TimeMs> deadline) override { timers.push_back(deadline); }
    void emit(const fw::Event& event) override {
        events.push_back(event);
        if (on_emit) on_emit(event);
    }
};

struct DriverFixture {
    FakeBridge bridge;
    fw::Driver driver{bridge};
    fw::ClientId client = 0;
    fw::TimeMs now = 1000;

    explicit DriverFixture(fw::ClientOptions options = cookie_options()) {
        auto id = driver.add_client(options);
        REQUIRE(id.ok());
        client = id.value();
    }

    fw::CallId get(const fw::json& params) {
        fw::ActionCall call;
        call.client = client;
        call.params = params;
        return driver.start_action(call, now);
    }

    void answer(const fw::HttpRequest& request, int status, const std::string& body, fw::Headers headers = {}) {
        driver.handle_response(request.id, response(status, body, std::move(headers)), now);
    }
};

}  // namespace

TEST_CASE("one input, all its consequences: the request goes out, the answer ends the call", "[driver]") {
    DriverFixture f;
    const auto call = f.get({{"meta", "userinfo"}});
    REQUIRE(f.bridge.fetched.size() == 1);
    CHECK(f.bridge.fetched[0].call == call);
    REQUIRE(f.bridge.timers.size() == 1);
    CHECK(f.bridge.timers[0] == f.now + 30000);  // the request's timeout is the driver's deadline

    f.now += 40;
    f.answer(f.bridge.fetched[0], 200, wiki::kUserinfoAdmin);
    REQUIRE(f.bridge.events.size() == 1);
    CHECK(f.bridge.events[0].kind == fw::Event::Kind::Completed);
    CHECK(f.bridge.events[0].completed.call == call);
    CHECK(f.bridge.timers.size() == 1);  // not cleared: the timer is only moved earlier, a spare wake-up is free
    CHECK(f.bridge.cancelled.empty());

    // A second call goes out without touching the timer (its deadline is later), and the spare wake-up does
    // nothing but re-arm for it.
    f.get({{"meta", "siteinfo"}});
    CHECK(f.bridge.timers.size() == 1);
    f.driver.handle_timer(f.now + 30000 - 40);
    CHECK(f.bridge.events.size() == 1);
    REQUIRE(f.bridge.timers.size() == 2);
    CHECK(f.bridge.timers.back() == f.now + 30000);
}

TEST_CASE("a request timeout: cancelled as Timeout and the call fails once; an early wake-up changes nothing",
          "[driver]") {
    auto options = cookie_options();
    options.timeout_ms = 500;
    DriverFixture f(options);
    f.get({{"meta", "userinfo"}});
    REQUIRE(f.bridge.fetched.size() == 1);
    CHECK(f.bridge.timers.back() == f.now + 500);

    f.driver.handle_timer(f.now + 100);  // early
    CHECK(f.bridge.events.empty());
    CHECK(f.bridge.timers.back() == f.now + 500);  // re-armed

    f.now += 500;
    f.driver.handle_timer(f.now);
    REQUIRE(f.bridge.cancelled.size() == 1);
    CHECK(f.bridge.cancelled[0] == std::make_pair(f.bridge.fetched[0].id, fw::CancelReason::Timeout));
    REQUIRE(f.bridge.events.size() == 1);
    CHECK(f.bridge.events[0].failed.error.code == "timeout");

    // A late answer to the cancelled request is ignored.
    f.answer(f.bridge.fetched[0], 200, wiki::kUserinfoAdmin);
    CHECK(f.bridge.events.size() == 1);
}

TEST_CASE("the one timer covers the server's retry wait and the requests' timeouts", "[driver]") {
    DriverFixture f;
    fw::ActionCall call;
    call.client = f.client;
    call.method = "POST";
    call.params = {{"action", "edit"}, {"title", "A"}, {"text", "x"}};
    call.token_type = "csrf";
    f.driver.start_action(call, f.now);
    f.answer(f.bridge.fetched.at(0), 200, wiki::kCsrfTokens);
    REQUIRE(f.bridge.fetched.size() == 2);
    f.answer(f.bridge.fetched[1], 200, wiki::kMaxlag, {{"retry-after", "5"}});
    CHECK(f.bridge.timers.back() == f.now + 5000);
    f.now += 5000;
    f.driver.handle_timer(f.now);
    REQUIRE(f.bridge.fetched.size() == 3);
    CHECK(f.bridge.fetched[2].purpose == fw::Purpose::Retry);
    CHECK(f.bridge.timers.back() == f.now + 30000);
    f.answer(f.bridge.fetched[2], 200, R"({"edit":{"result":"Success"}})");
    REQUIRE(f.bridge.events.size() == 1);
    CHECK(f.bridge.events[0].kind == fw::Event::Kind::Completed);
}

TEST_CASE("a call started from inside a bridge callback is sent within the same input", "[driver]") {
    DriverFixture f;
    fw::CallId second = 0;
    f.bridge.on_emit = [&](const fw::Event& event) {
        if (event.kind != fw::Event::Kind::Completed || second) return;
        fw::ActionCall call;
        call.client = f.client;
        call.params = {{"meta", "siteinfo"}};
        second = f.driver.start_action(call, f.now);
    };
    f.get({{"meta", "userinfo"}});
    f.answer(f.bridge.fetched.at(0), 200, wiki::kUserinfoAdmin);
    REQUIRE(second != 0);
    REQUIRE(f.bridge.fetched.size() == 2);
    CHECK(f.bridge.fetched[1].call == second);
    CHECK(f.bridge.timers.back() == f.now + 30000);  // armed for the new request after the nested input
}

TEST_CASE("abort cancels the request as not needed and clears its deadline; reject fails at once", "[driver]") {
    DriverFixture f;
    const auto call = f.get({{"meta", "userinfo"}});
    f.driver.abort(call, f.now);
    REQUIRE(f.bridge.cancelled.size() == 1);
    CHECK(f.bridge.cancelled[0].second == fw::CancelReason::NotNeeded);
    REQUIRE(f.bridge.events.size() == 1);
    CHECK(f.bridge.events[0].failed.error.code == "abort");
    f.driver.handle_timer(f.now + 30000);  // the timer left armed fires with nothing due: no event, no request
    CHECK(f.bridge.events.size() == 1);
    CHECK(f.bridge.fetched.size() == 1);

    const auto rejected = f.driver.reject(fw::usage_error("bad-json", "Expected a JSON object for the call."), f.now);
    REQUIRE(f.bridge.events.size() == 2);
    CHECK(f.bridge.events[1].failed.call == rejected);
    CHECK(f.bridge.events[1].failed.error.code == "bad-json");
}

TEST_CASE("a network failure is one form: the core classifies it like status 0", "[driver]") {
    DriverFixture f;
    f.get({{"meta", "userinfo"}});
    f.driver.handle_failure(f.bridge.fetched.at(0).id, fw::TransportFailure::Network, f.now);
    REQUIRE(f.bridge.events.size() == 1);
    CHECK(f.bridge.events[0].failed.error.code == "network");
    CHECK(f.bridge.events[0].failed.error.category == fw::ErrorCategory::Network);
}
