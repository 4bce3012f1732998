// Special:OAuth/identify's JWT (fw/oauth1.hpp verify_identify): HS256 only, the signature checked before any claim
// is read, then aud, iss, nonce, exp and iat.
#include <algorithm>

#include "fw/crypto/crypto.hpp"
#include "fw/oauth1.hpp"
#include "json_read.hpp"
#include "oauth1_detail.hpp"
#include "text.hpp"

namespace fw::oauth1 {

namespace {

using detail::oauth_error;

std::optional<json> segment_json(std::string_view segment) {
    std::string bytes;
    if (!crypto::base64url_decode(segment, bytes)) return std::nullopt;
    json value = json::parse(bytes, nullptr, false);
    if (value.is_discarded() || !value.is_object() || read::deeper_than(value, 16)) return std::nullopt;
    return value;
}

std::optional<double> number_member(const json& value, const char* key) {
    const json* member = read::member(value, key);
    if (!member || !member->is_number()) return std::nullopt;
    return member->get<double>();
}

std::string issuer_origin(const std::string& url) {
    const auto parts = detail::split_url(url);
    return parts ? detail::origin(*parts) : "";
}

}  // namespace

Expected<json> verify_identify(std::string_view body, const IdentifyCheck& check) {
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.remove_suffix(1);
    if (body.size() > detail::kMaxAnswerBytes) return oauth_error("jwt-malformed", "The identify answer is too large.");
    if (!body.empty() && body.front() == '{') {
        const json answer = json::parse(body.begin(), body.end(), nullptr, false);
        const std::string key =
            answer.is_discarded() ? "" : text::valid_utf8_prefix(read::string_member(answer, "error"), 100);
        if (!key.empty())
            return oauth_error(
                key, text::valid_utf8_prefix(text::html_to_text(read::string_member(answer, "message")), 300));
    }
    const auto first = body.find('.');
    const auto second = first == std::string_view::npos ? first : body.find('.', first + 1);
    if (second == std::string_view::npos || body.find('.', second + 1) != std::string_view::npos)
        return oauth_error("jwt-malformed", "The identify answer is not a JWT (three base64url segments).");
    // The header is read before the signature is known to be good: keep it small.
    if (first > 1024) return oauth_error("jwt-malformed", "The JWT header is too large.");
    const auto header = segment_json(body.substr(0, first));
    if (!header) return oauth_error("jwt-malformed", "The JWT header is not a base64url JSON object.");
    if (read::string_member(*header, "alg") != "HS256")
        return oauth_error("jwt-bad-algorithm", "The identify JWT is not HS256 (only HS256 is accepted).");
    std::string signature;
    if (!crypto::base64url_decode(body.substr(second + 1), signature))
        return oauth_error("jwt-malformed", "The JWT signature is not base64url.");
    const std::string expected = crypto::hmac_sha256(check.consumer_secret, body.substr(0, second));
    if (check.consumer_secret.empty() || !crypto::constant_time_equal(signature, expected))
        return oauth_error("jwt-bad-signature",
                           "The identify JWT's signature does not verify with the consumer secret.");

    const auto payload = segment_json(body.substr(first + 1, second - first - 1));
    if (!payload) return oauth_error("jwt-malformed", "The JWT payload is not a base64url JSON object.");
    const json& claims = *payload;
    const json* aud = read::member(claims, "aud");
    const bool aud_ok = aud && ((aud->is_string() && aud->get<std::string>() == check.consumer_key) ||
                                (aud->is_array() && std::any_of(aud->begin(), aud->end(), [&](const json& a) {
                                     return a.is_string() && a.get<std::string>() == check.consumer_key;
                                 })));
    if (!aud_ok || check.consumer_key.empty())
        return oauth_error("jwt-wrong-audience", "The identify JWT was issued for another consumer (aud).");
    const std::string iss = issuer_origin(read::string_member(claims, "iss"));
    if (iss.empty() || iss != issuer_origin(check.issuer))
        return oauth_error("jwt-wrong-issuer", "The identify JWT was issued by another wiki (iss).");
    const std::string nonce = read::string_member(claims, "nonce");
    if (check.nonce.empty() || !crypto::constant_time_equal(nonce, check.nonce))
        return oauth_error("jwt-nonce-mismatch",
                           "The identify JWT's nonce is not the one this request sent (a replayed answer).");
    const auto exp = number_member(claims, "exp");
    const auto iat = number_member(claims, "iat");
    if (!exp || !iat) return oauth_error("jwt-malformed", "The identify JWT lacks exp or iat.");
    if (check.now_s > *exp + check.leeway_s) return oauth_error("jwt-expired", "The identify JWT has expired (exp).");
    const auto nbf = number_member(claims, "nbf");
    if (*iat > check.now_s + check.leeway_s || (nbf && *nbf > check.now_s + check.leeway_s))
        return oauth_error("jwt-not-yet-valid", "The identify JWT is from the future (iat): check the clock.");
    return claims;
}

}  // namespace fw::oauth1
