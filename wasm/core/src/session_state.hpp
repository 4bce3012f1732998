// Private state of fw::Session. Kept apart from session.cpp so the sequencing there reads top to bottom.
#pragma once

#include <map>
#include <string>
#include <vector>

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
    CallKind kind = CallKind::User;
    ClientId client = 0;
    bool rest = false;
    std::string target_url;  // api.php or rest.php of the foreign wiki
    ActionCall action;
    RestCall rest_call;
    bool write = false;           // may change state on the server: only repeated when certainly not performed
    std::string token_type;       // normalised; empty = no token needed
    std::string token_key;        // cache key of the token it waits for / fetches
    std::string token;            // the token in hand
    std::string central_token;    // the centralauthtoken in hand for the next request
    bool central_token_pending = false;
    bool anonymous = false;       // CentralAuth gave no token and the caller allowed anonymous requests
    bool force_cookies = false;   // the login check runs with cookies whatever the client's mode
    RequestId in_flight = 0;      // the call's own request on the wire
    int attempts = 0;             // requests sent for this call
    int badtoken_retries = 0;
    int central_retries = 0;
    TimeMs started = 0;
    TimeMs retry_at = -1;         // >= 0 while waiting for a server-requested delay
    std::string retry_reason;
};

// One token type for one (wiki, identity): fetched once, shared by every waiting call.
struct TokenEntry {
    enum class State { Fetching, Ready } state = State::Fetching;
    std::string value;
    CallId fetch_call = 0;
    std::vector<CallId> waiters;
};

// A centralauthtoken request: serves exactly one consumer, for exactly one target origin.
struct CentralTokenRequest {
    ClientId client = 0;
    CallId for_call = 0;  // 0: a prefetch for the client's next call
    TimeMs sent_at = 0;
};

struct Session::State {
    std::map<ClientId, ClientState> clients;
    std::map<CallId, CallState> calls;
    std::map<std::string, TokenEntry> tokens;
    std::map<RequestId, CentralTokenRequest> central_requests;
    std::map<RequestId, CallId> call_requests;
    std::deque<HttpRequest> outbox;
    std::deque<RequestId> cancels;
    std::deque<Event> events;
    ClientId next_client = 1;
    CallId next_call = 1;
    RequestId next_request = 1;
};

}  // namespace fw
