#include "call_phase.hpp"

namespace fw::detail {

const char* to_string(Phase phase) {
    switch (phase) {
        case Phase::Start: return "Start";
        case Phase::Preparing: return "Preparing";
        case Phase::InFlight: return "InFlight";
        case Phase::WaitingRetry: return "WaitingRetry";
        case Phase::Following: return "Following";
        case Phase::Done: return "Done";
    }
    return "Start";
}

const Transition kTransitions[] = {
    {Phase::Start, Phase::InFlight, "has all it needs: sent"},
    {Phase::Start, Phase::Preparing, "needs a token or a centralauthtoken: both asked for at once"},
    {Phase::Start, Phase::Following, "an identical read is under way"},
    {Phase::Start, Phase::Done, "refused before anything was sent (usage error, unknown client)"},
    {Phase::Preparing, Phase::InFlight, "token and centralauthtoken in hand: sent"},
    {Phase::Preparing, Phase::Done, "no token to be had, or aborted"},
    {Phase::InFlight, Phase::Done,
     "answered: Completed, or Failed (an ambiguous failure of a write is never repeated)"},
    {Phase::InFlight, Phase::Preparing,
     "refused for certain (badtoken, centralauthtoken refused, opaque failure of a read): fresh token, sent again"},
    {Phase::InFlight, Phase::InFlight, "refused for certain, everything still in hand: sent again at once"},
    {Phase::InFlight, Phase::WaitingRetry,
     "the server asked for a wait within the retry budget (maxlag, readonly, Retry-After)"},
    {Phase::WaitingRetry, Phase::InFlight, "the wait is over: sent again"},
    {Phase::WaitingRetry, Phase::Preparing, "the wait is over: a fresh centralauthtoken first"},
    {Phase::WaitingRetry, Phase::Done, "aborted"},
    {Phase::Following, Phase::Done, "the identical read ended: its outcome, a copy for each"},
    {Phase::Following, Phase::InFlight, "the identical read was aborted by its caller: takes over"},
    {Phase::Following, Phase::Preparing, "the identical read was aborted by its caller: takes over, token first"},
};

const std::size_t kTransitionCount = sizeof(kTransitions) / sizeof(kTransitions[0]);

bool allowed(Phase from, Phase to) {
    if (from == to && from != Phase::InFlight) return true;  // staying put is no move
    for (std::size_t i = 0; i < kTransitionCount; ++i)
        if (kTransitions[i].from == from && kTransitions[i].to == to) return true;
    return false;
}

}  // namespace fw::detail
