// A call's phase, and every move between phases the session makes, as data (h11's rule: the transitions live in
// one table). The session announces each move with enter(); a move the table does not list is a bug, caught by an
// assertion in the native builds (the Catch2 tests and the fuzzers run them). docs/call-phases.md is generated from
// the table by tools/fw_docs.cpp, so the diagram cannot drift from the code.
#pragma once

#include <cstddef>

namespace fw::detail {

enum class Phase {
    Start,         // created, nothing asked for yet
    Preparing,     // waiting for its token and/or centralauthtoken (each fetched at most once, in parallel)
    InFlight,      // its request is on the wire
    WaitingRetry,  // the server asked for a wait (maxlag, readonly, Retry-After); the session's timer resends it
    Following,     // an identical read is under way: it gets that read's answer
    Done,          // ended: exactly one Completed or Failed event was emitted (or handed to its waiters)
};
const char* to_string(Phase phase);

struct Transition {
    Phase from;
    Phase to;
    const char* when;  // what makes the session take it, for the diagram
};

extern const Transition kTransitions[];
extern const std::size_t kTransitionCount;

bool allowed(Phase from, Phase to);

}  // namespace fw::detail
