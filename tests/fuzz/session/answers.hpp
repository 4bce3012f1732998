// What the fake wikis of fuzz_session answer: a table of real MediaWiki 1.39 + CentralAuth answers (copied from
// ../shared/reference: mediawiki-observed.md §4–§6 and calab-example/transcript.md, as in
// tests/core/support/wiki_responses.hpp), odd-typed JSON a broken proxy or extension could send, and the oracle
// saying whether an answer leaves a write's fate unknown.
#pragma once

#include <cstddef>
#include <string>

#include "fw/types.hpp"

namespace fwfuzz {

// Bodies may hold the placeholders $CAT (a fresh centralauthtoken) and $CSRF (a fresh csrf-like token); the world
// replaces each occurrence with a newly minted value it tracks.
struct Canned {
    const char* name;
    int status;
    const char* headers;  // "name: value" lines separated by '\n'
    const char* body;     // parsed as JSON when it is JSON, else sent as text; "" = empty body
};
extern const Canned kCanned[];
extern const std::size_t kCannedCount;

fw::Headers parse_header_lines(const std::string& lines);
// A response as the JS driver hands it over: JSON bodies parsed, other bodies as text, "" as Empty.
fw::HttpResponse make_response(int status, fw::Headers headers, const std::string& body, bool digest = false);

// True when a write that got this answer may or may not have been performed (wasm/core/include/fw/error.hpp,
// Performed::Maybe): status 0, a 5xx (whatever its body says, except a 503 with Retry-After: the documented "come
// back later"), or a 2xx that is neither an API refusal ({"error": {"code": …}}, not internal_api_error) nor a clear
// success (empty, not JSON, not read, a malformed error, an empty object, or run anonymously / for an origin that
// cannot read it).
bool ambiguous_for_write(const fw::HttpResponse& response);

}  // namespace fwfuzz
