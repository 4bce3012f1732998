// JSON values built from fuzz bytes: every type, the strings MediaWiki clients trip on, deep nesting, and (when
// asked) strings that are not UTF-8 and numbers that JSON text cannot hold (NaN, infinities), which native callers
// of the core can still pass.
#pragma once

#include <string>

#include "bytes.hpp"
#include "fw/types.hpp"

namespace fwfuzz {

struct JsonShape {
    bool valid_utf8 = true;       // false: strings may hold any bytes
    bool allow_non_finite = false;
    int max_depth = 5;            // for arrays/objects with several members; the "deep" kind goes far deeper
};

// A string from a table of troublemakers ("+\\", "a|b", "\x1f", "..", "AC/DC", "\r\n", …) or raw bytes.
std::string random_string(Bytes& in, bool valid_utf8);
fw::json random_json(Bytes& in, const JsonShape& shape, int depth = 0);
// An object with up to `max_members` members whose names come from `names` (or are random).
fw::json random_object(Bytes& in, const JsonShape& shape, const char* const* names, std::size_t name_count,
                       std::size_t max_members);

}  // namespace fwfuzz
