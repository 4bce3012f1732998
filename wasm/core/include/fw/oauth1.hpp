// OAuth 1.0a for MediaWiki's Extension:OAuth (RFC 5849 with HMAC-SHA1), sans-I/O: the nonce, the timestamp, the
// clock and every secret are inputs; nothing here sends, logs or remembers. Error infos never quote a secret or a
// base string. Node and native only: the gadget script does not link this (tests/js/package.test.mjs checks it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fw/error.hpp"

namespace fw::oauth1 {

struct Param {
    std::string name;
    std::string value;
};

// RFC 5849 §3.6: UTF-8 bytes, unreserved A-Z a-z 0-9 - . _ ~ kept, everything else %XX with upper-case hex.
std::string percent_encode(std::string_view text);
// application/x-www-form-urlencoded pairs, decoded ('+' is a space, a broken %-escape stays as it is, as PHP's
// urldecode leaves it); duplicates kept, empty parts skipped, a name without '=' has the value "".
std::vector<Param> parse_form(std::string_view text);
// RFC 5849 §3.4.1.2: scheme and host lower-cased, the default port dropped, no query or fragment; "bad-url" when
// the URL is not absolute http(s).
Expected<std::string> base_string_uri(const std::string& url);

// The four strings: a consumer, and the token it acts with (empty for initiate).
struct Credentials {
    std::string consumer_key;
    std::string consumer_secret;
    std::string token;
    std::string token_secret;
};

struct SignInput {
    std::string method = "GET";
    std::string url;           // with its query
    std::string content_type;  // the body is signed only when this starts with application/x-www-form-urlencoded
    std::string body;
    Credentials credentials;
    std::string nonce;      // 1 to 128 unreserved characters (the caller's ≥ 128 random bits)
    std::string timestamp;  // whole seconds since the epoch, the caller's clock (MediaWiki allows ±300 s)
    std::optional<std::string> callback;  // initiate: oauth_callback (a URL or "oob")
    std::optional<std::string> verifier;  // token exchange: oauth_verifier
    bool send_version = true;             // oauth_version="1.0" (optional; RFC 5849's own examples omit it)
};

struct Signed {
    std::string authorization;  // the value of the Authorization header: OAuth oauth_consumer_key="…", …
    std::string base_string;    // for tests only: never log it
    std::string signature;      // base64 HMAC-SHA1, unencoded
};

// Signs one request. Usage errors: "bad-url", "bad-auth" (no consumer key/secret, a token without its secret),
// "oauth1-bad-input" (nonce or timestamp malformed), "oauth1-duplicate-param" (a protocol parameter also in the
// query or the form body: MediaWiki merges the sources and then the signature never matches).
Expected<Signed> sign(const SignInput& input);
// RFC 5849 §3.4.2: base64(HMAC-SHA1(enc(consumer_secret) & enc(token_secret), base_string)).
std::string hmac_sha1_signature(const std::string& base_string, const std::string& consumer_secret,
                                const std::string& token_secret);

// The handshake on index.php (pretty URLs break the signature: Special:OAuth rewrites its title).
// `special` is initiate, token or identify. format=json makes MediaWiki's errors carry their message key.
Expected<std::string> special_url(const std::string& index_php, const std::string& special);
// Where the user authorizes the request token (a browser navigation; MediaWiki needs the consumer key too).
Expected<std::string> authorize_url(const std::string& index_php, const std::string& request_token,
                                    const std::string& consumer_key);

struct Token {
    std::string token;
    std::string secret;
};
// The answer of initiate or token: the raw form (oauth_token=…&oauth_token_secret=…), or JSON ({key, secret} on
// 1.39, oauth_token/oauth_token_secret later). MediaWiki answers errors with HTTP 200: {"error": <message key>,
// "message": …} becomes an OAuth error with that key as its code, a raw "Error: …" text "oauth-error", anything
// else "oauth-bad-answer".
Expected<Token> parse_token_answer(int status, std::string_view body);

// The callback's query (oauth_verifier, oauth_token): the verifier, once oauth_token is the request token we hold
// ("oauth-token-mismatch" otherwise, "oauth-no-verifier" without one).
Expected<std::string> verifier_from_callback(std::string_view query, const std::string& request_token);

struct IdentifyCheck {
    std::string consumer_key;
    std::string consumer_secret;
    std::string issuer;  // the wiki's canonical server, e.g. https://wiki.example.org (compared as an origin)
    std::string nonce;   // the oauth_nonce of the identify request
    double now_s = 0;    // the caller's clock
    double leeway_s = 10;
};
// Special:OAuth/identify's answer: an HS256 JWT signed with the consumer secret. The verified claims, or an OAuth
// error: "jwt-malformed", "jwt-bad-algorithm", "jwt-bad-signature", "jwt-wrong-audience", "jwt-wrong-issuer",
// "jwt-nonce-mismatch", "jwt-expired", "jwt-not-yet-valid"; or MediaWiki's JSON error with its own code.
Expected<json> verify_identify(std::string_view body, const IdentifyCheck& check);

}  // namespace fw::oauth1
