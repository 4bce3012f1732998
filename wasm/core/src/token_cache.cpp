// The token cache: meta=tokens per (wiki, identity, type), one fetch shared by every waiting call, failures never
// cached.
#include <algorithm>
#include <functional>

#include "session_state.hpp"

namespace fw::detail {

std::string identity_of(const ClientState& client, AuthMode mode) {
    return identity_of(client, mode, client.options.assert_, client.options.assertuser);
}

std::string identity_of(const ClientState& client, AuthMode mode, const std::string& assert_,
                        const std::string& assertuser) {
    const auto& o = client.options;
    std::string id = to_string(mode);
    if (mode == AuthMode::CentralAuth) id += ":" + o.central_auth_api + ":" + o.local_user;
    if (mode == AuthMode::Bearer) id += ":" + std::to_string(std::hash<std::string>{}(o.bearer_token));
    if (mode == AuthMode::Cookies) id += ":" + o.local_user;
    if (mode == AuthMode::OAuth1) id += ":" + o.oauth1_identity;
    return id + "|assert=" + assert_ + "|assertuser=" + assertuser;
}

namespace {

// The call's own assert / assertuser (mw.Api passes them to the token fetch, index.js postWithToken), else the
// client's.
std::string assert_param(const CallState& call, const char* name, const std::string& fallback) {
    const auto& params = call.action.params;
    if (!call.rest && params.is_object()) {
        auto it = params.find(name);
        if (it != params.end() && it->is_string()) return it->get<std::string>();
    }
    return fallback;
}

// Whether a token fetched with `had` / `had_user` asserted serves a call asserting `want` / `want_user`. MediaWiki
// hands one session one token whatever the fetch asserts; the assertion only makes the fetch fail when the session
// is not what it claims. So a fetch that asserted at least what the call asserts proved what the call would have
// proved (assertuser=X implies assert=user; assert=bot implies assert=user). The other way round it would not: a
// token fetched without an assertion may be an anonymous session's.
bool assertion_covers(const std::string& had, const std::string& had_user, const std::string& want,
                      const std::string& want_user) {
    if (!want_user.empty() && had_user != want_user) return false;
    if (want.empty() || want == had) return true;
    return want == "user" && (had == "bot" || !had_user.empty());
}

// The latest ready token (the highest fetch call id) with the same wiki, identity and type whose fetch asserted at
// least `assert_` / `assertuser`; nullptr when there is none.
const std::pair<const std::string, TokenEntry>* stronger_ready_token(const State& s, const std::string& unasserted_key,
                                                                     const std::string& assert_,
                                                                     const std::string& assertuser) {
    const std::pair<const std::string, TokenEntry>* best = nullptr;
    for (const auto& entry : s.tokens) {
        const TokenEntry& t = entry.second;
        if (t.state != TokenEntry::State::Ready || t.unasserted_key != unasserted_key) continue;
        if (!assertion_covers(t.assert_, t.assertuser, assert_, assertuser)) continue;
        if (!best || t.fetch_call > best->second.fetch_call) best = &entry;
    }
    return best;
}

}  // namespace

std::string token_key(const std::string& api_url, const std::string& identity, const std::string& type) {
    return api_url + "\n" + identity + "\n" + type;
}

// Every call that waits on the token entry `key` moves on (or fails with `error`).
void wake_token_waiters(State& s, const std::string& key, const Error* error, TimeMs now) {
    auto it = s.tokens.find(key);
    if (it == s.tokens.end()) return;
    std::vector<CallId> waiters = std::move(it->second.waiters);
    it->second.waiters.clear();
    if (error) s.tokens.erase(it);  // failures are never cached
    for (CallId id : waiters) {
        auto c = s.calls.find(id);
        if (c == s.calls.end()) continue;
        // A call may have moved on meanwhile (the foreign-login check gave it a cookie session's token, and its
        // request is out): a failed fetch it no longer waits for must not end it.
        const CallState& call = c->second;
        const bool still_waiting = call.token.empty() && call.token_key == key && !call.in_flight;
        if (error && still_waiting)
            fail_call(s, c->second, *error);
        else if (!error)
            advance(s, c->second, now);
    }
}

// The shared fetch for `key` is gone (its client was removed): the waiters of other clients start their own.
void restart_token_waiters(State& s, const std::string& key, ClientId removed, TimeMs now) {
    auto it = s.tokens.find(key);
    if (it == s.tokens.end() || it->second.state == TokenEntry::State::Ready) return;
    std::vector<CallId> waiters = std::move(it->second.waiters);
    s.tokens.erase(it);
    for (CallId id : waiters) {
        auto c = s.calls.find(id);
        if (c != s.calls.end() && c->second.client != removed) advance(s, c->second, now);
    }
}

// Starts (or joins) the shared meta=tokens fetch for `call`. Returns true when the token is in hand.
bool obtain_token(State& s, CallState& call, TimeMs now) {
    if (!call.token.empty()) return true;
    ClientState& client = s.clients.at(call.client);
    const std::string api_url = call.rest ? api_url_for_rest(call.target_url) : call.target_url;
    if (api_url.empty()) {
        fail_call(
            s, call,
            usage_error("bad-url", "No api.php for this REST URL (it has no rest.php in it): the " + call.token_type +
                                       " token it needs cannot be fetched. Pass the token in "
                                       "the body, or use the wiki's rest.php URL."));
        return false;
    }
    const std::string assert_ = assert_param(call, "assert", client.options.assert_);
    const std::string assertuser = assert_param(call, "assertuser", client.options.assertuser);
    const AuthMode mode = effective_mode(client, call);
    call.token_key = token_key(api_url, identity_of(client, mode, assert_, assertuser), call.token_type);
    const std::string unasserted_key = token_key(api_url, identity_of(client, mode, "", ""), call.token_type);
    auto it = s.tokens.find(call.token_key);
    if (it != s.tokens.end() && it->second.state == TokenEntry::State::Ready) {
        call.token = it->second.value;
        return true;
    }
    if (it == s.tokens.end()) {
        if (const auto* stronger = stronger_ready_token(s, unasserted_key, assert_, assertuser)) {
            // Its key, so that a badtoken answer drops the entry the token came from.
            call.token_key = stronger->first;
            call.token = stronger->second.value;
            return true;
        }
        CallState& fetch = new_call(s, CallKind::TokenFetch, call.client, now);
        fetch.target_url = api_url;
        fetch.token_key = call.token_key;
        fetch.token_type = call.token_type;
        fetch.anonymous = call.anonymous;
        fetch.action.method = "GET";
        fetch.action.params = {{"action", "query"}, {"meta", "tokens"}, {"type", call.token_type}};
        if (!assert_.empty()) fetch.action.params["assert"] = assert_;
        if (!assertuser.empty()) fetch.action.params["assertuser"] = assertuser;
        TokenEntry entry;
        entry.fetch_call = fetch.id;
        entry.assert_ = assert_;
        entry.assertuser = assertuser;
        entry.unasserted_key = unasserted_key;
        it = s.tokens.emplace(call.token_key, std::move(entry)).first;
        it->second.waiters.push_back(call.id);
        advance(s, fetch, now);
        return false;
    }
    auto& w = it->second.waiters;
    if (std::find(w.begin(), w.end(), call.id) == w.end()) w.push_back(call.id);
    return false;
}

}  // namespace fw::detail
