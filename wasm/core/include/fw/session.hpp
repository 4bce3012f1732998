// The sans-I/O engine. One Session serves every client of a page (or Worker, or Node process), so token caches and
// single-flight token fetches are shared the way mw.Api shares them, but keyed correctly (wiki AND identity).
//
// Driving it (the order matters, like quinn-proto's poll_* family):
//   start_action/start_rest/abort        caller commands
//   handle_response/handle_failure       what the network did with a request the session emitted
//   handle_timeout(now)                  when next_timeout() has passed (idempotent; spurious calls are no-ops)
//   poll_request, poll_cancel, poll_event drain after every input, until each returns nullopt
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fw/classify.hpp"
#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

enum class AuthMode {
    Anonymous,    // origin=*, no credentials: public data only, never a login
    Cookies,      // the browser's cookies for the foreign wiki (origin=<page origin>, credentials include)
    CentralAuth,  // a single-use centralauthtoken from the local wiki on every foreign request
    Bearer,       // OAuth 2 access token: Authorization header, no cookies (api.php CORS: see fw/cors.hpp)
    // OAuth 1.0a (Node): each request carries `signer`, and the driver's host signs it as it leaves (js/src/oauth1.js
    // through js/src/engine.js). The core never sees the secrets, and every send, a retry included, gets a fresh
    // nonce and timestamp without the session needing a clock or randomness of its own.
    OAuth1,
};
const char* to_string(AuthMode mode);

struct ClientOptions {
    std::string api_url;  // Action API: foreign api.php. REST: foreign rest.php (rest == true)
    bool rest = false;
    std::string page_origin;  // location.origin of the page or Worker; empty off the web (Node)
    AuthMode auth = AuthMode::Cookies;
    std::string central_auth_api;     // local wiki's api.php, where centralauthtokens come from (CentralAuth mode)
    std::string local_user;           // the user name on the local wiki (for login detection and the token cache key)
    std::string bearer_token;         // Bearer mode
    std::uint32_t oauth1_signer = 0;  // OAuth1 mode: the host's signer for this client's requests (never 0)
    std::string oauth1_identity;      // OAuth1 mode: consumer key and access token (public), keys the token cache
    // Bearer mode: the wiki takes `crossorigin` on api.php (MediaWiki >= 1.44). Otherwise a cross-origin page sends
    // origin=<page origin>, which works only when the wiki lists that origin (1.39; never origin=*: anonymous).
    bool crossorigin = false;
    // CentralAuth: what to do when the local wiki gives no token (notloggedin, badsession, notattached, …).
    // false (default): fail the call with that error. true: continue anonymously, and say so in the result.
    bool anonymous_fallback = false;
    // CentralAuth: ask the foreign wiki with cookies whether the user is already logged in there (in parallel with
    // the first call, never in front of it); when they are, later calls use cookies and skip centralauthtokens.
    bool check_foreign_login = false;
    // CentralAuth: after each call, mint one centralauthtoken for the next call, thrown away unused after this age.
    // 0 disables prefetching. The server keeps a token 60 s; we stay well under.
    double prefetch_max_age_ms = 20000;
    std::string assert_;                   // assert=user|bot|anon on every request (calls and token fetches)
    std::string assertuser;                // assertuser=<name>
    json default_params = json::object();  // merged under every call's params (mw.Api `parameters`)
    Headers headers;                       // extra headers on every request (Api-User-Agent is set by user_agent)
    std::string user_agent;                // sent as Api-User-Agent; not on GET unless user_agent_on_get
    bool user_agent_on_get = false;        // a custom header on GET forces a CORS preflight
    double timeout_ms = 30000;
    // Waits the server asks for (maxlag, readonly, Retry-After) are honoured while the call's total time stays under
    // this budget; 0 never waits. A write is only repeated when the server certainly did not perform it.
    double retry_budget_ms = 65000;
    double readonly_wait_ms = 30000;  // MediaWiki sends no Retry-After for readonly
    // Answers bigger than this are not read (ResponseError "response-too-large"). MediaWiki's biggest ordinary
    // answers (a parse of a long page, a query at the bot limits) are a few MB.
    double max_body_bytes = 32 * 1024 * 1024;
    // The core reads only a few fields (errors, warnings, tokens); MediaWiki nests them at most 5 deep. Anything
    // deeper is "response-too-deep" rather than a stack to exhaust.
    int max_json_depth = 32;
};

using ClientId = std::uint64_t;

struct ActionCall {
    ClientId client = 0;
    std::string method = "GET";  // GET or POST
    json params = json::object();
    std::string token_type;  // empty: no token; else fetched (or cached) and sent as `token`, last in the body
    // Headers for this call only (mw.Api's ajax.headers).
    Headers headers;
    std::optional<double> timeout_ms;
};

struct RestCall {
    ClientId client = 0;
    std::string method = "GET";
    std::string path;
    json path_params = json::object();
    json query = json::object();
    std::optional<json> body;
    Headers headers;
    std::optional<double> timeout_ms;
};

struct Completed {
    CallId call = 0;
    RequestId response_of = 0;  // the request whose body is the result (the driver kept its full parse)
    json warnings = json::array();
    bool anonymous_fallback = false;  // CentralAuth gave no token and the caller allowed an anonymous call
    std::string token;                // for get_token(): the token itself
};

struct Failed {
    CallId call = 0;
    Error error;
    RequestId response_of = 0;  // request whose body is error.result in full, 0 if none
};

struct Notice {  // non-fatal things a user should see in traces (e.g. "token prefetch discarded: too old")
    CallId call = 0;
    std::string code;
    std::string info;
};

struct Event {
    enum class Kind { Completed, Failed, Notice } kind;
    Completed completed;
    Failed failed;
    Notice notice;
};

class Session {
public:
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Registers a client (one mw.ForeignApi / ForeignRest instance). Usage errors: "bad-url", "bad-auth" (a mode
    // whose inputs are missing, e.g. CentralAuth without central_auth_api, Bearer without a token, a REST client
    // in CentralAuth mode whose token URL is on the target's own origin is fine; an http: Bearer target is not).
    Expected<ClientId> add_client(const ClientOptions& options);
    void remove_client(ClientId client, TimeMs now);

    // Starts a call. Misuse fails the call at once (a Failed event with category Usage), so the caller always gets
    // exactly one Completed or Failed per CallId.
    CallId start_action(const ActionCall& call, TimeMs now);
    CallId start_rest(const RestCall& call, TimeMs now);
    void abort(CallId call, TimeMs now);
    // mw.Api's getToken(type): the token of that type for the client's wiki and identity, from the cache or one
    // shared fetch; Completed carries it in `token`. `assert_` / `assertuser` (getToken's second argument; empty:
    // the client's) go to the token fetch and are part of the cache key.
    CallId get_token(ClientId client, const std::string& type, TimeMs now, const std::string& assert_ = "",
                     const std::string& assertuser = "");
    // A call that fails at once with `error`: for input the driver could not even turn into a call (malformed
    // JSON), so that it too gets a CallId and exactly one Failed event.
    CallId reject(const Error& error, TimeMs now);

    // mw.Api's badToken(type): forget the cached token of that type for the client's wiki and identity.
    void forget_token(ClientId client, const std::string& type);

    void handle_response(RequestId request, const HttpResponse& response, TimeMs now);
    void handle_failure(RequestId request, TransportFailure failure, TimeMs now);
    void handle_timeout(TimeMs now);

    std::optional<HttpRequest> poll_request();
    std::optional<RequestId> poll_cancel();  // in-flight requests nobody needs any more: abort the fetch
    std::optional<Event> poll_event();
    std::optional<TimeMs> next_timeout() const;

    // Token type normalisation: legacy types (edit, delete, protect, move, block, unblock, email, import, options)
    // are "csrf".
    static std::string normalize_token_type(const std::string& type);

    struct State;

private:
    std::unique_ptr<State> state_;
};

}  // namespace fw
