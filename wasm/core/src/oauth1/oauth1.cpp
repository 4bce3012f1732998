// RFC 5849 signing and Extension:OAuth's handshake answers; see fw/oauth1.hpp. Where MediaWiki differs from a
// textbook server (measured on REL1_39): protocol parameters only in the header, errors with HTTP 200, {key, secret}
// JSON.
#include "fw/oauth1.hpp"

#include <algorithm>

#include "fw/crypto/crypto.hpp"
#include "fw/params.hpp"
#include "json_read.hpp"
#include "oauth1_detail.hpp"
#include "text.hpp"

namespace fw::oauth1 {

namespace {

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string form_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += char(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

bool plausible_value(const std::string& text, std::size_t min, std::size_t max) {
    if (text.size() < min || text.size() > max) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return unreserved(static_cast<unsigned char>(c)); });
}

Error oauth_answer_error(const json& answer) {
    // MediaWiki's message keys are short; a hostile answer's is cut.
    const std::string key = text::valid_utf8_prefix(read::string_member(answer, "error"), 100);
    std::string info = text::valid_utf8_prefix(text::html_to_text(read::string_member(answer, "message")), 300);
    return detail::oauth_error(key, info.empty() ? key : info);
}

}  // namespace

namespace detail {

Error oauth_error(std::string code, std::string info) {
    Error e;
    e.category = ErrorCategory::OAuth;
    e.code = std::move(code);
    e.info = std::move(info);
    return e;
}

std::optional<UrlParts> split_url(const std::string& url) {
    const auto colon = url.find("://");
    if (colon == std::string::npos) return std::nullopt;
    UrlParts parts;
    parts.scheme = text::to_lower_ascii(url.substr(0, colon));
    if (parts.scheme != "http" && parts.scheme != "https") return std::nullopt;
    const std::size_t start = colon + 3;
    std::size_t end = url.find_first_of("/?#", start);
    if (end == std::string::npos) end = url.size();
    std::string authority = url.substr(start, end - start);
    const auto at = authority.rfind('@');
    if (at != std::string::npos) authority = authority.substr(at + 1);
    std::string host = authority;
    const auto bracket = authority.find(']');
    const auto port_colon = authority.find(':', bracket == std::string::npos ? 0 : bracket);
    if (port_colon != std::string::npos) {
        host = authority.substr(0, port_colon);
        parts.port = authority.substr(port_colon + 1);
        if (!std::all_of(parts.port.begin(), parts.port.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
    }
    if (host.empty()) return std::nullopt;
    parts.host = text::to_lower_ascii(host);
    const std::size_t query_at = url.find('?', end);
    const std::size_t hash_at = url.find('#', end);
    const std::size_t path_end = std::min(query_at, hash_at);
    parts.path = url.substr(end, (path_end == std::string::npos ? url.size() : path_end) - end);
    if (parts.path.empty()) parts.path = "/";
    if (query_at != std::string::npos && (hash_at == std::string::npos || query_at < hash_at))
        parts.query = url.substr(query_at + 1, (hash_at == std::string::npos ? url.size() : hash_at) - query_at - 1);
    if ((parts.scheme == "http" && parts.port == "80") || (parts.scheme == "https" && parts.port == "443"))
        parts.port.clear();
    return parts;
}

std::string origin(const UrlParts& parts) {
    return parts.scheme + "://" + parts.host + (parts.port.empty() ? "" : ":" + parts.port);
}

std::string normalized_parameters(std::vector<Param> params) {
    for (auto& p : params) {
        p.name = percent_encode(p.name);
        p.value = percent_encode(p.value);
    }
    std::sort(params.begin(), params.end(),
              [](const Param& a, const Param& b) { return a.name != b.name ? a.name < b.name : a.value < b.value; });
    std::string out;
    for (const auto& p : params) {
        if (!out.empty()) out += '&';
        out += p.name + "=" + p.value;
    }
    return out;
}

}  // namespace detail

// The same set as the Action API's parameters (fw/params.hpp): RFC 3986 unreserved, upper-case hex.
std::string percent_encode(std::string_view text) { return fw::percent_encode(text); }

std::vector<Param> parse_form(std::string_view text) {
    std::vector<Param> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t amp = text.find('&', at);
        if (amp == std::string_view::npos) amp = text.size();
        const std::string_view part = text.substr(at, amp - at);
        if (!part.empty()) {
            const auto eq = part.find('=');
            if (eq == std::string_view::npos)
                out.push_back({form_decode(part), ""});
            else
                out.push_back({form_decode(part.substr(0, eq)), form_decode(part.substr(eq + 1))});
        }
        at = amp + 1;
    }
    return out;
}

Expected<std::string> base_string_uri(const std::string& url) {
    const auto parts = detail::split_url(url);
    if (!parts) return usage_error("bad-url", "OAuth 1 signs only absolute http(s) URLs.");
    return detail::origin(*parts) + parts->path;
}

std::string hmac_sha1_signature(const std::string& base_string, const std::string& consumer_secret,
                                const std::string& token_secret) {
    const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
    return crypto::base64_encode(crypto::hmac_sha1(key, base_string));
}

Expected<Signed> sign(const SignInput& input) {
    const auto parts = detail::split_url(input.url);
    if (!parts) return usage_error("bad-url", "OAuth 1 signs only absolute http(s) URLs.");
    const Credentials& c = input.credentials;
    if (c.consumer_key.empty() || c.consumer_secret.empty())
        return usage_error("bad-auth", "OAuth 1 needs the consumer key and the consumer secret.");
    if (!c.token.empty() && c.token_secret.empty())
        return usage_error("bad-auth", "An OAuth 1 token needs its token secret.");
    if (!plausible_value(input.nonce, 1, 128))
        return usage_error("oauth1-bad-input", "The OAuth 1 nonce must be 1 to 128 unreserved characters.");
    if (input.timestamp.empty() || input.timestamp.size() > 12 ||
        !std::all_of(input.timestamp.begin(), input.timestamp.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return usage_error("oauth1-bad-input", "The OAuth 1 timestamp must be whole seconds since the epoch.");

    std::vector<Param> protocol = {{"oauth_consumer_key", c.consumer_key},
                                   {"oauth_nonce", input.nonce},
                                   {"oauth_signature_method", "HMAC-SHA1"},
                                   {"oauth_timestamp", input.timestamp}};
    if (input.send_version) protocol.push_back({"oauth_version", "1.0"});
    if (!c.token.empty()) protocol.push_back({"oauth_token", c.token});
    if (input.callback) protocol.push_back({"oauth_callback", *input.callback});
    if (input.verifier) protocol.push_back({"oauth_verifier", *input.verifier});

    std::vector<Param> params = parse_form(parts->query);
    if (text::starts_with_ignoring_case(input.content_type, 0, "application/x-www-form-urlencoded")) {
        const auto body = parse_form(input.body);
        params.insert(params.end(), body.begin(), body.end());
    }
    for (const auto& p : params) {
        const bool clash = p.name == "oauth_signature" || std::any_of(protocol.begin(), protocol.end(),
                                                                      [&](const Param& q) { return q.name == p.name; });
        if (clash)
            return usage_error("oauth1-duplicate-param",
                               "The OAuth 1 protocol parameter " + text::valid_utf8_prefix(p.name, 40) +
                                   " is in the query or the body; it is sent in the Authorization header only.");
    }
    params.insert(params.end(), protocol.begin(), protocol.end());

    Signed out;
    out.base_string = text::to_upper_ascii(input.method) + "&" + percent_encode(detail::origin(*parts) + parts->path) +
                      "&" + percent_encode(detail::normalized_parameters(std::move(params)));
    out.signature = hmac_sha1_signature(out.base_string, c.consumer_secret, c.token_secret);
    protocol.push_back({"oauth_signature", out.signature});
    out.authorization = "OAuth ";
    for (std::size_t i = 0; i < protocol.size(); ++i) {
        if (i) out.authorization += ", ";
        out.authorization += protocol[i].name + "=\"" + percent_encode(protocol[i].value) + "\"";
    }
    return out;
}

Expected<std::string> special_url(const std::string& index_php, const std::string& special) {
    const auto parts = detail::split_url(index_php);
    if (!parts || !parts->query.empty() || index_php.find('#') != std::string::npos)
        return usage_error("bad-url", "The wiki is its index.php URL (https://…/w/index.php), without a query.");
    return index_php + "?title=Special%3AOAuth%2F" + special + "&format=json";
}

Expected<std::string> authorize_url(const std::string& index_php, const std::string& request_token,
                                    const std::string& consumer_key) {
    const auto base = special_url(index_php, "authorize");
    if (!base) return base.error();
    if (request_token.empty() || consumer_key.empty())
        return usage_error("bad-auth", "The authorize URL needs the request token and the consumer key.");
    const std::string& url = base.value();
    return url.substr(0, url.find("&format=json")) + "&oauth_token=" + percent_encode(request_token) +
           "&oauth_consumer_key=" + percent_encode(consumer_key);
}

Expected<Token> parse_token_answer(int status, std::string_view body) {
    std::string_view trimmed = body;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n' || trimmed.front() == '\r'))
        trimmed.remove_prefix(1);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n' || trimmed.back() == '\r'))
        trimmed.remove_suffix(1);
    Token token;
    if (!trimmed.empty() && trimmed.front() == '{' && trimmed.size() <= detail::kMaxAnswerBytes) {
        const json answer = json::parse(trimmed.begin(), trimmed.end(), nullptr, false);
        if (!answer.is_discarded() && answer.is_object() && !read::deeper_than(answer, 8)) {
            if (!read::string_member(answer, "error").empty()) return oauth_answer_error(answer);
            token.token = read::string_member(answer, "oauth_token");
            token.secret = read::string_member(answer, "oauth_token_secret");
            if (token.token.empty()) token.token = read::string_member(answer, "key");
            if (token.secret.empty()) token.secret = read::string_member(answer, "secret");
        }
    } else if (trimmed.rfind("Error: ", 0) == 0) {
        return detail::oauth_error("oauth-error", text::valid_utf8_prefix(std::string(trimmed.substr(7)), 300));
    } else if (trimmed.size() <= detail::kMaxAnswerBytes) {
        for (const auto& p : parse_form(trimmed)) {
            if (p.name == "oauth_token") token.token = p.value;
            if (p.name == "oauth_token_secret") token.secret = p.value;
        }
    }
    if (token.token.empty() || token.secret.empty() || !plausible_value(token.token, 1, 256) ||
        !plausible_value(token.secret, 1, 256)) {
        Error e = detail::oauth_error(
            "oauth-bad-answer",
            "Special:OAuth answered neither a token nor a MediaWiki error (HTTP " + std::to_string(status) + ").");
        e.status = status;
        return e;
    }
    return token;
}

Expected<std::string> verifier_from_callback(std::string_view query, const std::string& request_token) {
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    std::string token, verifier;
    for (const auto& p : parse_form(query)) {
        if (p.name == "oauth_token") token = p.value;
        if (p.name == "oauth_verifier") verifier = p.value;
    }
    if (verifier.empty()) return detail::oauth_error("oauth-no-verifier", "The callback carries no oauth_verifier.");
    if (request_token.empty() || !crypto::constant_time_equal(token, request_token))
        return detail::oauth_error("oauth-token-mismatch",
                                   "The callback's oauth_token is not the request token of this authorization.");
    return verifier;
}

}  // namespace fw::oauth1
