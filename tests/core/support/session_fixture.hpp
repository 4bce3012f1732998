// A Session with one client and a clock, plus the assertions most session tests need.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fw/session.hpp"
#include "scripted.hpp"
#include "wiki_responses.hpp"

namespace fwtest {

constexpr const char* kPageOrigin = "http://127.0.0.1:8200";
constexpr const char* kLocalApi = "http://127.0.0.1:8201/w/api.php";
constexpr const char* kForeignApi = "http://127.0.0.2:8202/w/api.php";
constexpr const char* kForeignRest = "http://127.0.0.2:8202/w/rest.php";

inline fw::ClientOptions central_auth_options() {
    fw::ClientOptions o;
    o.api_url = kForeignApi;
    o.page_origin = kPageOrigin;
    o.auth = fw::AuthMode::CentralAuth;
    o.central_auth_api = kLocalApi;
    o.local_user = "Admin";
    return o;
}

inline fw::ClientOptions cookie_options() {
    fw::ClientOptions o;
    o.api_url = kForeignApi;
    o.page_origin = kPageOrigin;
    o.auth = fw::AuthMode::Cookies;
    o.local_user = "Admin";
    return o;
}

struct Fixture {
    fw::Session session;
    fw::ClientId client = 0;
    fw::TimeMs now = 1000;
    // The centralauthtokens minted for the client's pocket (the next call's spare), kept apart from what drain()
    // returns so each test sees the requests its calls need; the pocket's own tests look here.
    std::vector<fw::HttpRequest> pockets;

    explicit Fixture(const fw::ClientOptions& options) {
        auto id = session.add_client(options);
        REQUIRE(id.ok());
        client = id.value();
    }

    Drained drain() {
        Drained d = fwtest::drain(session);
        std::vector<fw::HttpRequest> kept;
        for (auto& r : d.requests) {
            const bool pocket = r.purpose == fw::Purpose::CentralAuthToken && r.call == 0 &&
                                r.why.find("for the pocket") != std::string::npos;
            (pocket ? pockets : kept).push_back(std::move(r));
        }
        d.requests = std::move(kept);
        return d;
    }

    fw::CallId post_with_token(const fw::json& params, const std::string& type = "csrf") {
        fw::ActionCall c;
        c.client = client;
        c.method = "POST";
        c.params = params;
        c.token_type = type;
        return session.start_action(c, now);
    }

    fw::CallId get(const fw::json& params) {
        fw::ActionCall c;
        c.client = client;
        c.params = params;
        return session.start_action(c, now);
    }

    Drained answer(const fw::HttpRequest& request, int status, const std::string& body, fw::Headers headers = {}) {
        session.handle_response(request.id, response(status, body, std::move(headers)), now);
        return drain();
    }
};

inline std::vector<fw::HttpRequest> with_purpose(const std::vector<fw::HttpRequest>& requests, fw::Purpose p) {
    std::vector<fw::HttpRequest> out;
    for (const auto& r : requests)
        if (r.purpose == p) out.push_back(r);
    return out;
}

inline const fw::Event* only_event(const Drained& d, fw::Event::Kind kind) {
    const fw::Event* found = nullptr;
    for (const auto& e : d.events)
        if (e.kind == kind) {
            if (found) return nullptr;
            found = &e;
        }
    return found;
}

}  // namespace fwtest
