// fuzz_session: fw::Session (wasm/core/include/fw/session.hpp) driven by a random sequence of operations: add and
// remove clients (every auth mode, Action or REST), start_action / start_rest / get_token / abort / forget_token,
// answer any request on the wire (what the fake wikis really say, a canned real or odd-typed MediaWiki answer, or
// a fuzzed one), fail it (network, timeout, abort), answer one already finished, and move the clock forward by any
// amount. session/world.hpp lists the invariants checked after every step, and the final one: once everything is
// answered, every call has ended.
// Input: one flags byte, then operations (an opcode byte and its arguments, see decode_* below), then the settle
// mode. tests/fuzz/make-corpus.py writes seeds in this format.
#define FW_FUZZ_HARNESS "fuzz_session"

#include <cmath>
#include <string>

#include "session/world.hpp"
#include "support/bytes.hpp"
#include "support/check.hpp"
#include "support/json_gen.hpp"

using fw::json;
using namespace fwfuzz;

namespace {

constexpr const char* kLocalApi = "http://127.0.0.1:8091/w/api.php";

std::string upper(std::string text) {
    for (char& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

int next_marker = 0;  // makes per-client local-wiki URLs distinct within one input

fw::ClientOptions decode_client(Bytes& in) {
    static const char* const kActionUrls[] = {"http://127.0.0.2:8092/w/api.php", "https://foreign.example/w/api.php",
                                              "http://127.0.0.1:8091/w/api.php", "https://foreign.example/w/api.php?x=1",
                                              "http://foreign.example/w/api.php", "foreign.example/w/api.php"};
    static const char* const kRestUrls[] = {"http://127.0.0.2:8092/w/rest.php", "https://foreign.example/w/rest.php",
                                            "https://foreign.example/api/rest_v1", "http://127.0.0.1:8091/w/rest.php"};
    static const char* const kPageOrigins[] = {"http://127.0.0.1:8091", "", "https://tools.example"};
    static const fw::AuthMode kModes[] = {fw::AuthMode::CentralAuth, fw::AuthMode::Cookies, fw::AuthMode::Anonymous,
                                          fw::AuthMode::Bearer};
    static const char* const kUsers[] = {"Admin", "", "Tester"};
    static const char* const kAsserts[] = {"", "user", "bot", "anon"};
    static const double kPrefetch[] = {20000, 0, 60000, 1};
    static const double kTimeouts[] = {30000, 0, 1};
    static const double kBudgets[] = {65000, 0, 1e12, 5000};
    static const double kReadonlyWaits[] = {30000, 0, 70000};

    const int marker = ++next_marker;
    fw::ClientOptions o;
    const std::uint8_t shape = in.u8();
    o.rest = (shape & 1) != 0;
    o.api_url = o.rest ? in.pick(kRestUrls) : in.pick(kActionUrls);
    o.page_origin = in.pick(kPageOrigins);
    o.auth = in.pick(kModes);
    switch (in.below(4)) {
        case 0: o.central_auth_api = kLocalApi; break;  // shared by every client of the page
        case 1: o.central_auth_api = std::string(kLocalApi) + "?fwclient=" + std::to_string(marker); break;
        case 2: o.central_auth_api = "https://meta.example/w/api.php"; break;
        default: o.central_auth_api = in.flag() ? o.api_url : ""; break;
    }
    o.local_user = in.pick(kUsers);
    if (o.auth == fw::AuthMode::Bearer || in.u8() < 16) o.bearer_token = "fwbearer" + std::to_string(marker) + "Zm9vYmFy";
    o.anonymous_fallback = (shape & 2) != 0;
    o.check_foreign_login = (shape & 4) != 0;
    // Numbers as the protocol accepts them: any finite non-negative value.
    const auto number = [&in](const double* table, std::size_t n) {
        if (in.u8() < 230) return table[in.below(n)];
        const double d = std::fabs(in.f64());
        return std::isfinite(d) ? d : 0.0;
    };
    o.prefetch_max_age_ms = number(kPrefetch, std::size(kPrefetch));
    o.assert_ = in.pick(kAsserts);
    o.assertuser = (shape & 8) != 0 ? "Admin" : "";
    switch (in.below(5)) {
        case 0: o.default_params = {{"maxlag", 5}}; break;
        case 1: o.default_params = {{"formatversion", 2}, {"errorformat", "plaintext"}}; break;
        case 2: o.default_params = {{"bad", json::object()}}; break;  // refused by encode_params at send time
        default: break;
    }
    if ((shape & 16) != 0) o.headers = {{"x-custom", "1"}};
    if ((shape & 32) != 0) o.user_agent = "fw-fuzz/1.0";
    o.user_agent_on_get = (shape & 64) != 0;
    o.timeout_ms = number(kTimeouts, std::size(kTimeouts));
    o.retry_budget_ms = number(kBudgets, std::size(kBudgets));
    o.readonly_wait_ms = number(kReadonlyWaits, std::size(kReadonlyWaits));
    // Tight nesting bounds turn ordinary answers into TooDeep (bit 128 of `shape`: the input format stays stable).
    if ((shape & 128) != 0) o.max_json_depth = 1 + marker % 3;
    return o;
}

fw::ClientId pick_client(Bytes& in, const World& w) {
    const auto ids = w.client_ids();
    const std::uint8_t b = in.u8();
    if (ids.empty() || b >= 250) return b;  // also unknown ids
    return ids[b % ids.size()];
}

std::optional<double> decode_timeout(Bytes& in) {
    static const double kTimeouts[] = {1000, 0, 60000};
    if (in.u8() < 200) return std::nullopt;
    return in.pick(kTimeouts);
}

void start_action(Bytes& in, World& w) {
    static const char* const kMethods[] = {"GET", "POST", "POST", "GET", "", "post", "PUT"};
    static const char* const kTokenTypes[] = {"", "csrf", "", "edit", "watch", "login", "rollback", "bogus"};
    fw::ActionCall c;
    c.client = pick_client(in, w);
    c.method = in.pick(kMethods);
    switch (in.below(8)) {
        case 0: c.params = {{"action", "query"}, {"meta", "userinfo"}}; break;
        case 1: c.params = {{"action", "options"}, {"change", "userjs-fw=1"}}; break;
        case 2: c.params = {{"action", "edit"}, {"title", "Main Page"}, {"text", "x"}, {"summary", "+\\ |"}}; break;
        case 3: c.params = {{"action", "query"}, {"list", "allpages"}, {"aplimit", 1}, {"titles", {"A", "B|C"}}}; break;
        case 4: c.params = {{"action", "purge"}, {"titles", "A|B"}, {"token", "caller-token"}}; break;
        case 5: c.params = {{"action", "upload"}, {"file", {{"$blob", 0}}}, {"filename", "x.png"}}; break;
        case 6: c.params = {{"x", json::object()}}; break;  // not a parameter value
        default: {
            JsonShape shape;
            c.params = random_object(in, shape, nullptr, 0, 4);
        }
    }
    c.token_type = in.pick(kTokenTypes);
    if (in.flag()) c.headers = {{"x-call", "1"}};
    c.timeout_ms = decode_timeout(in);
    trace("start_action client " + std::to_string(c.client) + " " + c.method + " " + c.params.dump(-1, ' ', false, json::error_handler_t::replace) +
          (c.token_type.empty() ? "" : " token=" + c.token_type));
    w.note_supplied(c.params.dump(-1, ' ', false, fw::json::error_handler_t::replace));
    const fw::CallId id = w.session.start_action(c, w.now);
    trace("  call " + std::to_string(id));
    w.call_started(id, c.client, upper(c.method) == "POST", false);
}

void start_rest(Bytes& in, World& w) {
    static const char* const kMethods[] = {"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "put", "get"};
    static const char* const kPaths[] = {"/v1/page/{title}", "/coredev/v0/me/contributions", "/v1/page",
                                         "/v1/page/{title}/history", "/v1/search/title", "v1/bad"};
    fw::RestCall c;
    c.client = pick_client(in, w);
    c.method = in.pick(kMethods);
    c.path = in.pick(kPaths);
    c.path_params = {{"title", in.flag() ? "Main Page" : "AC/DC"}};
    if (in.flag()) c.query = {{"limit", 20}, {"q", "a|b"}};
    switch (in.below(5)) {
        case 0: c.body = json{{"source", "x"}, {"comment", "fw"}}; break;
        case 1: c.body = json{{"source", "x"}, {"token", "caller-token"}}; break;
        case 2: c.body = json("not an object"); break;
        default: break;
    }
    switch (in.below(6)) {
        case 0: c.headers = {{"if-match", "\"3\""}}; break;
        case 1: c.headers = {{"authorization", "x"}}; break;  // refused: auth belongs to the client
        default: break;
    }
    c.timeout_ms = decode_timeout(in);
    trace("start_rest client " + std::to_string(c.client) + " " + c.method + " " + c.path);
    w.note_supplied(c.query.dump(-1, ' ', false, fw::json::error_handler_t::replace) +
                    (c.body ? c.body->dump(-1, ' ', false, fw::json::error_handler_t::replace) : std::string()));
    const fw::CallId id = w.session.start_rest(c, w.now);
    trace("  call " + std::to_string(id));
    const std::string m = upper(c.method);
    w.call_started(id, c.client, m != "GET" && m != "HEAD", false);
}

const char* decode_token_type(Bytes& in) {
    static const char* const kTypes[] = {"csrf", "edit", "watch", "login", "", "patrol", "csrf|watch"};
    return in.pick(kTypes);
}

fw::HttpResponse decode_fuzzed_answer(Bytes& in, World& w, const fw::HttpRequest& r) {
    // fetch reports 0 or 200–599.
    const std::uint16_t raw = in.u16();
    const int status = raw % 8 == 0 ? 0 : 200 + (raw >> 3) % 400;
    fw::Headers headers;
    static const char* const kNames[] = {"retry-after", "mediawiki-login-suppressed", "mediawiki-cors-rejection",
                                         "mediawiki-api-error"};
    static const char* const kValues[] = {"5", "true", "Origin mismatch", "0", "120", "maxlag", "abc"};
    for (std::size_t n = in.below(3); n > 0; --n) headers.emplace_back(in.pick(kNames), in.pick(kValues));
    const std::uint8_t kind = in.u8();
    const std::string body = in.long_str(600);
    fw::HttpResponse response = w.fuzzed_answer(r, status, std::move(headers), body, (kind & 1) != 0);
    // The driver's verdicts on a body over the request's bounds (types.hpp).
    if (kind >= 240) response.body_kind = kind & 2 ? fw::ResponseBody::TooLarge : fw::ResponseBody::TooDeep;
    return response;
}

void answer(Bytes& in, World& w, bool stale) {
    const auto ids = stale ? w.finished_requests() : w.outstanding();
    if (ids.empty()) return;
    const fw::RequestId id = ids[in.u16() % ids.size()];
    const fw::HttpRequest r = *w.request(id);
    const std::uint8_t how = in.u8();
    if (how < 100) {
        w.deliver(id, w.natural_answer(r));
    } else if (how < 230) {
        w.deliver(id, w.canned_answer(r, in.u8()));
    } else {
        w.deliver(id, decode_fuzzed_answer(in, w, r));
    }
}

void step(Bytes& in, World& w) {
    switch (in.u8() % 16) {
        case 0:
        case 1: {
            const fw::ClientOptions o = decode_client(in);
            const auto id = w.session.add_client(o);
            trace(std::string("add_client ") + fw::to_string(o.auth) + (o.rest ? " REST " : " ") + o.api_url +
                  " central=" + o.central_auth_api + " page=" + o.page_origin +
                  (id ? " -> client " + std::to_string(id.value()) : " -> refused: " + id.error().code));
            if (id) w.client_added(id.value(), o);
            break;
        }
        case 2:
        case 3: start_action(in, w); break;
        case 4: start_rest(in, w); break;
        case 5: {
            const fw::ClientId client = pick_client(in, w);
            const std::string type = decode_token_type(in);
            const fw::CallId id = w.session.get_token(client, type, w.now);
            trace("get_token client " + std::to_string(client) + " " + type + " -> call " + std::to_string(id));
            w.call_started(id, client, false, true);
            break;
        }
        case 6: {
            const auto ids = w.call_ids();
            const fw::CallId call = ids.empty() ? in.u8() : ids[in.u8() % ids.size()];
            trace("abort call " + std::to_string(call));
            w.session.abort(call, w.now);
            break;
        }
        case 7: {
            const fw::ClientId client = pick_client(in, w);
            const std::string type = decode_token_type(in);
            trace("forget_token client " + std::to_string(client) + " " + type);
            w.session.forget_token(client, type);
            break;
        }
        case 8:
        case 9:
        case 10: answer(in, w, false); break;
        case 11: {
            const auto ids = w.outstanding();
            if (ids.empty()) break;
            static const fw::TransportFailure kFailures[] = {fw::TransportFailure::Network, fw::TransportFailure::Timeout,
                                                             fw::TransportFailure::Abort};
            const fw::RequestId id = ids[in.u16() % ids.size()];
            w.fail(id, in.pick(kFailures));
            break;
        }
        case 12: {
            static const double kJumps[] = {0, 1, 4999, 5000, 5001, 20000, 20001, 30000, 60000, 65001, 1e6};
            const std::uint8_t how = in.u8();
            double by = how < 200 ? kJumps[how % std::size(kJumps)] : how < 250 ? double(in.u32()) : std::fabs(in.f64());
            if (how == 255 && w.session.next_timeout()) by = std::max(0.0, *w.session.next_timeout() - w.now);
            w.advance_clock(by);
            break;
        }
        case 13: answer(in, w, true); break;
        case 14: {
            const fw::ClientId client = pick_client(in, w);
            trace("remove_client " + std::to_string(client));
            w.session.remove_client(client, w.now);
            w.client_removed(client);
            break;
        }
        default: {
            const fw::CallId id = w.session.reject(fw::usage_error("bad-json", "Expected a JSON object."), w.now);
            w.call_started(id, 0, false, false);
            break;
        }
    }
    w.drain();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    next_marker = 0;
    World w((in.u8() & 1) != 0);
    for (int steps = 0; steps < 160 && in.remaining() > 1; ++steps) step(in, w);
    w.settle(in.u8() % 3);
    return 0;
}
