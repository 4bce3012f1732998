// Reading back what the core wrote: percent-encoded query strings and form bodies, split into decoded pairs.
// Strict on purpose: anything the core's encoder would never produce (a bare reserved character, lower-case or
// broken %XX) is reported as malformed.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fwfuzz {

using Pairs = std::vector<std::pair<std::string, std::string>>;

bool is_unreserved(char c);
// The decoded text when `encoded` is exactly what fw::percent_encode writes (unreserved bytes and %XX upper-case).
std::optional<std::string> strict_decode(const std::string& encoded);
// What fw::percent_encode must write for `text` (the oracle).
std::string expected_encoding(const std::string& text);
// "a=b&c=d" → {{a,b},{c,d}}, each side strict_decode'd; nullopt when malformed. "" → no pairs.
std::optional<Pairs> split_query(const std::string& query);
// The query of a URL (after the first '?', before any '#'), or "" when it has none.
std::string query_of(const std::string& url);

}  // namespace fwfuzz
