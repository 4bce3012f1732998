// Pieces oauth1.cpp and jwt.cpp share; not part of the public header.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "fw/oauth1.hpp"

namespace fw::oauth1::detail {

// Handshake answers are a few hundred bytes, an identify JWT a few KB (the user's rights and groups).
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

Error oauth_error(std::string code, std::string info);

struct UrlParts {
    std::string scheme;  // lower case
    std::string host;    // lower case
    std::string port;    // "" for the scheme's default
    std::string path;    // as written, "/" when empty
    std::string query;   // without '?'
};
std::optional<UrlParts> split_url(const std::string& url);
std::string origin(const UrlParts& parts);
// RFC 5849 §3.4.1.3.2: names and values encoded, sorted by name then value (byte order), joined with = and &.
std::string normalized_parameters(std::vector<Param> params);

}  // namespace fw::oauth1::detail
