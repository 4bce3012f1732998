#include "driver.hpp"

#include <vector>

namespace fw {

void Driver::remove_client(ClientId client, TimeMs now) {
    session_.remove_client(client, now);
    pump(now);
}

CallId Driver::start_action(const ActionCall& call, TimeMs now) {
    const CallId id = session_.start_action(call, now);
    pump(now);
    return id;
}

CallId Driver::start_rest(const RestCall& call, TimeMs now) {
    const CallId id = session_.start_rest(call, now);
    pump(now);
    return id;
}

CallId Driver::get_token(ClientId client, const std::string& type, TimeMs now, const std::string& assert_,
                         const std::string& assertuser) {
    const CallId id = session_.get_token(client, type, now, assert_, assertuser);
    pump(now);
    return id;
}

CallId Driver::reject(const Error& error, TimeMs now) {
    const CallId id = session_.reject(error, now);
    pump(now);
    return id;
}

void Driver::abort(CallId call, TimeMs now) {
    session_.abort(call, now);
    pump(now);
}

void Driver::handle_response(RequestId request, const HttpResponse& response, TimeMs now) {
    request_deadlines_.erase(request);
    session_.handle_response(request, response, now);
    pump(now);
}

void Driver::handle_failure(RequestId request, TransportFailure failure, TimeMs now) {
    request_deadlines_.erase(request);
    session_.handle_failure(request, failure, now);
    pump(now);
}

void Driver::handle_timer(TimeMs now) {
    armed_.reset();  // the bridge's timer is spent
    session_.handle_timeout(now);
    pump(now);
}

std::optional<TimeMs> Driver::next_deadline() const {
    std::optional<TimeMs> earliest = session_.next_timeout();
    for (const auto& entry : request_deadlines_)
        if (!earliest || entry.second < *earliest) earliest = entry.second;
    return earliest;
}

void Driver::pump(TimeMs now) {
    // A bridge callback (a trace listener, a promise handler run synchronously) may start a call while we are in
    // here: that input has already reached the session, so only draining again is left to do.
    if (pumping_) {
        again_ = true;
        return;
    }
    pumping_ = true;
    do {
        again_ = false;
        std::vector<RequestId> expired;
        for (const auto& entry : request_deadlines_)
            if (entry.second <= now) expired.push_back(entry.first);
        for (RequestId id : expired) {
            request_deadlines_.erase(id);
            bridge_.cancel(id, CancelReason::Timeout);
            session_.handle_failure(id, TransportFailure::Timeout, now);
        }
        // Requests before cancels: a request emitted and cancelled within one input is then stopped, not left running.
        while (auto request = session_.poll_request()) {
            if (request->timeout_ms > 0) request_deadlines_[request->id] = now + request->timeout_ms;
            bridge_.fetch(*request);
        }
        while (auto cancel = session_.poll_cancel()) {
            request_deadlines_.erase(*cancel);
            bridge_.cancel(*cancel, CancelReason::NotNeeded);
        }
        while (auto event = session_.poll_event()) bridge_.emit(*event);
    } while (again_);
    pumping_ = false;
    // The timer is only ever moved earlier: one that fires with nothing due costs one input, where re-arming it
    // after every request and answer would cost a crossing each (a warm call then needs none at all).
    const auto deadline = next_deadline();
    if (deadline && (!armed_ || *deadline < *armed_)) {
        armed_ = deadline;
        bridge_.set_timer(deadline);
    }
}

}  // namespace fw
