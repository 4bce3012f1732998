// Properties over many generated scenarios: a csrf token never appears in any URL, and a centralauthtoken is only
// ever sent once, and only to the foreign wiki it was minted for.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "fw/action_request.hpp"
#include "session_fixture.hpp"

using namespace fwtest;

namespace {

// A scripted pair of wikis answering whatever the session asks, minting distinct tokens.
struct ScriptedWikis {
    int minted = 0;
    std::map<std::string, std::string> token_target;  // centralauthtoken → origin of the client it was minted for
    std::string csrf = "0123456789abcdef0123456789abcdef01234567+\\";

    std::string answer(const fw::HttpRequest& r) {
        if (r.purpose == fw::Purpose::CentralAuthToken) {
            std::string token = "feedc0de" + std::to_string(1000 + ++minted) + "00000000000000000000001";
            return R"({"centralauthtoken":{"centralauthtoken":")" + token + R"("}})";
        }
        if (r.purpose == fw::Purpose::Token || r.purpose == fw::Purpose::LoginCheck)
            return R"({"batchcomplete":"","query":{"tokens":{"csrftoken":"0123456789abcdef0123456789abcdef01234567+\\"},"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}})";
        return R"({"batchcomplete":"","query":{"userinfo":{"id":1,"name":"Admin"}}})";
    }
};

bool contains_token(const std::string& text, const std::string& token) {
    return text.find(token) != std::string::npos || percent_decode(text).find(token) != std::string::npos ||
           text.find(token.substr(0, 40)) != std::string::npos;
}

}  // namespace

TEST_CASE("no csrf token in a URL; each centralauthtoken used once, only on its target", "[properties]") {
    const fw::AuthMode modes[] = {fw::AuthMode::Cookies, fw::AuthMode::CentralAuth};
    const char* targets[] = {kForeignApi, "https://other.example.org/w/api.php"};
    int scenarios = 0;
    for (auto mode : modes)
        for (const char* target : targets)
            for (int calls = 1; calls <= 4; ++calls)
                for (int shape = 0; shape < 4; ++shape) {
                    ++scenarios;
                    fw::Session s;
                    auto o = central_auth_options();
                    o.auth = mode;
                    o.api_url = target;
                    o.check_foreign_login = shape == 3;
                    o.prefetch_max_age_ms = shape == 2 ? 0 : 20000;
                    auto client = s.add_client(o).value();
                    ScriptedWikis wikis;
                    std::set<std::string> seen_central;
                    std::map<fw::RequestId, std::string> minted_by;
                    std::vector<fw::HttpRequest> queue;
                    fw::TimeMs now = 0;
                    for (int i = 0; i < calls; ++i) {
                        fw::ActionCall c;
                        c.client = client;
                        c.method = (i + shape) % 2 ? "POST" : "GET";
                        c.params = {{"action", c.method == "POST" ? "options" : "query"}, {"n", i}};
                        if (c.method == "POST") c.token_type = i % 3 ? "csrf" : "options";
                        s.start_action(c, now);
                    }
                    for (int steps = 0; steps < 200; ++steps) {
                        auto d = drain(s);
                        for (auto& r : d.requests) queue.push_back(r);
                        if (queue.empty()) break;
                        fw::HttpRequest r = queue.front();
                        queue.erase(queue.begin());
                        INFO("request " << r.url);
                        CHECK_FALSE(contains_token(r.url, wikis.csrf));
                        CHECK_FALSE(contains_token(r.display_url, wikis.csrf));
                        std::string central = param(r.url, "centralauthtoken");
                        if (central != "<absent>") {
                            CHECK(fw::origin_of(r.url) == fw::origin_of(target));
                            CHECK(seen_central.insert(central).second);
                            CHECK(r.display_url.find(central) == std::string::npos);
                        }
                        if (r.purpose == fw::Purpose::CentralAuthToken)
                            CHECK(fw::origin_of(r.url) == fw::origin_of(kLocalApi));
                        now += 10;
                        s.handle_response(r.id, response(200, wikis.answer(r)), now);
                    }
                    CHECK(queue.empty());
                }
    CHECK(scenarios == 64);
}
