#include "decisions.hpp"

namespace fw::detail {

Decision decide_after_error(const CallState& call, const ClientOptions& options, AuthMode mode,
                            const Classified& classified, TimeMs now) {
    const Error& e = *classified.error;
    Decision d;

    // Refused for certain, before the module ran: the same request with a fresh token cannot do harm. Once each.
    if (classified.retry.not_performed) {
        if (e.code == "badtoken" && call.kind == CallKind::User && !call.token_type.empty() &&
            call.badtoken_retries == 0) {
            d.kind = Decision::Kind::RetryWithFreshToken;
            d.reason = "retry with a fresh " + call.token_type + " token after badtoken";
            return d;
        }
        if (e.code == "centralauthtoken-rejected" && call.central_retries == 0) {
            d.kind = Decision::Kind::RetryWithFreshCentral;
            d.reason = "retry with a fresh centralauthtoken (the foreign wiki refused the last one)";
            return d;
        }
        // The server asked for a wait (readonly sends no Retry-After: our own wait). Rate limits are never waited
        // out automatically: the caller decides.
        const bool readonly = e.code == "readonly";
        if (e.code != "ratelimited" && (classified.retry.retry_after_ms || readonly)) {
            const double wait =
                readonly ? options.readonly_wait_ms : classified.retry.retry_after_ms.value_or(kDefaultMaxlagWaitMs);
            if (now + wait - call.started <= options.retry_budget_ms) {
                d.kind = Decision::Kind::RetryAfterWait;
                d.at = now + wait;
                d.reason = "retry after the wait the server asked for (" + e.code + ")";
                return d;
            }
        }
    }

    // An answer that may come from an anonymous run after the token expired on the way (session.cpp): a read is
    // repeated once with a fresh token; a write is reported.
    if (e.code == "centralauthtoken-expired" && !call.write && call.central_retries == 0) {
        d.kind = Decision::Kind::RetryWithFreshCentral;
        d.reason = "retry a read with a fresh centralauthtoken: the answer came after the last one expired";
        return d;
    }

    // Status 0 with a centralauthtoken attached: MediaWiki answers a used or expired token without CORS headers.
    // A read is safe to repeat once with a fresh token; a write may have happened, so it is reported.
    if (e.category == ErrorCategory::Network && mode == AuthMode::CentralAuth && !call.write &&
        call.central_retries == 0) {
        d.kind = Decision::Kind::RetryWithFreshCentral;
        d.reason = "retry a read with a fresh centralauthtoken after an opaque failure";
        return d;
    }
    return d;
}

bool decide_anonymous_fallback(const Error& error, const ClientOptions& options) {
    return error.category == ErrorCategory::CentralAuth && options.anonymous_fallback;
}

bool decide_pocket_refill(const ClientState& client, bool after_burst, bool calls_in_flight) {
    if (client.options.auth != AuthMode::CentralAuth || client.options.prefetch_max_age_ms <= 0) return false;
    if (client.foreign_login == ClientState::ForeignLogin::LoggedIn) return false;  // cookies from now on
    if (client.prefetch.state != ClientState::Prefetch::State::None) return false;  // at most one spare
    // After cold calls, only once the burst is over: calls still in flight hold their own tokens, and a token
    // minted now would compete with them for connections and the local wiki's workers. A call that took the
    // pocket's token refills it at once, beside itself.
    return !(after_burst && calls_in_flight);
}

}  // namespace fw::detail
