// What the session does after a refusal, in one place, as a pure function: the session applies the answer.
// The rule behind every branch: a request is sent again only when the server certainly did not perform it, or when
// it is a read (harmless to repeat); everything else ends the call with its named error.
#pragma once

#include <string>

#include "fw/classify.hpp"
#include "session_state.hpp"

namespace fw::detail {

struct Decision {
    enum class Kind {
        Fail,                   // end the call with the classified error
        RetryWithFreshToken,    // badtoken: forget the csrf (or other) token, fetch a new one, send again
        RetryWithFreshCentral,  // a centralauthtoken was refused or the answer was opaque: a new one, send again
        RetryAfterWait,         // maxlag / readonly / Retry-After: send again at `at`
    } kind = Kind::Fail;
    TimeMs at = 0;
    std::string reason;  // shown in traces as the retry's "why"
};

// `call` got `classified` (an error) for a request sent in `mode`.
Decision decide_after_error(const CallState& call, const ClientOptions& options, AuthMode mode,
                            const Classified& classified, TimeMs now);

// The local wiki gave no centralauthtoken (`error`): go on anonymously only when the caller asked for that.
bool decide_anonymous_fallback(const Error& error, const ClientOptions& options);

// Whether the client's pocket (one spare centralauthtoken) should be filled now. `after_burst`: the client's last
// call just ended; `calls_in_flight`: the client still has calls under way.
bool decide_pocket_refill(const ClientState& client, bool after_burst, bool calls_in_flight);

}  // namespace fw::detail
