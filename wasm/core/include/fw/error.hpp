// Errors are values. Each has a stable code (the server's own API error code where there is one, so code written
// for mw.Api's `.fail(code, result)` keeps working), a human message and a category the JS layer maps to a named
// Error class. Local misuse (Usage) is kept apart from everything the remote side did.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "fw/types.hpp"

namespace fw {

enum class ErrorCategory {
    Usage,     // the caller passed something invalid; nothing was sent
    Api,       // the Action API answered with an error (code is the server's)
    Rest,      // the REST API answered with an error body
    Http,      // an HTTP status without an API error body
    Response,  // a 2xx answer that is empty or not JSON
    Network,   // no response (status 0): network down, DNS, or a CORS refusal the browser hides
    Cors,      // the server refused the origin in a way we could read (403 origin mismatch, CORS-Rejection header)
    LoginSuppressed,  // the server ran the request anonymously although we asked for a login
    CentralAuth,      // the local wiki gave no centralauthtoken, or the foreign wiki refused it twice
    // The wiki refused the OAuth access token (invalid, expired, revoked), OAuth cannot work here, or an OAuth 1.0a
    // handshake or identify answer was an error or failed verification (Extension:OAuth).
    OAuth,
    Timeout,
    Abort,
};
const char* to_string(ErrorCategory category);

// Whether the server may have acted on the failed call: No when the request never left or the server refused it
// for certain (an API error, badtoken, maxlag, readonly, a 429/503 with Retry-After); Maybe for a write whose fate
// is unknown (a timeout, status 0, a 5xx, an answer that is not MediaWiki's success). Reads are always No.
enum class Performed { No, Maybe };
const char* to_string(Performed performed);

struct Error {
    ErrorCategory category = ErrorCategory::Usage;
    std::string code;
    std::string info;
    int status = 0;  // HTTP status, 0 when there was none
    json result;     // the response body (digest) when there was one
    Performed performed = Performed::No;
};

Error usage_error(std::string code, std::string info);

// A tiny expected<T, Error>: the core never throws across its public surface.
template <typename T>
class Expected {
public:
    Expected(T value) : state_(std::move(value)) {}
    Expected(Error error) : state_(std::move(error)) {}
    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const { return std::get<0>(state_); }
    T& value() { return std::get<0>(state_); }
    const Error& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

}  // namespace fw
