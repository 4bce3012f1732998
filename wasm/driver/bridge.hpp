// What the driver needs from the world outside the module: in the browser, Worker and Node the fetch bridge
// (wasm/bindings/fetch_bridge.js, delegating to js/src/transport.js); in tests/core a fake that records calls.
// Every method is called from inside a Driver input and must not call back into the Driver synchronously (answers
// arrive later, as new inputs); if it does anyway, the Driver queues the work (see Driver::pump).
#pragma once

#include <optional>

#include "fw/session.hpp"

namespace fw {

// Why the driver stops a request it sent.
enum class CancelReason { NotNeeded, Timeout };

class Bridge {
public:
    virtual ~Bridge() = default;
    // Performs `request` exactly as given (method, URL, headers, body, credentials, cache mode, bounds); the answer
    // comes back through Driver::handle_response / handle_failure with the same id.
    virtual void fetch(const HttpRequest& request) = 0;
    // Aborts a request in flight; nothing is reported for it afterwards.
    virtual void cancel(RequestId request, CancelReason reason) = 0;
    // The one timer: call Driver::handle_timer once the clock reaches `deadline`, replacing the one set before. The
    // driver only ever moves it earlier and lets a timer with nothing due fire (waking up early is harmless);
    // nullopt: no timer needed.
    virtual void set_timer(std::optional<TimeMs> deadline) = 0;
    // A call ended (Completed / Failed) or has something to say (Notice).
    virtual void emit(const Event& event) = 0;
};

}  // namespace fw
