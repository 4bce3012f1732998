// The driver: runs the sans-I/O fw::Session against a Bridge. After every input it drains the session itself
// (requests to fetch, requests to cancel, events), keeps the one timer (the session's retry waits and every
// request's timeout, like quinn's TimerTable), and turns expired request timeouts into Timeout failures. Inputs take
// the time as an argument, so tests drive it with a fake clock and a fake bridge.
#pragma once

#include <map>
#include <optional>

#include "bridge.hpp"
#include "fw/session.hpp"

namespace fw {

class Driver {
public:
    explicit Driver(Bridge& bridge) : bridge_(bridge) {}
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;

    Expected<ClientId> add_client(const ClientOptions& options) { return session_.add_client(options); }
    void remove_client(ClientId client, TimeMs now);

    CallId start_action(const ActionCall& call, TimeMs now);
    CallId start_rest(const RestCall& call, TimeMs now);
    CallId get_token(ClientId client, const std::string& type, TimeMs now, const std::string& assert_ = "",
                     const std::string& assertuser = "");
    // A call that fails at once with `error` (input the caller could not even describe, e.g. malformed JSON).
    CallId reject(const Error& error, TimeMs now);
    void abort(CallId call, TimeMs now);
    void forget_token(ClientId client, const std::string& type) { session_.forget_token(client, type); }

    void handle_response(RequestId request, const HttpResponse& response, TimeMs now);
    void handle_failure(RequestId request, TransportFailure failure, TimeMs now);
    // The bridge's timer fired (early or late: both are fine).
    void handle_timer(TimeMs now);

private:
    // Sends, cancels and emits everything the session has queued, expires request timeouts, re-arms the timer.
    void pump(TimeMs now);
    std::optional<TimeMs> next_deadline() const;

    Bridge& bridge_;
    Session session_;
    std::map<RequestId, TimeMs> request_deadlines_;  // requests in flight that have a timeout
    std::optional<TimeMs> armed_;  // what the bridge's timer is set to (it may be earlier than needed)
    bool pumping_ = false;
    bool again_ = false;
};

}  // namespace fw
