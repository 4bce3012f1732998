#define FW_FUZZ_HARNESS "fuzz_session"

#include "world.hpp"

#include <cmath>
#include <cstdio>

#include "../support/check.hpp"
#include "../support/query.hpp"

namespace fwfuzz {

namespace {

// scheme://authority, lower-cased; "" for anything that is not an absolute http(s) URL (e.g. "?action=…", which a
// browser would resolve against the page's own origin). Independent of fw::origin_of on purpose.
std::string origin(const std::string& url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return "";
    const std::string scheme = to_lower(url.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https") return "";
    const std::size_t end = url.find_first_of("/?#", scheme_end + 3);
    return to_lower(url.substr(0, end));
}

// The api.php next to a rest.php (a cookie-session REST write takes its csrf token from there).
std::string api_php_of(const std::string& rest_url) {
    const std::size_t pos = rest_url.rfind("rest.php");
    return pos == std::string::npos ? "" : rest_url.substr(0, pos) + "api.php";
}

std::string padded(int n) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%08d", n);
    return buffer;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

// The copies of a centralauthtoken in the places the core puts one: the URL parameter and the REST header.
std::size_t carried(const fw::HttpRequest& r, const std::string& value) {
    std::size_t n = occurrences(r.url, "centralauthtoken=" + value);
    for (const auto& h : r.headers) n += occurrences(h.second, "CentralAuthToken " + value);
    return n;
}

// How many times the core put the csrf token whose core is `core` into `r`: the "+\" it ends with is the core's,
// form-encoded in a URL or body pair, as is in a multipart field, JSON-escaped in a REST body's "token".
std::size_t csrf_carried(const fw::HttpRequest& r, const std::string& core) {
    const std::string encoded = core + "%2B%5C";
    std::size_t n = occurrences(r.url, encoded) + occurrences(r.body, encoded) +
                    occurrences(r.body, "\"token\":\"" + core + "+\\\\\"");
    for (const auto& f : r.fields) n += f.value == core + "+\\";
    return n;
}

// Everything of a request a secret could travel in, URL first.
std::string everything(const fw::HttpRequest& r) {
    std::string all = r.url + "\n" + r.body + "\n";
    for (const auto& f : r.fields) all += f.name + "=" + f.value + "\n";
    for (const auto& h : r.headers) all += h.first + ": " + h.second + "\n";
    return all;
}

bool is_call_purpose(fw::Purpose p) { return p == fw::Purpose::Call || p == fw::Purpose::Retry; }

std::string query_value(const std::string& url, const std::string& name, const std::string& fallback) {
    const auto pairs = split_query(query_of(url));
    if (pairs)
        for (const auto& [n, v] : *pairs)
            if (n == name) return v;
    return fallback;
}

}  // namespace

void World::client_added(fw::ClientId id, const fw::ClientOptions& options) {
    FW_FUZZ_CHECK(id != 0 && clients_.count(id) == 0, "add_client returned a reused id");
    clients_[id] = ClientRecord{options, false};
}

void World::client_removed(fw::ClientId id) {
    auto it = clients_.find(id);
    if (it != clients_.end()) it->second.removed = true;
}

void World::call_started(fw::CallId id, fw::ClientId client, bool write, bool token_only) {
    FW_FUZZ_CHECK(id != 0 && calls_.count(id) == 0, "a start_* returned a reused CallId " + std::to_string(id));
    CallRecord record;
    record.client = client;
    record.write = write;
    record.token_only = token_only;
    calls_[id] = record;
}

std::vector<fw::RequestId> World::outstanding() const {
    std::vector<fw::RequestId> ids;
    for (const auto& [id, e] : requests_)
        if (!e.finished) ids.push_back(id);
    return ids;
}

std::vector<fw::RequestId> World::finished_requests() const {
    std::vector<fw::RequestId> ids;
    for (const auto& [id, e] : requests_)
        if (e.finished) ids.push_back(id);
    return ids;
}

std::vector<fw::CallId> World::call_ids() const {
    std::vector<fw::CallId> ids;
    for (const auto& entry : calls_) ids.push_back(entry.first);
    return ids;
}

std::vector<fw::ClientId> World::client_ids() const {
    std::vector<fw::ClientId> ids;
    for (const auto& entry : clients_) ids.push_back(entry.first);
    return ids;
}

const fw::HttpRequest* World::request(fw::RequestId id) const {
    auto it = requests_.find(id);
    return it == requests_.end() ? nullptr : &it->second.request;
}

// --- the fake wikis ---------------------------------------------------------------------------------------------

// Clients whose local wiki this centralauthtoken request went to (a shared local api.php serves several).
std::vector<fw::ClientId> World::central_clients_for(const fw::HttpRequest& r) const {
    std::vector<fw::ClientId> matched;
    for (const auto& [id, c] : clients_) {
        const std::string& api = c.options.central_auth_api;
        if (c.options.auth != fw::AuthMode::CentralAuth || api.empty() || !starts_with(r.url, api)) continue;
        if (r.url.size() > api.size() && (r.url[api.size()] == '?' || r.url[api.size()] == '&')) matched.push_back(id);
    }
    if (r.call != 0) {
        auto call = calls_.find(r.call);
        FW_FUZZ_CHECK(call != calls_.end(), "a centralauthtoken request for an unknown call");
        bool found = false;
        for (auto id : matched) found = found || id == call->second.client;
        FW_FUZZ_CHECK(found, "a centralauthtoken for call " + std::to_string(r.call) +
                                 " was requested from a wiki that is not its client's local wiki: " + r.url);
        return {call->second.client};
    }
    return matched;
}

std::string World::mint_central(const fw::HttpRequest& r) {
    const std::string value = "ca" + padded(++minted_) + "5c76749c30ecc02bbc5b7d8";
    CentralMint mint;
    if (r.purpose == fw::Purpose::CentralAuthToken) mint.allowed = central_clients_for(r);
    central_[value] = mint;
    return value;
}

std::string World::mint_secret(const fw::HttpRequest& r) {
    const std::string core = "c5" + padded(++minted_) + "f9997086295ff86b052eb0";
    secrets_[core] = origin(r.url);
    return core + "+\\\\";  // "+\" inside a JSON string
}

std::string World::substitute(const fw::HttpRequest& r, std::string body) {
    for (std::size_t pos = body.find("$CAT"); pos != std::string::npos; pos = body.find("$CAT", pos)) {
        const std::string value = mint_central(r);
        body.replace(pos, 4, value);
        pos += value.size();
    }
    for (std::size_t pos = body.find("$CSRF"); pos != std::string::npos; pos = body.find("$CSRF", pos)) {
        const std::string value = mint_secret(r);
        body.replace(pos, 5, value);
        pos += value.size();
    }
    return body;
}

fw::HttpResponse World::canned_answer(const fw::HttpRequest& r, std::size_t index) {
    const Canned& c = kCanned[index % kCannedCount];
    return make_response(c.status, parse_header_lines(c.headers), substitute(r, c.body));
}

fw::HttpResponse World::fuzzed_answer(const fw::HttpRequest& r, int status, fw::Headers headers, const std::string& body,
                                      bool digest) {
    return make_response(status, std::move(headers), substitute(r, body), digest);
}

fw::HttpResponse World::natural_answer(const fw::HttpRequest& r) {
    const auto canned = [&](const char* name) {
        for (std::size_t i = 0; i < kCannedCount; ++i)
            if (std::string(kCanned[i].name) == name) return canned_answer(r, i);
        violation(FW_FUZZ_HARNESS, std::string("no canned answer ") + name);
    };
    switch (r.purpose) {
        case fw::Purpose::CentralAuthToken: return canned("centralauthtoken");
        case fw::Purpose::Token: {
            if (query_value(r.url, "origin", "") == "*") return canned("tokens-origin-star");
            std::string tokens;
            std::string types = query_value(r.url, "type", "csrf");
            for (std::size_t pos = 0; pos <= types.size();) {
                std::size_t bar = types.find('|', pos);
                if (bar == std::string::npos) bar = types.size();
                if (!tokens.empty()) tokens += ',';
                tokens += fw::json(types.substr(pos, bar - pos) + "token").dump(-1, ' ', false, fw::json::error_handler_t::replace) +
                          ":\"$CSRF\"";
                pos = bar + 1;
            }
            return make_response(200, {}, substitute(r, R"({"batchcomplete":"","query":{"tokens":{)" + tokens + "}}}"));
        }
        case fw::Purpose::LoginCheck:
            return foreign_logged_in_ ? canned("userinfo-tokens-admin") : canned("userinfo-anon");
        case fw::Purpose::Call:
        case fw::Purpose::Retry: break;
    }
    auto call = calls_.find(r.call);
    const bool rest = call != calls_.end() && clients_.count(call->second.client) &&
                      clients_[call->second.client].options.rest;
    if (!rest) return r.method == "POST" ? canned("options-success") : canned("userinfo-admin");
    if (r.method == "GET") return canned("rest-contributions");
    if (r.method == "HEAD") return make_response(200, {}, "");
    return canned("rest-201-created");
}

// --- the network ------------------------------------------------------------------------------------------------

void World::note_outcome(fw::RequestId id, bool ambiguous) {
    auto it = requests_.find(id);
    if (it == requests_.end() || it->second.finished) return;
    it->second.finished = true;
    const fw::HttpRequest& r = it->second.request;
    if (!ambiguous || !is_call_purpose(r.purpose)) return;
    auto call = calls_.find(r.call);
    if (call != calls_.end() && call->second.write) call->second.ambiguous = true;
}

void World::deliver(fw::RequestId id, const fw::HttpResponse& response) {
    if (tracing()) {
        const std::string body = response.body_kind == fw::ResponseBody::Json ? response.body.dump(-1, ' ', false, fw::json::error_handler_t::replace)
                                 : response.body_kind == fw::ResponseBody::Text ? response.text
                                 : response.body_kind == fw::ResponseBody::Empty ? "(empty)" : "(not read: over the bounds)";
        trace("  <- answer to " + std::to_string(id) + ": " + std::to_string(response.status) + " " + body.substr(0, 160) +
              (ambiguous_for_write(response) ? "   [ambiguous for a write]" : ""));
    }
    note_outcome(id, ambiguous_for_write(response));
    session.handle_response(id, response, now);
    drain();
}

void World::fail(fw::RequestId id, fw::TransportFailure failure) {
    static const char* const kNames[] = {"network", "timeout", "abort"};
    trace("  <- failure of " + std::to_string(id) + ": " + kNames[static_cast<int>(failure)]);
    note_outcome(id, true);
    session.handle_failure(id, failure, now);
    drain();
}

void World::advance_clock(double by) {
    if (by > 0) trace("  clock +" + std::to_string(by) + " ms");
    if (std::isfinite(now + by) && by >= 0) now += by;
    session.handle_timeout(now);
    drain();
}

// --- invariants -------------------------------------------------------------------------------------------------

bool World::may_receive_central(const ClientRecord& client, const std::string& url) const {
    const fw::ClientOptions& o = client.options;
    if (origin(url).empty() || origin(url) != origin(o.api_url)) return false;
    if (starts_with(url, o.api_url)) return true;
    const std::string api = api_php_of(o.api_url);
    return o.rest && !api.empty() && starts_with(url, api);
}

void World::check_request(const fw::HttpRequest& r) {
    const std::string id = "request " + std::to_string(r.id) + " (" + fw::to_string(r.purpose) + ", " + r.method + " " +
                           r.display_url + ")";
    FW_FUZZ_CHECK(r.id != 0 && requests_.count(r.id) == 0, "a reused request id: " + id);
    FW_FUZZ_CHECK(!has_cr_or_lf(r.url) && !has_cr_or_lf(r.display_url), "CR/LF in the URL of " + id);
    for (const auto& h : r.headers)
        FW_FUZZ_CHECK(!has_cr_or_lf(h.first) && !has_cr_or_lf(h.second), "CR/LF in a header of " + id);

    if (is_call_purpose(r.purpose)) FW_FUZZ_CHECK(r.call != 0, "a call request without its call: " + id);
    if (r.purpose == fw::Purpose::Token || r.purpose == fw::Purpose::LoginCheck)
        FW_FUZZ_CHECK(r.call == 0, "a shared request attributed to one call: " + id);
    if (r.call != 0) {
        auto call = calls_.find(r.call);
        FW_FUZZ_CHECK(call != calls_.end(), "a request for a call never started: " + id);
        FW_FUZZ_CHECK(!call->second.ended, "a request emitted after its call ended: " + id);
        if (is_call_purpose(r.purpose)) {
            FW_FUZZ_CHECK(!call->second.token_only, "get_token() sent a call request: " + id);
            FW_FUZZ_CHECK(!(call->second.write && call->second.ambiguous),
                          "a write was sent again after an ambiguous outcome (it may already have been performed): " + id);
        }
    }

    const std::string all = everything(r);
    for (const auto& [core, issuer] : secrets_) {
        if (!contains(all, core)) continue;
        // As for centralauthtokens below: a core the caller's own parameters hold is the caller's text (the fuzzer
        // guesses it from the harness's comparisons); then only the whole token, as the core carries it, counts.
        if (contains(supplied_, core) && csrf_carried(r, core) == 0) continue;
        FW_FUZZ_CHECK(!contains(r.url, core) && !contains(r.display_url, core), "a csrf token in the URL of " + id);
        FW_FUZZ_CHECK(origin(r.url) == issuer, "a csrf token of " + issuer + " sent to another origin: " + id);
    }
    for (auto& [value, mint] : central_) {
        // A value the caller's own parameters hold (the fuzzer reads the harness's comparisons and can guess the
        // next token) is the caller's text wherever it appears: only the core's carriers count as uses.
        // (supplied_ grows with the run: searched only for a value this request holds at all)
        std::size_t n = occurrences(all, value);
        const bool callers_text = n != 0 && contains(supplied_, value);
        if (callers_text) n = carried(r, value);
        if (n == 0) continue;
        FW_FUZZ_CHECK(!contains(r.display_url, callers_text ? "centralauthtoken=" + value : value),
                      "a centralauthtoken not masked in display_url: " + id);
        mint.uses += static_cast<int>(n);
        FW_FUZZ_CHECK(mint.uses <= 1, "a centralauthtoken sent twice: " + id);
        bool allowed = false;
        for (fw::ClientId c : mint.allowed) {
            auto client = clients_.find(c);
            const bool right_call = r.call == 0 || calls_[r.call].client == c;
            allowed = allowed || (client != clients_.end() && right_call && may_receive_central(client->second, r.url));
        }
        FW_FUZZ_CHECK(allowed, "a centralauthtoken sent where it was not minted for: " + id);
    }
    for (const auto& [cid, client] : clients_) {
        const std::string& bearer = client.options.bearer_token;
        if (bearer.empty()) continue;
        FW_FUZZ_CHECK(!contains(r.url, bearer) && !contains(r.display_url, bearer), "a Bearer token in the URL of " + id);
        FW_FUZZ_CHECK(!contains(r.body, bearer) || contains(supplied_, bearer), "a Bearer token in the body of " + id);
        for (const auto& h : r.headers) {
            if (!contains(h.second, bearer)) continue;
            FW_FUZZ_CHECK(h.first == "authorization" && client.options.auth == fw::AuthMode::Bearer,
                          "a Bearer token outside the Authorization header of a Bearer client: " + id);
            FW_FUZZ_CHECK(!origin(r.url).empty() && origin(r.url) == origin(client.options.api_url),
                          "a Bearer token sent to another origin than its client's (" + client.options.api_url + "): " + id);
        }
    }
    trace("  -> " + id + (r.call ? " for call " + std::to_string(r.call) : std::string()));
    requests_[r.id] = Emitted{r, false};
}

void World::check_event(const fw::Event& e) {
    if (tracing()) {
        if (e.kind == fw::Event::Kind::Notice) trace("  == notice (call " + std::to_string(e.notice.call) + "): " + e.notice.code);
        if (e.kind == fw::Event::Kind::Completed) trace("  == Completed call " + std::to_string(e.completed.call));
        if (e.kind == fw::Event::Kind::Failed)
            trace("  == Failed call " + std::to_string(e.failed.call) + ": " + e.failed.error.code + " (performed=" +
                  fw::to_string(e.failed.error.performed) + ")");
    }
    if (e.kind == fw::Event::Kind::Notice) {
        FW_FUZZ_CHECK(e.notice.call == 0 || calls_.count(e.notice.call), "a notice for a call never started");
        return;
    }
    const fw::CallId id = e.kind == fw::Event::Kind::Completed ? e.completed.call : e.failed.call;
    const fw::RequestId response_of = e.kind == fw::Event::Kind::Completed ? e.completed.response_of : e.failed.response_of;
    const std::string what = std::string(e.kind == fw::Event::Kind::Completed ? "Completed" : "Failed") + " for call " +
                             std::to_string(id);
    auto call = calls_.find(id);
    FW_FUZZ_CHECK(call != calls_.end(), what + ", a call never started");
    FW_FUZZ_CHECK(!call->second.ended, "a second Completed/Failed: " + what);
    call->second.ended = true;
    if (response_of != 0) {
        auto r = requests_.find(response_of);
        // Another call's response only for a read that shared it (coalescing.cpp: an identical read under way).
        const bool own = r != requests_.end() && (r->second.request.call == id || r->second.request.call == 0);
        const bool shared_read = r != requests_.end() && !call->second.write && r->second.request.method == "GET";
        FW_FUZZ_CHECK(own || shared_read, what + " names a response of another call");
    }
    if (e.kind == fw::Event::Kind::Completed) {
        if (call->second.token_only) {
            FW_FUZZ_CHECK(!e.completed.token.empty(), "get_token() completed without a token");
        } else {
            FW_FUZZ_CHECK(e.completed.token.empty() && response_of != 0, what + " without the response it stands for");
        }
        FW_FUZZ_CHECK(json_is_valid_utf8(e.completed.warnings), what + ": warnings not valid UTF-8");
    } else {
        const fw::Error& error = e.failed.error;
        FW_FUZZ_CHECK(!error.code.empty(), what + " without an error code");
        // error.hpp: reads are always Performed::No; a write whose fate is unknown is Maybe.
        if (!call->second.write)
            FW_FUZZ_CHECK(error.performed == fw::Performed::No, what + ": a read reported performed=maybe");
        if (call->second.write && call->second.ambiguous)
            FW_FUZZ_CHECK(error.performed == fw::Performed::Maybe,
                          what + " (" + error.code + "): a write whose request met an ambiguous outcome reported "
                                 "performed=no");
        FW_FUZZ_CHECK(is_valid_utf8(error.code) && is_valid_utf8(error.info) && json_is_valid_utf8(error.result),
                      what + ": error text is not valid UTF-8");
    }
}

void World::drain() {
    while (auto r = session.poll_request()) check_request(*r);
    while (auto id = session.poll_cancel()) {
        auto it = requests_.find(*id);
        FW_FUZZ_CHECK(it != requests_.end(), "cancel of a request never emitted: " + std::to_string(*id));
        trace("  xx cancel " + std::to_string(*id));
        note_outcome(*id, true);  // it was on the wire: a write may already have reached the server
    }
    while (auto e = session.poll_event()) check_event(*e);
}

void World::settle(int mode) {
    trace(std::string("settle: answer everything ") + (mode == 0 ? "naturally" : mode == 1 ? "with network failures" : "with timeouts"));
    for (int round = 0; round < 64; ++round) {
        drain();
        const auto ids = outstanding();
        if (ids.empty()) {
            const auto deadline = session.next_timeout();
            if (!deadline) break;
            FW_FUZZ_CHECK(std::isfinite(*deadline), "next_timeout() is not finite");
            advance_clock(std::max(0.0, *deadline - now));
            if (session.next_timeout() && *session.next_timeout() <= now)
                violation(FW_FUZZ_HARNESS, "handle_timeout(now) left a deadline <= now");
            continue;
        }
        for (fw::RequestId id : ids) {
            const fw::HttpRequest* r = request(id);
            if (r == nullptr || requests_[id].finished) continue;
            if (mode == 0) {
                deliver(id, natural_answer(*r));
            } else {
                fail(id, mode == 1 ? fw::TransportFailure::Network : fw::TransportFailure::Timeout);
            }
        }
    }
    drain();
    FW_FUZZ_CHECK(outstanding().empty() && !session.next_timeout(),
                  "the session does not settle: requests or deadlines keep coming after 64 rounds");
    for (const auto& [id, call] : calls_)
        FW_FUZZ_CHECK(call.ended, "call " + std::to_string(id) +
                                      " never got Completed or Failed although every request was answered");
}

}  // namespace fwfuzz
