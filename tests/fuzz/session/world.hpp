// The world around one fw::Session in fuzz_session: the clients and calls the harness started, the requests on
// the wire, the fake local and foreign wikis minting tokens, and the invariants checked after every input.
//
// Invariants (each violation aborts, naming it):
//   - every CallId gets exactly one Completed or Failed, and no request is emitted for a call after it ended;
//   - no csrf-like token (minted by the fake foreign wikis) appears in a URL, and it only goes to the origin that
//     issued it;
//   - each centralauthtoken minted by the fake local wiki is sent at most once, only to the api.php/rest.php of a
//     client it was minted for, and never appears in display_url;
//   - a Bearer token only goes to its client's origin, only in the Authorization header;
//   - a write (Action POST, REST non-GET/HEAD) is never sent again once one of its requests met an ambiguous
//     outcome (answers.hpp: ambiguous_for_write, a timeout/abort/network failure, or a cancel while in flight),
//     and if it then fails, its error says performed=maybe; a read's error always says performed=no;
//   - no CR/LF in URLs and headers; events refer to requests of their own call; error texts are valid UTF-8;
//   - settle(): once every request is answered and the clock is past next_timeout(), nothing is pending and every
//     call has ended.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "answers.hpp"
#include "fw/session.hpp"

namespace fwfuzz {

class World {
public:
    // Text the caller itself put in a call (parameters, bodies): a secret found there was not leaked by the session.
    void note_supplied(const std::string& text) { supplied_ += text; }
    std::string supplied_;

    explicit World(bool foreign_logged_in) : foreign_logged_in_(foreign_logged_in) {}

    fw::Session session;
    double now = 1000;

    // Registering what the harness did (the ids the session returned).
    void client_added(fw::ClientId id, const fw::ClientOptions& options);
    void client_removed(fw::ClientId id);
    void call_started(fw::CallId id, fw::ClientId client, bool write, bool token_only);

    // The network.
    std::vector<fw::RequestId> outstanding() const;
    std::vector<fw::RequestId> finished_requests() const;  // answered, failed or cancelled (for stale answers)
    std::vector<fw::CallId> call_ids() const;
    std::vector<fw::ClientId> client_ids() const;
    const fw::HttpRequest* request(fw::RequestId id) const;

    fw::HttpResponse natural_answer(const fw::HttpRequest& r);  // what the fake wikis would really say
    fw::HttpResponse canned_answer(const fw::HttpRequest& r, std::size_t index);
    // A fuzzed body: placeholders are minted like in the canned table.
    fw::HttpResponse fuzzed_answer(const fw::HttpRequest& r, int status, fw::Headers headers, const std::string& body,
                                   bool digest);

    void deliver(fw::RequestId id, const fw::HttpResponse& response);
    void fail(fw::RequestId id, fw::TransportFailure failure);
    void advance_clock(double by);

    // Polls requests, cancels and events, checking every invariant.
    void drain();
    // Answers everything (mode 0: naturally, 1: network failures, 2: timeouts) until nothing is pending.
    void settle(int mode);

private:
    struct ClientRecord {
        fw::ClientOptions options;
        bool removed = false;
    };
    struct CallRecord {
        fw::ClientId client = 0;
        bool write = false;
        bool token_only = false;
        bool ended = false;
        bool ambiguous = false;  // one of its Call/Retry requests met an ambiguous outcome
    };
    struct CentralMint {
        std::vector<fw::ClientId> allowed;
        int uses = 0;
    };
    struct Emitted {
        fw::HttpRequest request;
        bool finished = false;
    };

    std::string substitute(const fw::HttpRequest& r, std::string body);
    std::string mint_central(const fw::HttpRequest& r);
    std::string mint_secret(const fw::HttpRequest& r);
    std::vector<fw::ClientId> central_clients_for(const fw::HttpRequest& r) const;
    bool may_receive_central(const ClientRecord& client, const std::string& url) const;
    void note_outcome(fw::RequestId id, bool ambiguous);
    void check_request(const fw::HttpRequest& r);
    void check_event(const fw::Event& e);

    bool foreign_logged_in_;
    int minted_ = 0;
    std::map<fw::ClientId, ClientRecord> clients_;
    std::map<fw::CallId, CallRecord> calls_;
    std::map<fw::RequestId, Emitted> requests_;
    std::map<std::string, CentralMint> central_;  // minted centralauthtoken → where it may go
    std::map<std::string, std::string> secrets_;  // minted csrf-like token (without "+\") → origin that issued it
};

}  // namespace fwfuzz
