// Plain value types shared by every part of the core: what goes on the wire and what comes back.
// The core never performs I/O; these are the messages it exchanges with its driver (js/src/transport.js
// in the browser, scripted fakes in tests/core).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace fw {

using json = nlohmann::json;

// Milliseconds on the driver's monotonic clock. The core only compares and subtracts them.
using TimeMs = double;

using RequestId = std::uint64_t;
using CallId = std::uint64_t;

// Header names are stored lower-case (fetch's Headers object reports them that way).
using Headers = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> find_header(const Headers& headers, const std::string& lower_name);

// Why a request exists; shown in traces and the demo's waterfall.
enum class Purpose {
    CentralAuthToken,  // action=centralauthtoken on the local wiki
    LoginCheck,        // meta=userinfo|tokens with cookies, to see if the user is already logged in on the foreign wiki
    Token,             // meta=tokens on the foreign wiki
    Call,              // the caller's own request
    Retry,             // the caller's request again, after a refusal the server certainly did not act on
};
const char* to_string(Purpose purpose);

enum class Credentials { Omit, Include };
const char* to_string(Credentials credentials);

// One multipart/form-data field. `blob` >= 0 refers to the caller's Blob/File number `blob` (the JS layer keeps the
// objects; the core only sees the placeholder {"$blob": n}); otherwise `value` is the text.
struct FormField {
    std::string name;
    std::string value;
    int blob = -1;
};

enum class BodyKind { None, FormUrlEncoded, Multipart, Json };

struct HttpRequest {
    RequestId id = 0;
    CallId call = 0;  // 0 for requests that serve no single call (a prefetch, a shared token fetch)
    Purpose purpose = Purpose::Call;
    std::string why;  // one human sentence for traces
    std::string method = "GET";
    std::string url;
    std::string display_url;  // url with secrets masked, for traces and logs
    Headers headers;
    BodyKind body_kind = BodyKind::None;
    std::string body;               // FormUrlEncoded or Json
    std::vector<FormField> fields;  // Multipart
    Credentials credentials = Credentials::Omit;
    bool no_store = false;  // token requests must never be served from or stored in the HTTP cache
    double timeout_ms = 0;  // 0: no timeout
    // Bounds on the answer the driver reads: a bigger body, or a digest nested deeper, is reported as TooLarge or
    // TooDeep instead of being read (a hostile or broken server must not exhaust memory or the stack).
    double max_body_bytes = 0;
    int max_json_depth = 0;
    std::uint32_t signer = 0;  // AuthMode::OAuth1: the host signs the request with this signer before sending it
};

// What the driver saw. `status` 0 means the browser gave no response at all (network failure or a CORS refusal,
// which look the same from JavaScript). TooLarge / TooDeep: an answer arrived but exceeded the request's bounds.
enum class ResponseBody { Empty, Json, Text, TooLarge, TooDeep };

struct HttpResponse {
    int status = 0;
    Headers headers;
    ResponseBody body_kind = ResponseBody::Empty;
    // For Json: the parsed body, or only the parts the core reads (see digest_spec()); the driver keeps the full
    // parse for the caller so large bodies are parsed once.
    json body;
    // True when `body` holds only the digest_spec() keys of a larger object: the original was not empty, even if
    // none of its keys were copied (a big {"parse":…} digests to {}), so it must not count as "ok-but-empty".
    bool digest = false;
    std::string text;  // for Text: the start of the body (enough for an error message)
};

// What the JS driver must copy from a parsed JSON body for the core to decide; everything else stays in JS.
// {"top": [keys], "query": [keys]}.
json digest_spec();

// Ways a request can end without a response.
enum class TransportFailure { Network, Timeout, Abort };

}  // namespace fw
