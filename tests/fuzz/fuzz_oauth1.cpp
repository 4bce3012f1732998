// fuzz_oauth1: the OAuth 1.0a pieces of wasm/core/include/fw/oauth1.hpp that read what others wrote: sign() with any
// URL, content type, body and inputs; parse_form; parse_token_answer and verifier_from_callback with any answer;
// verify_identify with any body, and with a correctly signed JWT around any payload (so the claim checks are reached).
// Invariants: never crashes; the Authorization header has no CR/LF and never quotes a secret; the base string is
// METHOD&enc(uri)&enc(params) in unreserved characters, '%' and '&'; parse_form reads back what percent_encode
// wrote; every error info is valid UTF-8 (the Wasm build's JSON serialisation aborts otherwise); a token parsed
// from an answer is plain; a verified JWT's aud, nonce and iss are the expected ones.
#define FW_FUZZ_HARNESS "fuzz_oauth1"

#include <algorithm>
#include <string>

#include "fw/crypto/crypto.hpp"
#include "fw/oauth1.hpp"
#include "support/bytes.hpp"
#include "support/check.hpp"

using namespace fwfuzz;
using fw::oauth1::percent_encode;

namespace {

bool plain_base_string(const std::string& base) {
    for (char c : base) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_' || c == '~' || c == '%' || c == '&';
        if (!ok) return false;
    }
    return true;
}

template <typename T>
void check_error_text(const fw::Expected<T>& result) {
    if (!result.ok()) FW_FUZZ_CHECK(is_valid_utf8(result.error().info), "an error info is not valid UTF-8");
}

void fuzz_sign(Bytes& in) {
    const char* methods[] = {"GET", "post", "PUT", "G\r\nX"};
    const char* types[] = {"", "application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8",
                           "multipart/form-data"};
    fw::oauth1::SignInput s;
    s.method = in.pick(methods);
    s.url = in.flag() ? "http://127.0.0.2:8392/w/api.php?" + in.str() : in.str();
    s.content_type = in.pick(types);
    s.body = in.str();
    s.credentials = {in.str(40), in.str(40), in.str(40), in.str(40)};
    s.nonce = in.str(40);
    s.timestamp = in.str(16);
    if (in.flag()) s.callback = in.str(60);
    if (in.flag()) s.verifier = in.str(40);
    s.send_version = in.flag();
    const auto signed_ = fw::oauth1::sign(s);
    check_error_text(signed_);
    if (!signed_.ok()) return;
    const auto& out = signed_.value();
    FW_FUZZ_CHECK(!has_cr_or_lf(out.authorization), "CR/LF in the Authorization header");
    FW_FUZZ_CHECK(starts_with(out.authorization, "OAuth oauth_consumer_key=\""), "header does not start as OAuth");
    FW_FUZZ_CHECK(plain_base_string(out.base_string.substr(out.base_string.find('&'))),
                  "base string has characters percent-encoding never writes");
    FW_FUZZ_CHECK(std::count(out.base_string.begin(), out.base_string.end(), '&') == 2, "base string is not 3 parts");
    // The header's own words: a secret spelled like them is not a leak.
    const std::string publics[] = {s.url,
                                   s.body,
                                   s.credentials.consumer_key,
                                   s.credentials.token,
                                   s.nonce,
                                   s.timestamp,
                                   s.callback.value_or(""),
                                   s.verifier.value_or(""),
                                   "OAuth oauth_consumer_key oauth_nonce oauth_signature_method HMAC-SHA1 "
                                   "oauth_timestamp oauth_version 1.0 oauth_token oauth_callback oauth_verifier "
                                   "oauth_signature"};
    for (const std::string& secret : {s.credentials.consumer_secret, s.credentials.token_secret}) {
        // Only a secret of unreserved characters can be told apart from the header's quotes and commas.
        if (secret.size() < 6 || percent_encode(secret) != secret) continue;
        bool is_public = false;
        for (const auto& p : publics)
            is_public = is_public || contains(p, secret) || contains(percent_encode(p), percent_encode(secret)) ||
                        contains(percent_encode(p), secret);
        if (!is_public)
            FW_FUZZ_CHECK(!contains(out.authorization, secret) && !contains(out.authorization, percent_encode(secret)),
                          "a secret in the Authorization header");
    }
}

void fuzz_form(Bytes& in) {
    const std::string name = in.str(40), value = in.str(40), tail = in.rest();
    if (!name.empty()) {
        const auto pairs = fw::oauth1::parse_form(percent_encode(name) + "=" + percent_encode(value));
        FW_FUZZ_CHECK(pairs.size() == 1 && pairs[0].name == name && pairs[0].value == value,
                      "parse_form does not read back percent_encode");
    }
    for (const auto& p : fw::oauth1::parse_form(tail)) FW_FUZZ_CHECK(p.name.size() <= tail.size(), "pair too long");
    check_error_text(fw::oauth1::base_string_uri(tail));
}

void fuzz_answers(Bytes& in) {
    const int status = in.u16();
    const std::string token = in.str(40);
    const std::string body = in.rest();
    const auto answer = fw::oauth1::parse_token_answer(status, body);
    check_error_text(answer);
    if (answer.ok()) {
        FW_FUZZ_CHECK(!answer.value().token.empty() && !answer.value().secret.empty(), "empty token accepted");
        FW_FUZZ_CHECK(percent_encode(answer.value().token) == answer.value().token &&
                          percent_encode(answer.value().secret) == answer.value().secret,
                      "a token with characters MediaWiki never mints");
    }
    const auto verifier = fw::oauth1::verifier_from_callback(body, token);
    check_error_text(verifier);
    if (verifier.ok()) FW_FUZZ_CHECK(!token.empty(), "a verifier for no request token");
}

void fuzz_identify(Bytes& in) {
    fw::oauth1::IdentifyCheck check;
    check.consumer_key = in.str(40);
    check.consumer_secret = in.str(40);
    check.issuer = in.flag() ? "http://127.0.0.2:8392/w/index.php" : in.str(60);
    check.nonce = in.str(40);
    check.now_s = in.f64();
    check.leeway_s = in.u8();
    const bool wrap = in.flag();
    std::string body = in.rest();
    if (wrap) {
        // A JWT whose signature is right, around a payload of any bytes: the claim checks must hold on their own.
        const std::string signing = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9." + fw::crypto::base64url_encode(body);
        body = signing + "." + fw::crypto::base64url_encode(fw::crypto::hmac_sha256(check.consumer_secret, signing));
    }
    const auto claims = fw::oauth1::verify_identify(body, check);
    check_error_text(claims);
    if (!claims.ok()) return;
    FW_FUZZ_CHECK(!check.consumer_secret.empty(), "verified without a secret");
    FW_FUZZ_CHECK(claims.value().is_object(), "claims are not an object");
    const auto& nonce = claims.value()["nonce"];
    FW_FUZZ_CHECK(nonce.is_string() && nonce.get<std::string>() == check.nonce, "verified with another nonce");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    switch (in.below(4)) {
        case 0: fuzz_sign(in); break;
        case 1: fuzz_form(in); break;
        case 2: fuzz_answers(in); break;
        default: fuzz_identify(in); break;
    }
    return 0;
}
