// The sequencing of every cross-wiki call lives here, in advance(); its phases and their moves are the table of
// call_phase.cpp, and every decision after a refusal, about the anonymous fallback and about the centralauthtoken
// pocket is a pure function of decisions.cpp:
//
//   [login check, once, in parallel]   optional: is the user already logged in on the foreign wiki?
//   identical read under way?  follow it (coalescing.cpp)
//   token?      cached → use; else one shared meta=tokens fetch (itself a call, with its own centralauthtoken)
//   centralauthtoken?  the pocket's when fresh (its replacement minted beside the call) → use; else mint one now,
//               in parallel with the token fetch
//   send        the request, token last in the body, centralauthtoken in the URL or header
//   answer      success → Completed (and after a cold burst, fill the pocket for the next call)
//               refused for certain (badtoken, centralauthtoken, maxlag, readonly, Retry-After) → retry
//               anything else → Failed; an ambiguous failure of a write is never repeated
#include "fw/session.hpp"

#include <algorithm>

#include "decisions.hpp"
#include "fw/action_request.hpp"
#include "fw/classify.hpp"
#include "fw/cors.hpp"
#include "fw/params.hpp"
#include "fw/rest_request.hpp"
#include "json_read.hpp"
#include "session_state.hpp"
#include "text.hpp"

namespace fw {

namespace {

void set_header(Headers& headers, const std::string& name, const std::string& value) {
    for (auto& h : headers)
        if (h.first == name) {
            h.second = value;
            return;
        }
    headers.emplace_back(name, value);
}

bool has_header(const Headers& headers, const std::string& name) {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
}

}  // namespace

const char* to_string(AuthMode mode) {
    switch (mode) {
        case AuthMode::Anonymous: return "anonymous";
        case AuthMode::Cookies: return "cookies";
        case AuthMode::CentralAuth: return "centralauth";
        case AuthMode::Bearer: return "bearer";
        case AuthMode::OAuth1: return "oauth1";
    }
    return "cookies";
}

std::string Session::normalize_token_type(const std::string& type) {
    static const char* const legacy[] = {"edit",    "delete", "protect", "move",   "block",
                                         "unblock", "email",  "import",  "options"};
    for (const char* l : legacy)
        if (type == l) return "csrf";
    return type;
}

namespace detail {

bool is_write_method(const std::string& method) { return method != "GET" && method != "HEAD"; }

std::string api_url_for_rest(const std::string& rest_url) {
    // …/rest.php → …/api.php: a cookie-session REST write needs a csrf token from the Action API.
    const std::string suffix = "rest.php";
    auto pos = rest_url.rfind(suffix);
    if (pos == std::string::npos) return "";
    return rest_url.substr(0, pos) + "api.php";
}

Error make_error(ErrorCategory category, std::string code, std::string info) {
    Error e;
    e.category = category;
    e.code = std::move(code);
    e.info = std::move(info);
    return e;
}

AuthMode effective_mode(const ClientState& client, const CallState& call) {
    if (call.anonymous) return AuthMode::Anonymous;
    if (call.force_cookies) return AuthMode::Cookies;
    if (client.options.auth == AuthMode::CentralAuth && client.foreign_login == ClientState::ForeignLogin::LoggedIn)
        return AuthMode::Cookies;
    return client.options.auth;
}

HttpRequest& new_request(State& s, CallId call, Purpose purpose, std::string why) {
    HttpRequest r;
    r.id = s.next_request++;
    r.call = call;
    r.purpose = purpose;
    r.why = std::move(why);
    s.outbox.push_back(std::move(r));
    return s.outbox.back();
}

void add_common_headers(const ClientOptions& o, const std::string& method, const Headers& call_headers, Headers& out) {
    for (const auto& h : o.headers) set_header(out, h.first, h.second);
    for (const auto& h : call_headers) set_header(out, h.first, h.second);
    // A custom header makes every cross-origin request preflighted: on GET only when asked for.
    if (!o.user_agent.empty() && !has_header(out, "api-user-agent") && (method != "GET" || o.user_agent_on_get))
        out.emplace_back("api-user-agent", o.user_agent);
}
CallState& new_call(State& s, CallKind kind, ClientId client, TimeMs now) {
    CallState c;
    c.id = s.next_call++;
    c.kind = kind;
    c.client = client;
    c.started = now;
    return s.calls.emplace(c.id, std::move(c)).first->second;
}

void advance(State& s, CallState& call, TimeMs now);

void finish_call(State& s, CallId id) {
    auto it = s.calls.find(id);
    if (it == s.calls.end()) return;
    CallState& call = it->second;
    if (call.in_flight) {
        s.call_requests.erase(call.in_flight);
        s.cancels.push_back(call.in_flight);
    }
    std::vector<RequestId> orphans;
    for (const auto& cr : s.central_requests)
        if (cr.second.for_call == id) orphans.push_back(cr.first);
    for (RequestId request : orphans) {
        // A token still on its way can serve as the client's prefetch; otherwise nobody needs it.
        CentralTokenRequest& cr = s.central_requests.at(request);
        auto client = s.clients.find(cr.client);
        if (client != s.clients.end() && client->second.prefetch.state == ClientState::Prefetch::State::None &&
            client->second.options.prefetch_max_age_ms > 0) {
            cr.for_call = 0;
            client->second.prefetch.state = ClientState::Prefetch::State::Fetching;
            client->second.prefetch.request = request;
        } else {
            s.central_requests.erase(request);
            s.cancels.push_back(request);
        }
    }
    for (auto& entry : s.tokens) {
        auto& w = entry.second.waiters;
        w.erase(std::remove(w.begin(), w.end(), id), w.end());
    }
    enter(call, Phase::Done);
    if (!call.shared_key.empty()) {
        auto shared = s.shared_reads.find(call.shared_key);
        if (shared != s.shared_reads.end() && shared->second == id) s.shared_reads.erase(shared);
    }
    s.calls.erase(it);
}

void emit_completed(State& s, CallState& call, RequestId response_of, const json& warnings, TimeMs now) {
    Event e{Event::Kind::Completed, Completed{call.id, response_of, warnings, call.anonymous, ""}, {}, {}};
    s.events.push_back(e);
    settle_followers(s, call, e);
    const ClientId client = call.client;
    const bool had_central_token = !call.anonymous;  // after a fallback, a prefetch would fail the same way
    finish_call(s, call.id);
    if (had_central_token) refill_pocket_after_burst(s, client, now);
}

// Ends a call with an error. Only the caller's own calls report it; an internal call hands it to whoever waits.
void fail_call(State& s, CallState& call, Error error, RequestId response_of) {
    if (!call.write) error.performed = Performed::No;  // a read changes nothing, whatever happened to it
    if (error.performed == Performed::Maybe)
        error.info += " The write may or may not have been performed; it was not repeated.";
    switch (call.kind) {
        case CallKind::User: {
            Event e{Event::Kind::Failed, {}, Failed{call.id, std::move(error), response_of}, {}};
            s.events.push_back(e);
            settle_followers(s, call, e);
            finish_call(s, call.id);
            break;
        }
        case CallKind::TokenFetch: {
            const std::string key = call.token_key;
            finish_call(s, call.id);
            wake_token_waiters(s, key, &error, 0);
            break;
        }
        case CallKind::LoginCheck:
            if (auto c = s.clients.find(call.client); c != s.clients.end())
                c->second.foreign_login = ClientState::ForeignLogin::NotLoggedIn;
            finish_call(s, call.id);
            break;
    }
}

Error abort_error(const CallState& call, const char* info) {
    Error e = make_error(ErrorCategory::Abort, "abort", info);
    if (call.in_flight) e.performed = Performed::Maybe;  // its request may already be at the server
    return e;
}

void start_login_check(State& s, ClientId client_id, TimeMs now) {
    ClientState& client = s.clients.at(client_id);
    client.foreign_login = ClientState::ForeignLogin::Checking;
    CallState& check = new_call(s, CallKind::LoginCheck, client_id, now);
    check.target_url = client.options.api_url;
    check.force_cookies = true;
    check.action.params = {{"action", "query"}, {"meta", "userinfo|tokens"}, {"type", "csrf"}};
    advance(s, check, now);
}

// A Bearer token in a URL reaches server and proxy logs, the browser's history and the trace, whoever's it is and
// however the caller put it there (as it is or percent-encoded; a key or a value): such a request is not sent.
bool url_holds_a_bearer_token(const State& s, const std::string& url) {
    for (const auto& entry : s.clients) {
        const std::string& token = entry.second.options.bearer_token;
        if (token.empty()) continue;
        if (url.find(token) != std::string::npos || url.find(percent_encode(token)) != std::string::npos) return true;
    }
    return false;
}

// Builds the call's request (Action or REST) with its auth, and puts it on the wire.
void send(State& s, CallState& call) {
    ClientState& client = s.clients.at(call.client);
    const auto& o = client.options;
    const AuthMode mode = effective_mode(client, call);
    std::string why;
    switch (call.kind) {
        case CallKind::TokenFetch:
            why = "fetch the " + call.token_type + " token (shared by every waiting call)";
            break;
        case CallKind::LoginCheck: why = "is the user already logged in on the foreign wiki (cookies)?"; break;
        case CallKind::User: why = call.attempts == 0 ? "the call itself" : call.retry_reason; break;
    }
    Purpose purpose = call.kind == CallKind::TokenFetch   ? Purpose::Token
                      : call.kind == CallKind::LoginCheck ? Purpose::LoginCheck
                      : call.attempts == 0                ? Purpose::Call
                                                          : Purpose::Retry;
    HttpRequest r;
    r.id = s.next_request++;
    r.call = call.kind == CallKind::User ? call.id : 0;
    r.purpose = purpose;
    r.why = std::move(why);
    std::optional<Error> error;
    if (!call.rest) {
        json params = o.default_params.is_object() ? o.default_params : json::object();
        for (auto& item : call.action.params.items()) params[item.key()] = item.value();
        if (!params.contains("action")) params["action"] = "query";
        if (!params.contains("format")) params["format"] = "json";
        if (!o.assert_.empty() && !params.contains("assert")) params["assert"] = o.assert_;
        if (!o.assertuser.empty() && !params.contains("assertuser")) params["assertuser"] = o.assertuser;
        auto encoded = encode_params(params, call.action.method == "POST");
        if (!encoded) {
            fail_call(s, call, encoded.error());
            return;
        }
        const WireAuth wire = action_wire_auth(mode, o.page_origin, call.target_url, o.crossorigin);
        ActionRequestSpec spec;
        spec.api_url = call.target_url;
        spec.method = call.action.method;
        spec.params = std::move(encoded.value());
        spec.origin = wire.origin;
        spec.crossorigin = wire.crossorigin;
        if (mode == AuthMode::CentralAuth) spec.centralauthtoken = call.central_token;
        spec.token = call.kind == CallKind::User ? call.token : "";
        error = build_action_request(spec, r);
        r.credentials = wire.credentials;
        if (mode == AuthMode::Bearer) r.headers.emplace_back("authorization", "Bearer " + o.bearer_token);
    } else {
        RestRequestSpec spec;
        spec.base_url = call.target_url;
        spec.method = call.rest_call.method;
        spec.path = call.rest_call.path;
        spec.path_params = call.rest_call.path_params;
        spec.query = call.rest_call.query;
        spec.body = call.rest_call.body;
        spec.headers = call.rest_call.headers;
        if (!call.token.empty()) (*spec.body)["token"] = call.token;  // cookie sessions only (see start_rest)
        error = build_rest_request(spec, r);
        r.credentials = rest_credentials(mode);
        if (mode == AuthMode::CentralAuth)
            r.headers.emplace_back("authorization", "CentralAuthToken " + call.central_token);
        if (mode == AuthMode::Bearer) r.headers.emplace_back("authorization", "Bearer " + o.bearer_token);
    }
    if (!error && url_holds_a_bearer_token(s, r.url)) {
        error = usage_error("bearer-in-url",
                            "The request URL would hold a Bearer token, which would end up in server logs. Send that "
                            "value with POST, or let the bearerToken option send it in the Authorization header.");
    }
    if (error) {
        fail_call(s, call, *error);
        return;
    }
    add_common_headers(
        o, r.method,
        call.kind == CallKind::User ? (call.rest ? call.rest_call.headers : call.action.headers) : Headers{},
        r.headers);
    r.no_store = call.kind != CallKind::User;
    const auto& timeout = call.rest ? call.rest_call.timeout_ms : call.action.timeout_ms;
    r.timeout_ms = timeout ? *timeout : o.timeout_ms;
    r.max_body_bytes = o.max_body_bytes;
    r.max_json_depth = o.max_json_depth;
    call.sent_token_asked = call.central_token.empty() ? -1 : call.central_token_asked;
    if (mode == AuthMode::OAuth1) r.signer = o.oauth1_signer;
    call.central_token.clear();  // single use: consumed by this request whatever its fate
    call.in_flight = r.id;
    enter(call, Phase::InFlight);
    call.attempts++;
    s.call_requests[r.id] = call.id;
    s.outbox.push_back(std::move(r));
}

// The whole sequencing of one call. Called whenever something the call waits for has arrived.
void advance(State& s, CallState& call, TimeMs now) {
    if (call.in_flight || call.retry_at >= 0 || call.follows) return;
    const CallId id = call.id;
    ClientState& client = s.clients.at(call.client);

    // First call of a CentralAuth client: look for an existing foreign login in parallel, never in front of it.
    if (call.kind == CallKind::User && !call.rest && client.options.check_foreign_login &&
        client.options.auth == AuthMode::CentralAuth && client.foreign_login == ClientState::ForeignLogin::Unknown)
        start_login_check(s, call.client, now);

    // Ask for everything the request needs at once, so independent fetches run in parallel.
    const bool have_token = call.token_type.empty() || call.kind != CallKind::User || obtain_token(s, call, now);
    if (s.calls.find(id) == s.calls.end()) return;  // the token fetch failed at once and ended this call
    if (call.token_only) {
        if (have_token) {
            s.events.push_back(
                Event{Event::Kind::Completed, Completed{id, 0, json::array(), false, call.token}, {}, {}});
            finish_call(s, id);
        }
        return;
    }
    const bool have_central = !needs_central_token(client, call) || obtain_central_token(s, call, now);
    if (!have_token || !have_central) {
        enter(call, Phase::Preparing);
        return;
    }
    send(s, call);
}
// --- answers ---------------------------------------------------------------------------------------------------------

// Applies decide_after_error (decisions.cpp). Returns false when the call is to fail.
bool retry_if_decided(State& s, CallState& call, AuthMode mode, const Classified& c, TimeMs now) {
    const Decision d = decide_after_error(call, s.clients.at(call.client).options, mode, c, now);
    switch (d.kind) {
        case Decision::Kind::Fail: return false;
        case Decision::Kind::RetryWithFreshToken: {
            auto it = s.tokens.find(call.token_key);
            if (it != s.tokens.end() && it->second.state == TokenEntry::State::Ready && it->second.value == call.token)
                s.tokens.erase(it);
            call.token.clear();
            call.badtoken_retries++;
            break;
        }
        case Decision::Kind::RetryWithFreshCentral: call.central_retries++; break;
        case Decision::Kind::RetryAfterWait:
            call.retry_at = d.at;  // handle_timeout() sends it again
            call.retry_reason = d.reason;
            enter(call, Phase::WaitingRetry);
            return true;
    }
    call.retry_reason = d.reason;
    advance(s, call, now);
    return true;
}

void on_call_response(State& s, CallState& call, RequestId request, const HttpResponse& response, TimeMs now) {
    ClientState& client = s.clients.at(call.client);
    const AuthMode mode = effective_mode(client, call);
    ClassifyContext ctx;
    ctx.expect_login = mode != AuthMode::Anonymous;
    ctx.oauth = mode == AuthMode::Bearer || mode == AuthMode::OAuth1;
    ctx.write = call.write;
    if (call.write && !call.rest) ctx.write_module = read::string_member(call.action.params, "action");
    Classified c = call.rest ? classify_rest(response, ctx) : classify_action(response, ctx);

    if (call.kind == CallKind::LoginCheck) {
        const json* query = c.error ? nullptr : read::member(response.body, "query");
        const json* info = query ? read::member(*query, "userinfo") : nullptr;
        const bool logged_in = info && info->is_object() && !read::member(*info, "anon") &&
                               read::string_member(*info, "name") == client.options.local_user;
        client.foreign_login = logged_in ? ClientState::ForeignLogin::LoggedIn : ClientState::ForeignLogin::NotLoggedIn;
        if (logged_in) {
            const json* tokens = query ? read::member(*query, "tokens") : nullptr;
            if (auto csrf = tokens ? read::token_member(*tokens, "csrftoken") : std::nullopt) {
                TokenEntry entry;
                entry.state = TokenEntry::State::Ready;
                entry.value = *csrf;
                s.tokens.emplace(token_key(call.target_url, identity_of(client, AuthMode::Cookies), "csrf"), entry);
            }
        }
        s.events.push_back(
            Event{Event::Kind::Notice,
                  {},
                  {},
                  Notice{0, logged_in ? "foreign-login" : "no-foreign-login",
                         logged_in ? "Already logged in on the foreign wiki: later calls use cookies."
                                   : "Not logged in on the foreign wiki: calls use centralauthtokens."}});
        finish_call(s, call.id);
        return;
    }

    // rest.php runs a request whose CentralAuthToken expired on the way anonymously (MediaWiki 1.39 fails open:
    // bench/soak/README.md, rest-expired-anonymous). An answer after the token's lifetime may be such a run, unless
    // it is a certain refusal: a read goes again with a fresh token, a write is reported.
    if (call.rest && mode == AuthMode::CentralAuth && call.sent_token_asked >= 0 &&
        now - call.sent_token_asked > kCentralTokenLifetimeMs && (!c.error || c.error->performed == Performed::Maybe)) {
        Classified expired;
        expired.error = make_error(ErrorCategory::CentralAuth, "centralauthtoken-expired",
                                   "The answer came after the CentralAuthToken's 60 s lifetime: the wiki may have run "
                                   "the request anonymously (rest.php does not refuse an expired token).");
        expired.error->status = response.status;
        expired.error->result = response.body;
        expired.error->performed = call.write ? Performed::Maybe : Performed::No;
        if (retry_if_decided(s, call, mode, expired, now)) return;
        fail_call(s, call, *expired.error, request);
        return;
    }

    if (c.error) {
        if (retry_if_decided(s, call, mode, c, now)) return;
        fail_call(s, call, *c.error, request);
        return;
    }

    if (call.kind == CallKind::TokenFetch) {
        const std::string key = call.token_key;
        const std::string name = call.token_type + "token";
        const json* query = read::member(response.body, "query");
        const json* tokens = query ? read::member(*query, "tokens") : nullptr;
        const std::optional<std::string> token = tokens ? read::token_member(*tokens, name.c_str()) : std::nullopt;
        if (!token) {
            Error e = make_error(ErrorCategory::Api, "token-missing",
                                 "The wiki returned no " + call.token_type +
                                     " token (unknown token type, or not allowed for this user or origin).");
            e.result = response.body;
            e.status = response.status;
            fail_call(s, call, std::move(e), request);
            return;
        }
        auto it = s.tokens.find(key);
        if (it != s.tokens.end()) {
            it->second.state = TokenEntry::State::Ready;
            it->second.value = *token;
        }
        finish_call(s, call.id);
        wake_token_waiters(s, key, nullptr, now);
        return;
    }
    emit_completed(s, call, request, c.warnings, now);
}
}  // namespace detail

using namespace detail;

// ---------------------------------------------------------------------------------------------------------------
// Public surface.

Session::Session() : state_(std::make_unique<State>()) {}
Session::~Session() = default;

Expected<ClientId> Session::add_client(const ClientOptions& options) {
    if (origin_of(options.api_url).empty())
        return usage_error("bad-url", "The API URL must be an absolute http(s) URL: \"" + options.api_url + "\".");
    switch (options.auth) {
        case AuthMode::CentralAuth:
            if (origin_of(options.central_auth_api).empty())
                return usage_error("bad-auth",
                                   "CentralAuth needs the local wiki's api.php URL (the centralAuth option).");
            if (origin_of(options.central_auth_api) == origin_of(options.api_url))
                return usage_error("bad-auth",
                                   "The centralAuth URL is the target wiki itself; use cookies for the local wiki.");
            break;
        case AuthMode::Bearer:
            if (options.bearer_token.empty())
                return usage_error("bad-auth", "Bearer authentication needs an access token.");
            if (origin_of(options.api_url).rfind("https://", 0) != 0 &&
                origin_of(options.api_url).find("://127.") == std::string::npos &&
                origin_of(options.api_url).find("://localhost") == std::string::npos)
                return usage_error("bad-auth", "A Bearer token is only sent over https (or to a loopback host).");
            break;
        case AuthMode::OAuth1:
            if (options.oauth1_signer == 0 || options.oauth1_identity.empty())
                return usage_error("bad-auth", "OAuth 1 needs a signer from foreign-wasm/oauth1 (Node only).");
            break;
        default: break;
    }
    if (!options.default_params.is_object() && !options.default_params.is_null())
        return usage_error("bad-params", "The default parameters must be an object.");
    ClientId id = state_->next_client++;
    ClientState client;
    client.options = options;
    state_->clients.emplace(id, std::move(client));
    return id;
}

void Session::remove_client(ClientId client, TimeMs now) {
    auto it = state_->clients.find(client);
    if (it == state_->clients.end()) return;
    if (it->second.prefetch.state == ClientState::Prefetch::State::Fetching) {
        state_->central_requests.erase(it->second.prefetch.request);
        state_->cancels.push_back(it->second.prefetch.request);
    }
    it->second.prefetch = ClientState::Prefetch{};  // a call still advanced below must not adopt the cancelled one
    std::vector<CallId> owned;
    for (auto& entry : state_->calls)
        if (entry.second.client == client) owned.push_back(entry.first);
    for (CallId id : owned) {
        auto c = state_->calls.find(id);
        if (c == state_->calls.end()) continue;
        if (c->second.kind == CallKind::User) {
            promote_followers(*state_, c->second, now);
            fail_call(*state_, c->second, abort_error(c->second, "The client was removed."));
        } else if (c->second.kind == CallKind::TokenFetch) {
            // Calls of other clients may share this fetch (same wiki and identity): they start one of their own.
            const std::string key = c->second.token_key;
            finish_call(*state_, id);
            restart_token_waiters(*state_, key, client, now);
        } else {
            finish_call(*state_, id);
        }
    }
    state_->clients.erase(it);
}

CallId Session::start_action(const ActionCall& request, TimeMs now) {
    State& s = *state_;
    ClientId client_id = request.client;
    auto client_it = s.clients.find(client_id);
    CallState& call = new_call(s, CallKind::User, client_id, now);
    const CallId id = call.id;
    if (client_it == s.clients.end() || client_it->second.options.rest) {
        fail_call(s, call, usage_error("bad-client", "Unknown client, or a REST client used for an Action API call."));
        return id;
    }
    call.target_url = client_it->second.options.api_url;
    call.action = request;
    call.action.method = text::to_upper_ascii(call.action.method);  // "post" is a write too
    if (call.action.method.empty()) call.action.method = "GET";
    if (!call.action.params.is_object()) {
        fail_call(s, call, usage_error("bad-params", "Parameters must be an object."));
        return id;
    }
    if (!request.token_type.empty()) call.token_type = normalize_token_type(request.token_type);
    call.write = call.action.method == "POST";
    if (call.action.params.contains("token") && !call.token_type.empty())
        call.action.params.erase("token");  // the session supplies the token
    if (join_identical_read(s, call)) return id;
    advance(s, call, now);
    return id;
}

CallId Session::start_rest(const RestCall& request, TimeMs now) {
    State& s = *state_;
    auto client_it = s.clients.find(request.client);
    CallState& call = new_call(s, CallKind::User, request.client, now);
    const CallId id = call.id;
    if (client_it == s.clients.end() || !client_it->second.options.rest) {
        fail_call(s, call, usage_error("bad-client", "Unknown client, or an Action API client used for REST."));
        return id;
    }
    const ClientState& client = client_it->second;
    call.rest = true;
    call.target_url = client.options.api_url;
    call.rest_call = request;
    call.rest_call.method = text::to_upper_ascii(request.method);  // "get" is a read, "put" a write
    if (call.rest_call.method.empty()) call.rest_call.method = "GET";
    call.write = is_write_method(call.rest_call.method);
    const AuthMode mode = effective_mode(client, call);
    const bool body_token = request.body && request.body->is_object() && request.body->contains("token");
    if (body_token && (mode == AuthMode::CentralAuth || mode == AuthMode::Bearer || mode == AuthMode::OAuth1)) {
        fail_call(s, call,
                  usage_error("token-with-header-auth",
                              "A body token must not be sent with header authentication "
                              "(MediaWiki rejects it as rest-extraneous-csrf-token)."));
        return id;
    }
    // A cookie session must prove it is not a CSRF: the csrf token from the Action API goes in the JSON body.
    if (call.write && mode == AuthMode::Cookies && !body_token) {
        if (request.body && !request.body->is_object()) {
            fail_call(s, call,
                      usage_error("bad-body",
                                  "A REST write with cookies needs a JSON object body "
                                  "(the csrf token is added to it)."));
            return id;
        }
        if (!call.rest_call.body) call.rest_call.body = json::object();
        call.token_type = "csrf";
    }
    if (join_identical_read(s, call)) return id;
    advance(s, call, now);
    return id;
}

CallId Session::get_token(ClientId client, const std::string& type, TimeMs now, const std::string& assert_,
                          const std::string& assertuser) {
    State& s = *state_;
    CallState& call = new_call(s, CallKind::User, client, now);
    const CallId id = call.id;
    auto client_it = s.clients.find(client);
    if (client_it == s.clients.end() || type.empty()) {
        fail_call(s, call, usage_error("bad-client", "Unknown client, or no token type."));
        return id;
    }
    call.rest = client_it->second.options.rest;
    call.target_url = client_it->second.options.api_url;
    call.token_type = normalize_token_type(type);
    call.token_only = true;
    // Read by obtain_token (token_cache.cpp) like a postWithToken call's own parameters; nothing else is sent.
    if (!assert_.empty()) call.action.params["assert"] = assert_;
    if (!assertuser.empty()) call.action.params["assertuser"] = assertuser;
    advance(s, call, now);
    return id;
}

CallId Session::reject(const Error& error, TimeMs now) {
    CallState& call = new_call(*state_, CallKind::User, 0, now);
    const CallId id = call.id;
    fail_call(*state_, call, error);
    return id;
}

void Session::abort(CallId id, TimeMs now) {
    auto it = state_->calls.find(id);
    if (it == state_->calls.end() || it->second.kind != CallKind::User) return;
    promote_followers(*state_, it->second, now);  // the others still want the answer
    fail_call(*state_, it->second, abort_error(it->second, "The call was aborted."));
}

void Session::forget_token(ClientId client_id, const std::string& type) {
    auto client = state_->clients.find(client_id);
    if (client == state_->clients.end()) return;
    const std::string normalized = normalize_token_type(type);
    for (auto it = state_->tokens.begin(); it != state_->tokens.end();) {
        const bool same_wiki = it->first.rfind(client->second.options.api_url + "\n", 0) == 0;
        const bool same_type =
            it->first.size() > normalized.size() &&
            it->first.compare(it->first.size() - normalized.size() - 1, std::string::npos, "\n" + normalized) == 0;
        if (same_wiki && same_type && it->second.state == TokenEntry::State::Ready)
            it = state_->tokens.erase(it);
        else
            ++it;
    }
}

namespace {

// The nesting bound of the client that sent `request` (the default when it is unknown).
int depth_limit(const Session::State& s, RequestId request) {
    ClientId client = 0;
    if (auto central = s.central_requests.find(request); central != s.central_requests.end())
        client = central->second.client;
    if (auto owner = s.call_requests.find(request); owner != s.call_requests.end()) {
        if (auto call = s.calls.find(owner->second); call != s.calls.end()) client = call->second.client;
    }
    auto found = s.clients.find(client);
    return found != s.clients.end() ? found->second.options.max_json_depth : ClientOptions{}.max_json_depth;
}

}  // namespace

void Session::handle_response(RequestId request, const HttpResponse& response, TimeMs now) {
    State& s = *state_;
    // The driver bounds what it hands over; this keeps the core safe from any driver (a deep value would recurse).
    if (response.body_kind == ResponseBody::Json && read::deeper_than(response.body, depth_limit(s, request))) {
        HttpResponse bounded;
        bounded.status = response.status;
        bounded.headers = response.headers;
        bounded.body_kind = ResponseBody::TooDeep;
        handle_response(request, bounded, now);
        return;
    }
    if (s.central_requests.count(request)) {
        on_central_token_response(s, request, response, now);
        return;
    }
    auto owner = s.call_requests.find(request);
    if (owner == s.call_requests.end()) return;  // cancelled or unknown: nothing waits for it
    const CallId call_id = owner->second;
    s.call_requests.erase(owner);
    auto call = s.calls.find(call_id);
    if (call == s.calls.end()) return;
    call->second.in_flight = 0;
    on_call_response(s, call->second, request, response, now);
}

void Session::handle_failure(RequestId request, TransportFailure failure, TimeMs now) {
    if (failure == TransportFailure::Network) {
        handle_response(request, HttpResponse{}, now);
        return;
    }
    State& s = *state_;
    Error e = failure == TransportFailure::Timeout
                  ? make_error(ErrorCategory::Timeout, "timeout", "The request timed out.")
                  : make_error(ErrorCategory::Abort, "abort", "The request was aborted.");
    if (s.central_requests.count(request)) {
        on_central_token_failure(s, request, std::move(e), now);
        return;
    }
    auto owner = s.call_requests.find(request);
    if (owner == s.call_requests.end()) return;
    const CallId call_id = owner->second;
    s.call_requests.erase(owner);
    auto call = s.calls.find(call_id);
    if (call == s.calls.end()) return;
    call->second.in_flight = 0;
    e.performed = Performed::Maybe;  // the request left: a write may have reached the server (reads are reset)
    fail_call(s, call->second, e);
}

void Session::handle_timeout(TimeMs now) {
    std::vector<CallId> due;
    for (auto& entry : state_->calls)
        if (entry.second.retry_at >= 0 && entry.second.retry_at <= now) due.push_back(entry.first);
    for (CallId id : due) {
        auto it = state_->calls.find(id);
        if (it == state_->calls.end()) continue;
        it->second.retry_at = -1;
        advance(*state_, it->second, now);
    }
}

std::optional<HttpRequest> Session::poll_request() {
    if (state_->outbox.empty()) return std::nullopt;
    HttpRequest r = std::move(state_->outbox.front());
    state_->outbox.erase(state_->outbox.begin());
    return r;
}

std::optional<RequestId> Session::poll_cancel() {
    if (state_->cancels.empty()) return std::nullopt;
    RequestId r = state_->cancels.front();
    state_->cancels.erase(state_->cancels.begin());
    return r;
}

std::optional<Event> Session::poll_event() {
    if (state_->events.empty()) return std::nullopt;
    Event e = std::move(state_->events.front());
    state_->events.erase(state_->events.begin());
    return e;
}

std::optional<TimeMs> Session::next_timeout() const {
    std::optional<TimeMs> earliest;
    for (const auto& entry : state_->calls)
        if (entry.second.retry_at >= 0 && (!earliest || entry.second.retry_at < *earliest))
            earliest = entry.second.retry_at;
    return earliest;
}

}  // namespace fw