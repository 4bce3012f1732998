// Identical concurrent reads coalesce: the same GET (same wiki, same identity, same parameters and headers) started
// while one is under way shares its request; each caller gets its own Completed or Failed event for it. Writes,
// token calls and anything with a token never coalesce.
#include <vector>

#include "session_state.hpp"

namespace fw::detail {

namespace {

std::string text_of(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string headers_text(const Headers& headers) {
    std::string text;
    for (const auto& [name, value] : headers) text += name + ":" + value + "\n";
    return text;
}

std::vector<CallId> followers_of(const State& s, CallId leader) {
    std::vector<CallId> found;
    for (const auto& entry : s.calls)
        if (entry.second.follows == leader) found.push_back(entry.first);
    return found;
}

}  // namespace

bool join_identical_read(State& s, CallState& call) {
    if (call.kind != CallKind::User || call.write || call.token_only || !call.token_type.empty()) return false;
    const ClientState& client = s.clients.at(call.client);
    std::string key = call.target_url + "\n" + identity_of(client, effective_mode(client, call)) + "\n";
    if (call.rest) {
        if (call.rest_call.method != "GET" || call.rest_call.body) return false;
        key += "rest " + call.rest_call.path + "\n" + text_of(call.rest_call.path_params) + "\n" +
               text_of(call.rest_call.query) + "\n" + headers_text(call.rest_call.headers);
    } else {
        if (call.action.method != "GET") return false;
        key += "action " + text_of(call.action.params) + "\n" + headers_text(call.action.headers);
    }
    auto found = s.shared_reads.find(key);
    if (found != s.shared_reads.end() && s.calls.count(found->second)) {
        call.follows = found->second;
        enter(call, Phase::Following);
        return true;
    }
    s.shared_reads[key] = call.id;
    call.shared_key = std::move(key);
    return false;
}

void settle_followers(State& s, const CallState& leader, const Event& outcome) {
    if (leader.shared_key.empty()) return;
    for (CallId id : followers_of(s, leader.id)) {
        Event copy = outcome;
        if (copy.kind == Event::Kind::Completed) copy.completed.call = id;
        if (copy.kind == Event::Kind::Failed) copy.failed.call = id;
        s.events.push_back(std::move(copy));
        enter(s.calls.at(id), Phase::Done);
        s.calls.erase(id);  // a follower holds no request, token or wait of its own
    }
}

void promote_followers(State& s, CallState& leader, TimeMs now) {
    if (leader.shared_key.empty()) return;
    const std::vector<CallId> followers = followers_of(s, leader.id);
    if (followers.empty()) return;
    CallState& heir = s.calls.at(followers.front());
    heir.follows = 0;
    heir.shared_key = std::move(leader.shared_key);
    leader.shared_key.clear();
    s.shared_reads[heir.shared_key] = heir.id;
    for (std::size_t i = 1; i < followers.size(); ++i) s.calls.at(followers[i]).follows = heir.id;
    advance(s, heir, now);
}

}  // namespace fw::detail
