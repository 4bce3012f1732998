// Answers a broken proxy, a misconfigured wiki or an attacker can send: every field the core reads, in every JSON
// type, and bodies over the bounds. Each call still ends exactly once, with a result or a named error; a write
// succeeds only on an answer shaped like MediaWiki's success, and any other failure of a write says Performed::Maybe
// unless the server certainly refused it. (In the native build a throwing nlohmann accessor would fail these tests;
// in the wasm build it would abort the module.)
#include <catch2/catch.hpp>

#include "session_fixture.hpp"

using namespace fwtest;
using fw::Performed;
using fw::Purpose;

namespace {

// Odd 2xx answers to an action=edit: none of them is what MediaWiki sends for a saved edit.
const char* const kNotAWriteSuccess[] = {
    R"({"error":"boom"})",
    R"({"error":1})",
    R"({"error":[]})",
    R"({"error":{}})",
    R"({"error":{"code":5}})",
    R"({"errors":{}})",
    R"({"errors":[]})",
    R"({"errors":"x"})",
    R"({"errors":[7]})",
    R"([1,2])",
    R"("saved")",
    "5",
    "true",
    R"({"warnings":{"main":{"*":"Unrecognized parameter"}}})",
    "<html>Saved!</html>",
};

// Fails the call's own write with `body` (status 200) and returns the event.
fw::Event write_answered(Fixture& f, const std::string& body, int status = 200) {
    f.post_with_token({{"action", "edit"}, {"title", "Sandbox"}, {"text", "x"}});
    auto post = f.answer(f.drain().requests.at(0), 200, wiki::kCsrfTokens).requests.at(0);
    auto d = f.answer(post, status, body);
    CHECK(with_purpose(d.requests, Purpose::Retry).empty());
    REQUIRE(d.events.size() == 1);
    return d.events[0];
}

}  // namespace

TEST_CASE("a write resolves only on MediaWiki's success shape; anything else may have been performed", "[hostile]") {
    for (const char* body : kNotAWriteSuccess) {
        INFO(body);
        Fixture f(cookie_options());
        const auto event = write_answered(f, body);
        REQUIRE(event.kind == fw::Event::Kind::Failed);
        CHECK(event.failed.error.performed == Performed::Maybe);
        CHECK(event.failed.error.info.find("may or may not have been performed") != std::string::npos);
    }
    Fixture f(cookie_options());
    CHECK(write_answered(f, R"({"edit":{"result":"Success","pageid":1}})").kind == fw::Event::Kind::Completed);
}

TEST_CASE("error and errors count when truthy, in any type, as in mw.Api", "[hostile]") {
    for (const char* body : {R"({"error":"boom"})", R"({"error":1})", R"({"errors":{}})", R"({"errors":[]})"}) {
        INFO(body);
        Fixture f(cookie_options());
        f.get({{"meta", "siteinfo"}});
        auto d = f.answer(f.drain().requests.at(0), 200, body);
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.code == "unknown");
        CHECK(failed->failed.error.performed == Performed::No);  // a read
    }
    // Falsy error members are no error (mw.Api resolves), and a non-empty array is a real read answer (opensearch).
    for (const char* body :
         {R"({"error":null,"query":{}})", R"({"errors":false,"batchcomplete":true})", R"(["a",[]])"}) {
        INFO(body);
        Fixture f(cookie_options());
        f.get({{"action", "opensearch"}});
        CHECK(only_event(f.answer(f.drain().requests.at(0), 200, body), fw::Event::Kind::Completed));
    }
}

TEST_CASE("performed: no for certain refusals, maybe for unknown fates of a write", "[hostile]") {
    struct Case {
        const char* body;
        int status;
        Performed expected;
    };
    const Case cases[] = {
        {R"({"error":{"code":"protectedpage","info":"This page has been protected."}})", 200, Performed::No},
        {R"({"error":{"code":"ratelimited","info":"slow down"}})", 200, Performed::No},
        {R"({"error":{"code":"internal_api_error_DBQueryError","info":"[x] Database query error."}})", 200,
         Performed::Maybe},
        {"<html><h1>502 Bad Gateway</h1></html>", 502, Performed::Maybe},
        {R"({"error":{"code":"protectedpage","info":"x"}})", 500, Performed::Maybe},
        {"", 404, Performed::Maybe},
    };
    for (const auto& c : cases) {
        INFO(c.body << " " << c.status);
        Fixture f(cookie_options());
        const auto event = write_answered(f, c.body, c.status);
        REQUIRE(event.kind == fw::Event::Kind::Failed);
        CHECK(event.failed.error.performed == c.expected);
    }
}

TEST_CASE("a timeout or an abort of a write on the wire: maybe; an abort before anything was sent: no", "[hostile]") {
    {
        Fixture f(cookie_options());
        f.post_with_token({{"action", "edit"}, {"title", "A"}, {"text", "x"}});
        auto post = f.answer(f.drain().requests.at(0), 200, wiki::kCsrfTokens).requests.at(0);
        f.session.handle_failure(post.id, fw::TransportFailure::Timeout, f.now);
        const auto drained = f.drain();
        const auto* failed = only_event(drained, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.performed == Performed::Maybe);
    }
    {
        Fixture f(cookie_options());
        const auto id = f.post_with_token({{"action", "edit"}, {"title", "A"}, {"text", "x"}});
        f.answer(f.drain().requests.at(0), 200, wiki::kCsrfTokens);
        f.session.abort(id, f.now);
        const auto drained = f.drain();
        const auto* failed = only_event(drained, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.performed == Performed::Maybe);
    }
    {
        Fixture f(cookie_options());
        const auto id = f.post_with_token({{"action", "edit"}, {"title", "A"}, {"text", "x"}});
        f.drain();  // only the token fetch is out
        f.session.abort(id, f.now);
        const auto drained = f.drain();
        const auto* failed = only_event(drained, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.performed == Performed::No);
    }
}

TEST_CASE("a token answer of the wrong type or shape is token-missing, and nothing is sent with it", "[hostile]") {
    for (const char* body :
         {R"({"query":[]})", R"({"query":"x"})", R"({"query":{"tokens":5}})", R"({"query":{"tokens":[]}})",
          R"({"query":{"tokens":{"csrftoken":5}}})", R"({"query":{"tokens":{"csrftoken":""}}})",
          R"({"query":{"tokens":{"csrftoken":"abc\r\nX-Injected: 1"}}})",
          R"({"query":{"tokens":{"csrftoken":"a b+\\"}}})", R"([{"query":{"tokens":{"csrftoken":"abc+\\"}}}])",
          R"({"query":null})"}) {
        INFO(body);
        Fixture f(cookie_options());
        f.post_with_token({{"action", "edit"}, {"title", "A"}, {"text", "x"}});
        auto d = f.answer(f.drain().requests.at(0), 200, body);
        CHECK(d.requests.empty());
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.code == "token-missing");
        CHECK(failed->failed.error.performed == Performed::No);
    }
}

TEST_CASE("a centralauthtoken answer of the wrong type or shape is centralauthtoken-unavailable, never sent",
          "[hostile]") {
    for (const char* body :
         {R"({"centralauthtoken":{"centralauthtoken":7}})",
          R"({"centralauthtoken":"5c76749c30ecc02bbc5b7d8fa9b33d8a1"})",
          R"({"centralauthtoken":{"centralauthtoken":"abc&action=delete"}})",
          R"({"centralauthtoken":{"centralauthtoken":null}})", R"({"centralauthtoken":[]})", "[]", R"("token")"}) {
        INFO(body);
        Fixture f(central_auth_options());
        f.get({{"meta", "userinfo"}});
        auto d = f.answer(f.drain().requests.at(0), 200, body);
        CHECK(d.requests.empty());
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.code == "centralauthtoken-unavailable");
    }
}

TEST_CASE("the foreign-login check survives any userinfo shape and then uses centralauthtokens", "[hostile]") {
    for (const char* body :
         {R"({"query":{"userinfo":"Admin"}})", R"({"query":{"userinfo":{"name":5}}})", R"({"query":{"userinfo":[]}})",
          R"({"query":{"userinfo":{"name":"Admin","anon":""}}})", R"({"query":7})", "[]"}) {
        INFO(body);
        auto options = central_auth_options();
        options.check_foreign_login = true;
        Fixture f(options);
        f.get({{"meta", "siteinfo"}});
        auto d = f.drain();
        auto checks = with_purpose(d.requests, Purpose::LoginCheck);
        REQUIRE(checks.size() == 1);
        CHECK(with_purpose(d.requests, Purpose::CentralAuthToken).size() == 1);  // the call goes on meanwhile
        d = f.answer(checks[0], 200, body);
        REQUIRE(d.events.size() == 1);
        CHECK(d.events[0].kind == fw::Event::Kind::Notice);
        CHECK(d.events[0].notice.code == "no-foreign-login");
    }
    // A logged-in answer whose token has the wrong type: logged in, but no token cached from it.
    auto options = central_auth_options();
    options.check_foreign_login = true;
    Fixture f(options);
    f.get({{"meta", "siteinfo"}});
    auto checks = with_purpose(f.drain().requests, Purpose::LoginCheck);
    REQUIRE(checks.size() == 1);
    f.answer(checks[0], 200, R"({"query":{"userinfo":{"id":1,"name":"Admin"},"tokens":{"csrftoken":9}}})");
    f.post_with_token({{"action", "edit"}, {"title", "A"}, {"text", "x"}});
    auto fetches = with_purpose(f.drain().requests, Purpose::Token);
    CHECK(fetches.size() == 1);  // fetched, not taken from the odd answer
}

TEST_CASE("answers over the bounds are named errors; the bounds travel with every request", "[hostile]") {
    auto options = cookie_options();
    options.max_body_bytes = 1000;
    options.max_json_depth = 8;
    for (auto kind : {fw::ResponseBody::TooLarge, fw::ResponseBody::TooDeep}) {
        Fixture f(options);
        f.get({{"meta", "siteinfo"}});
        auto d = f.drain();
        REQUIRE(d.requests.size() == 1);
        CHECK(d.requests[0].max_body_bytes == 1000);
        CHECK(d.requests[0].max_json_depth == 8);
        fw::HttpResponse r;
        r.status = 200;
        r.body_kind = kind;
        f.session.handle_response(d.requests[0].id, r, f.now);
        const auto drained = f.drain();
        const auto* failed = only_event(drained, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.category == fw::ErrorCategory::Response);
        CHECK(failed->failed.error.code ==
              (kind == fw::ResponseBody::TooLarge ? "response-too-large" : "response-too-deep"));
    }
}

TEST_CASE("deep JSON is refused before anything copies it; shallower nesting is read as usual", "[hostile]") {
    auto nested = [](int depth) {
        std::string text = R"({"error":{"code":"x","info":)";
        for (int i = 0; i < depth; ++i) text += "[";
        for (int i = 0; i < depth; ++i) text += "]";
        return text + "}}";
    };
    Fixture f(cookie_options());
    f.get({{"meta", "siteinfo"}});
    auto d = f.answer(f.drain().requests.at(0), 200, nested(200000));
    const auto* failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.code == "response-too-deep");

    f.get({{"meta", "siteinfo"}});
    d = f.answer(f.drain().requests.at(0), 200, nested(20));
    failed = only_event(d, fw::Event::Kind::Failed);
    REQUIRE(failed);
    CHECK(failed->failed.error.code == "x");
    CHECK(failed->failed.error.info == "x");  // a non-string info is not read
}

TEST_CASE("REST writes: an HTML 2xx is not a success, and no REST answer proves a write was not performed",
          "[hostile][rest]") {
    auto options = central_auth_options();
    options.api_url = kForeignRest;
    options.rest = true;
    struct Case {
        int status;
        const char* body;
        const char* code;
    };
    for (const Case& c : {Case{200, "<html>Saved</html>", "invalidjson"},
                          Case{409, R"({"messageTranslations":{"en":"Page exists"},"httpCode":409})", "http"},
                          Case{403, R"({"errorKey":"rest-read-denied","httpCode":403})", "rest-read-denied"}}) {
        INFO(c.status << " " << c.body);
        Fixture f(options);
        fw::RestCall put;
        put.client = f.client;
        put.method = "PUT";
        put.path = "/v1/page/{title}";
        put.path_params = {{"title", "A"}};
        put.body = fw::json{{"source", "x"}, {"comment", "fw"}};
        f.session.start_rest(put, f.now);
        auto request = f.answer(f.drain().requests.at(0), 200, wiki::kCentralToken1).requests.at(0);
        auto d = f.answer(request, c.status, c.body);
        const auto* failed = only_event(d, fw::Event::Kind::Failed);
        REQUIRE(failed);
        CHECK(failed->failed.error.code == c.code);
        CHECK(failed->failed.error.performed == Performed::Maybe);
    }
}

TEST_CASE("a centralauthtoken answer for a call the login check moved to cookies is no longer that call's",
          "[hostile]") {
    // Found by fuzz_session (twice: an odd answer, then a timeout): the call's own centralauthtoken request failed
    // after the login check had switched the call to B's cookies and its write was out; the call failed with
    // performed=no and its write was cancelled.
    enum class Stale { OddAnswer, Timeout, Aborted };
    for (const Stale outcome : {Stale::OddAnswer, Stale::Timeout, Stale::Aborted})
        for (const bool write_out_first : {true, false}) {
            INFO("write out before the stale outcome: " << write_out_first << ", outcome "
                                                        << static_cast<int>(outcome));
            auto options = central_auth_options();
            options.check_foreign_login = true;
            Fixture f(options);
            f.post_with_token({{"action", "options"}, {"change", "userjs-fw=1"}});
            auto d = f.drain();
            auto checks = with_purpose(d.requests, Purpose::LoginCheck);
            fw::HttpRequest own, spare;  // the call's centralauthtoken request, and the client's spare
            for (const auto& r : with_purpose(d.requests, Purpose::CentralAuthToken)) (r.call != 0 ? own : spare) = r;
            REQUIRE(checks.size() == 1);
            REQUIRE(own.id != 0);
            REQUIRE(spare.id != 0);
            d = f.answer(checks[0], 200, wiki::kUserinfoAndTokensAdmin);  // logged in on B: its cookies from now on
            CHECK(d.requests.empty());
            // Answers csrf token fetches until the call's write is out; returns it.
            auto write_of = [&f](Drained next) {
                for (int i = 0; i < 3 && with_purpose(next.requests, Purpose::Call).empty(); i++) {
                    auto fetches = with_purpose(next.requests, Purpose::Token);
                    REQUIRE(fetches.size() == 1);
                    next = f.answer(fetches[0], 200, wiki::kCsrfTokens);
                }
                return with_purpose(next.requests, Purpose::Call);
            };
            std::vector<fw::HttpRequest> posts;
            if (write_out_first) posts = write_of(f.answer(spare, 200, wiki::kCentralToken1));
            // The call's own centralauthtoken request fails (an odd status and no body, a timeout, an abort): not the
            // call's error any more.
            Drained stale;
            if (outcome == Stale::OddAnswer) {
                stale = f.answer(own, 372, "");
            } else {
                f.session.handle_failure(
                    own.id, outcome == Stale::Timeout ? fw::TransportFailure::Timeout : fw::TransportFailure::Abort,
                    f.now);
                stale = f.drain();
            }
            CHECK(stale.events.empty());
            CHECK(stale.cancels.empty());
            if (!write_out_first) posts = write_of(stale);
            REQUIRE(posts.size() == 1);
            CHECK(posts[0].method == "POST");
            CHECK_FALSE(has_param(posts[0].url, "centralauthtoken"));
            d = f.answer(posts[0], 200, wiki::kOptionsSuccess);
            REQUIRE(only_event(d, fw::Event::Kind::Completed));
        }
}
