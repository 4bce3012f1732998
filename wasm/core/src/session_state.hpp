// Private state of fw::Session. Kept apart from session.cpp so the sequencing there reads top to bottom.
#pragma once

#include <cassert>
#include <map>
#include <string>
#include <vector>

#include "call_phase.hpp"
#include "fw/classify.hpp"
#include "fw/session.hpp"

namespace fw {

// A client as registered, plus what the session learned about it.
struct ClientState {
    ClientOptions options;
    enum class ForeignLogin { Unknown, Checking, LoggedIn, NotLoggedIn } foreign_login = ForeignLogin::Unknown;
    // The one centralauthtoken minted ahead for this client's next request (never shared with another target).
    struct Prefetch {
        enum class State { None, Fetching, Ready } state = State::None;
        RequestId request = 0;
        std::string token;
        TimeMs minted_at = 0;
    } prefetch;
};

// Why an internal call exists: the caller's own, a shared token fetch, or the foreign-login check.
enum class CallKind { User, TokenFetch, LoginCheck };

struct CallState {
    CallId id = 0;
    detail::Phase phase = detail::Phase::Start;  // moved only by detail::enter() (call_phase.hpp)
    CallKind kind = CallKind::User;
    ClientId client = 0;
    bool rest = false;
    std::string target_url;  // api.php or rest.php of the foreign wiki
    ActionCall action;
    RestCall rest_call;
    bool token_only = false;          // get_token(): done once the token is in hand, nothing is sent
    bool write = false;               // may change state on the server: only repeated when certainly not performed
    std::string token_type;           // normalised; empty = no token needed
    std::string token_key;            // cache key of the token it waits for / fetches
    std::string token;                // the token in hand
    std::string central_token;        // the centralauthtoken in hand for the next request
    TimeMs central_token_asked = -1;  // when the token in hand was asked for: it was minted no earlier
    TimeMs sent_token_asked = -1;     // the same for the token on the request in flight (-1: none)
    bool central_token_pending = false;
    bool anonymous = false;      // CentralAuth gave no token and the caller allowed anonymous requests
    bool force_cookies = false;  // the login check runs with cookies whatever the client's mode
    RequestId in_flight = 0;     // the call's own request on the wire
    int attempts = 0;            // requests sent for this call
    int badtoken_retries = 0;
    int central_retries = 0;
    TimeMs started = 0;
    TimeMs retry_at = -1;  // >= 0 while waiting for a server-requested delay
    std::string retry_reason;
    // Identical concurrent reads share one request: a follower waits for its leader's answer (coalescing.cpp).
    CallId follows = 0;
    std::string shared_key;  // set on a leader: its entry in State::shared_reads
};

// One token type for one (wiki, identity): fetched once, shared by every waiting call.
struct TokenEntry {
    enum class State { Fetching, Ready } state = State::Fetching;
    std::string value;
    CallId fetch_call = 0;
    std::vector<CallId> waiters;
    // What the fetch asserted, and its key without them: a token fetched under a stronger assertion serves a call
    // that asserts less (token_cache.cpp, stronger_ready_token). Empty `unasserted_key`: serves its own key only.
    std::string assert_;
    std::string assertuser;
    std::string unasserted_key;
};

// A centralauthtoken request: serves exactly one consumer, for exactly one target origin.
struct CentralTokenRequest {
    ClientId client = 0;
    CallId for_call = 0;  // 0: a prefetch for the client's next call
    TimeMs sent_at = 0;
    CallId traced_as = 0;  // the call its trace names (0: none); a token adopted later may serve another
};

struct Session::State {
    std::map<ClientId, ClientState> clients;
    std::map<CallId, CallState> calls;
    std::map<std::string, TokenEntry> tokens;
    std::map<RequestId, CentralTokenRequest> central_requests;
    std::map<RequestId, CallId> call_requests;
    std::map<std::string, CallId> shared_reads;  // identical-read key → the call whose request they share
    // FIFO queues, emptied by the driver after every input, so they stay a few entries long: plain vectors (front
    // removal is cheap at that length, and each std::deque type costs ~1 KB of wasm). new_request() hands out a
    // reference into outbox: use it before anything else is queued.
    std::vector<HttpRequest> outbox;
    std::vector<RequestId> cancels;
    std::vector<Event> events;
    ClientId next_client = 1;
    CallId next_call = 1;
    RequestId next_request = 1;
};

// --- The engine's internal steps, shared by session.cpp, central_tokens.cpp and token_cache.cpp.
// -------------------
namespace detail {

using State = Session::State;

constexpr double kDefaultMaxlagWaitMs = 5000;
// CentralAuth keeps a centralauthtoken 60 s from minting (the lifetime fw/session.hpp prefetch_max_age_ms stays under).
constexpr double kCentralTokenLifetimeMs = 60000;

bool is_write_method(const std::string& method);
// Moves `call` to phase `to`; the move must be one of call_phase.cpp's table.
inline void enter(CallState& call, Phase to) {
    assert(allowed(call.phase, to) && "a phase move call_phase.cpp does not list");
    call.phase = to;
}
// The call id the caller knows for `call`: its own id, or 0 for internal calls (shared token fetch, login check).
inline CallId caller_visible_id(const CallState& call) { return call.kind == CallKind::User ? call.id : 0; }
std::string api_url_for_rest(const std::string& rest_url);
Error make_error(ErrorCategory category, std::string code, std::string info);
// The mode a request of `call` really uses (a CentralAuth client already logged in on the foreign wiki uses
// cookies).
AuthMode effective_mode(const ClientState& client, const CallState& call);
HttpRequest& new_request(State& s, CallId call, Purpose purpose, std::string why);
void add_common_headers(const ClientOptions& o, const std::string& method, const Headers& call_headers, Headers& out);

// Calls (session.cpp).
CallState& new_call(State& s, CallKind kind, ClientId client, TimeMs now);
void advance(State& s, CallState& call, TimeMs now);
void finish_call(State& s, CallId id);
void fail_call(State& s, CallState& call, Error error, RequestId response_of = 0);
// The error of a call its caller ended (abort(), its client removed): performed maybe when its request was out.
Error abort_error(const CallState& call, const char* info);
void emit_completed(State& s, CallState& call, RequestId response_of, const json& warnings, TimeMs now);

// Tokens (token_cache.cpp).
std::string identity_of(const ClientState& client, AuthMode mode);
// The same with this call's assert / assertuser instead of the client's (the token cache key, token_cache.cpp).
std::string identity_of(const ClientState& client, AuthMode mode, const std::string& assert_,
                        const std::string& assertuser);
std::string token_key(const std::string& api_url, const std::string& identity, const std::string& type);
bool obtain_token(State& s, CallState& call, TimeMs now);
void wake_token_waiters(State& s, const std::string& key, const Error* error, TimeMs now);
void restart_token_waiters(State& s, const std::string& key, ClientId removed, TimeMs now);

// Identical concurrent reads (coalescing.cpp).
// Makes `call` follow an identical read already under way (true), or registers it as the one others may follow.
bool join_identical_read(State& s, CallState& call);
// The leader's outcome, for each of its followers (a copy of the event with the follower's id), which then end.
void settle_followers(State& s, const CallState& leader, const Event& outcome);
// The leader was aborted by its caller: its first follower takes over (with a request of its own), the rest follow
// it.
void promote_followers(State& s, CallState& leader, TimeMs now);

// centralauthtokens (central_tokens.cpp).
bool needs_central_token(const ClientState& client, const CallState& call);
bool obtain_central_token(State& s, CallState& call, TimeMs now);
// The client's pocket: at most one spare centralauthtoken for its next call. refill_pocket mints one when it is
// empty (a call just took it); refill_pocket_after_burst once no call of the client is in flight.
void refill_pocket(State& s, ClientId client_id, TimeMs now);
void refill_pocket_after_burst(State& s, ClientId client_id, TimeMs now);
void on_central_token_response(State& s, RequestId request, const HttpResponse& response, TimeMs now);
// A centralauthtoken request that timed out or was aborted (Network failures come as an empty response).
void on_central_token_failure(State& s, RequestId request, Error error, TimeMs now);

}  // namespace detail

}  // namespace fw
