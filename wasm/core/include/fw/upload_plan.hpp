// Chunked uploads (api.php action=upload with stash, chunk, offset, filekey; MediaWiki 1.39
// includes/api/ApiUpload.php), as a sans-I/O state machine: it says which request comes next (a chunk, a status
// check, a poll, the publish) and learns from each answer or failure. The caller slices the file and sends.
//
// The rules that make it safe to resume: a chunk is sent again only when the server says where it stands — its
// offset from `checkstatus` or from a `stashfailed` refusal — never on a guess; the first chunk, which has no filekey
// to ask about yet, may be sent again because a lost first chunk only leaves an unpublished stash entry behind; the
// publish (filekey → file page) is never repeated after an ambiguous failure.
#pragma once

#include <cstdint>
#include <string>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

enum class UploadPhase { Chunk, Status, Poll, Publish, Done };

struct ChunkedUpload {
    std::uint64_t size = 0;
    std::uint64_t chunk_size = 5 * 1024 * 1024;  // mw.Api's default
    std::string filename;
    bool stash_only = false;        // stop at the stash (uploadToStash): the caller publishes later
    bool async = false;             // async=1: the server assembles/publishes in a job; we poll checkstatus
    json publish = json::object();  // comment, text, ignorewarnings, watchlist… for the publish step
    bool ignore_warnings = false;   // for the chunks (mw.Api passes ignorewarnings through)
    int resend_budget = 3;          // chunk re-sends (each one justified by the server's offset) and status checks
    // Progress, kept by the machine:
    UploadPhase phase = UploadPhase::Chunk;
    std::uint64_t offset = 0;
    std::string filekey;
    bool published_async = false;  // the publish was answered Poll: polls now wait for the published file
    int polls = 0;
};

// What the caller does next.
struct UploadStep {
    enum class Kind { Request, Done, Fail } kind = Kind::Fail;
    json params;                    // Request: api.php parameters (POST with a csrf token)
    std::uint64_t chunk_start = 0;  // Request with a chunk: the byte range to attach as `chunk`
    std::uint64_t chunk_end = 0;
    bool has_chunk = false;
    double wait_ms = 0;  // Request: wait this long first (polling)
    json result;         // Done: the last answer's `upload` object
    Error error;         // Fail
};

Expected<ChunkedUpload> chunked_upload_from_json(const json& object);
json to_json(const ChunkedUpload& upload);

// The first request: a chunk; with a filekey a status check (resuming), or the publish when the plan's phase is
// already Publish (uploadFromStash).
UploadStep upload_start(ChunkedUpload& upload);
// The answer to the last request.
UploadStep upload_answer(ChunkedUpload& upload, const json& answer);
// The last request failed: `error` as the session reported it (performed tells whether the server may have acted).
UploadStep upload_failure(ChunkedUpload& upload, const Error& error);

const char* to_string(UploadPhase phase);

}  // namespace fw
