// centralauthtokens: one per foreign request, minted on the local wiki, never reused, prefetched at most one ahead.
#include <algorithm>

#include "decisions.hpp"
#include "fw/action_request.hpp"
#include "fw/classify.hpp"
#include "fw/cors.hpp"
#include "json_read.hpp"
#include "session_state.hpp"

namespace fw::detail {

bool needs_central_token(const ClientState& client, const CallState& call) {
    return effective_mode(client, call) == AuthMode::CentralAuth;
}

// `for_call` is the call that will use the token (0: a prefetch), `trace_call` the id traces attribute it to.
void request_central_token(State& s, ClientId client_id, CallId for_call, CallId trace_call, TimeMs now,
                           const std::string& why) {
    ClientState& client = s.clients.at(client_id);
    const auto& o = client.options;
    const WireAuth wire = action_wire_auth(AuthMode::Cookies, o.page_origin, o.central_auth_api);
    ActionRequestSpec spec;
    spec.api_url = o.central_auth_api;
    spec.params = {{"action", "centralauthtoken", -1}, {"format", "json", -1}};
    spec.origin = wire.origin;
    HttpRequest& r = new_request(s, trace_call, Purpose::CentralAuthToken, why);
    build_action_request(spec, r);  // cannot fail: fixed params, GET, no token
    r.credentials = wire.credentials;
    r.no_store = true;
    r.timeout_ms = o.timeout_ms;
    r.max_body_bytes = o.max_body_bytes;
    r.max_json_depth = o.max_json_depth;
    add_common_headers(o, "GET", {}, r.headers);
    s.central_requests[r.id] = CentralTokenRequest{client_id, for_call, now, trace_call};
}

// Gives `call` a centralauthtoken: the one in the client's pocket when fresh (or on its way), else a new request.
// A call that takes the pocket's token mints its replacement at once, in parallel with itself; a cold call fills
// the pocket as soon as its own token arrives (on_central_token_response). Either way the next call finds one ready
// however soon it starts (two writes back to back). Returns true when the token is in hand.
bool obtain_central_token(State& s, CallState& call, TimeMs now) {
    if (!call.central_token.empty()) return true;
    if (call.central_token_pending) return false;
    ClientState& client = s.clients.at(call.client);
    auto& pre = client.prefetch;
    if (pre.state == ClientState::Prefetch::State::Ready) {
        const bool fresh = now - pre.minted_at <= client.options.prefetch_max_age_ms;
        pre.state = ClientState::Prefetch::State::None;
        if (fresh) {
            call.central_token = std::move(pre.token);
            call.central_token_asked = pre.minted_at;
            pre.token.clear();
            refill_pocket(s, call.client, now);
            return true;
        }
        pre.token.clear();
        s.events.push_back(Event{Event::Kind::Notice,
                                 {},
                                 {},
                                 Notice{caller_visible_id(call), "centralauthtoken-prefetch-expired",
                                        "A prefetched centralauthtoken was too old to use and was discarded."}});
    }
    if (pre.state == ClientState::Prefetch::State::Fetching) {
        // Adopt the token already on the wire: it was minted for this client's next call.
        s.central_requests.at(pre.request).for_call = call.id;
        pre.state = ClientState::Prefetch::State::None;
        call.central_token_pending = true;
        refill_pocket(s, call.client, now);
        return false;
    }
    const std::string why = call.kind == CallKind::User
                                ? "single-use centralauthtoken for the next request of call " + std::to_string(call.id)
                                : std::string("single-use centralauthtoken for the shared token fetch");
    request_central_token(s, call.client, call.id, caller_visible_id(call), now, why);
    call.central_token_pending = true;
    return false;
}

void refill_pocket(State& s, ClientId client_id, TimeMs now) {
    auto it = s.clients.find(client_id);
    if (it == s.clients.end() || !decide_pocket_refill(it->second, false, false)) return;
    ClientState& client = it->second;
    request_central_token(
        s, client_id, 0, 0, now,
        "centralauthtoken for the pocket: the next call of this client (kept at most " +
            std::to_string(static_cast<long long>(std::min(client.options.prefetch_max_age_ms / 1000, 1e15))) + " s)");
    client.prefetch.state = ClientState::Prefetch::State::Fetching;
    client.prefetch.request = s.outbox.back().id;
}

void refill_pocket_after_burst(State& s, ClientId client_id, TimeMs now) {
    auto it = s.clients.find(client_id);
    if (it == s.clients.end()) return;
    bool in_flight = false;
    for (const auto& entry : s.calls) in_flight = in_flight || entry.second.client == client_id;
    if (decide_pocket_refill(it->second, true, in_flight)) refill_pocket(s, client_id, now);
}

namespace {

// The call moved on without its centralauthtoken (the login check found the user logged in on the wiki and switched
// it to its cookies): the token request's outcome is no longer the call's, whatever it is; a call still preparing
// goes on from where it is, one whose request is out is left alone. An unused token is simply dropped (single-use,
// short-lived).
bool moved_on_without_it(State& s, const ClientState& client, CallState& call, TimeMs now) {
    if (needs_central_token(client, call)) return false;
    if (!call.in_flight) advance(s, call, now);
    return true;
}

}  // namespace

void on_central_token_failure(State& s, RequestId request, Error error, TimeMs now) {
    const CentralTokenRequest cr = s.central_requests.at(request);
    s.central_requests.erase(request);
    auto client = s.clients.find(cr.client);
    if (cr.for_call == 0) {  // a prefetch
        if (client != s.clients.end() && client->second.prefetch.request == request)
            client->second.prefetch.state = ClientState::Prefetch::State::None;
        return;
    }
    auto call = s.calls.find(cr.for_call);
    if (call == s.calls.end()) return;
    call->second.central_token_pending = false;
    if (client != s.clients.end() && moved_on_without_it(s, client->second, call->second, now)) return;
    fail_call(s, call->second, std::move(error));
}

void on_central_token_response(State& s, RequestId request, const HttpResponse& response, TimeMs now) {
    const CentralTokenRequest cr = s.central_requests.at(request);
    s.central_requests.erase(request);
    auto client_it = s.clients.find(cr.client);
    if (client_it == s.clients.end()) return;
    ClientState& client = client_it->second;

    std::string token;
    ClassifyContext context;
    context.expect_login = true;
    Classified c = classify_action(response, context);
    if (!c.error) {
        const json& body = response.body;
        const json* answer = read::member(body, "centralauthtoken");
        token = answer ? read::central_token_member(*answer, "centralauthtoken").value_or("") : "";
        if (token.empty()) {
            Error e = make_error(ErrorCategory::CentralAuth, "centralauthtoken-unavailable",
                                 "The local wiki answered without a centralauthtoken. Is CentralAuth installed there?");
            e.result = body;
            e.status = response.status;
            c.error = e;
        }
    }

    if (cr.for_call == 0) {  // a prefetch
        if (client.prefetch.request != request) return;
        if (c.error) {
            client.prefetch.state = ClientState::Prefetch::State::None;
            return;
        }
        client.prefetch.state = ClientState::Prefetch::State::Ready;
        client.prefetch.token = token;
        client.prefetch.minted_at = cr.sent_at;
        return;
    }

    auto call_it = s.calls.find(cr.for_call);
    if (call_it == s.calls.end()) return;
    CallState& call = call_it->second;
    call.central_token_pending = false;
    if (moved_on_without_it(s, client, call, now)) return;
    if (!c.error) {
        const ClientId client_id = call.client;
        call.central_token = token;
        call.central_token_asked = cr.sent_at;
        advance(s, call, now);
        // The local wiki gives tokens: fill the pocket now, beside the call's own request, so the next call need
        // not wait for one however soon it starts. (Not before: a refusal would only be doubled.)
        refill_pocket(s, client_id, now);
        return;
    }
    Error e = *c.error;
    if (e.category == ErrorCategory::Api || e.category == ErrorCategory::Response) {
        // notloggedin, badsession, notattached, hascallback, badvalue (no CentralAuth), or an answer that is no
        // token at all (empty, not JSON): no token to be had.
        const std::string server_code = e.code;
        e.category = ErrorCategory::CentralAuth;
        e.code = "centralauthtoken-unavailable";
        e.info = "The local wiki gave no centralauthtoken (" + server_code + "): " + e.info;
    }
    if (decide_anonymous_fallback(e, client.options)) {
        call.anonymous = true;
        s.events.push_back(Event{Event::Kind::Notice,
                                 {},
                                 {},
                                 Notice{caller_visible_id(call), "anonymous-fallback",
                                        "No centralauthtoken (" + e.info + "); continuing anonymously as allowed."}});
        advance(s, call, now);
        return;
    }
    // The answer is this call's result only if its request was traced as this call's (or as nobody's).
    const bool own = cr.traced_as == 0 || cr.traced_as == caller_visible_id(call);
    fail_call(s, call, std::move(e), own ? request : 0);
}

}  // namespace fw::detail
