#include "fw/action_request.hpp"

#include "text.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace fw {

using text::to_lower_ascii;
using text::to_upper_ascii;

namespace {

constexpr const char* kFormContentType = "application/x-www-form-urlencoded";
constexpr const char* kMask = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";  // "•••"

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void remove_header(Headers& headers, const std::string& lower_name) {
    for (auto it = headers.begin(); it != headers.end();) {
        it = it->first == lower_name ? headers.erase(it) : it + 1;
    }
}

void append_pair(std::string& query, const std::string& name, const std::string& value) {
    if (!query.empty()) query += '&';
    query += percent_encode(name);
    query += '=';
    query += percent_encode(value);
}

// api_url + '?' or '&' + query. A fragment is never sent, and a query appended after it would be lost with it.
std::string with_query(std::string url, const std::string& query) {
    auto hash = url.find('#');
    if (hash != std::string::npos) url.erase(hash);
    if (query.empty()) return url;
    if (url.find('?') == std::string::npos) {
        url += '?';
    } else if (url.back() != '?' && url.back() != '&') {
        url += '&';
    }
    return url + query;
}

// The parameters that live in the URL whatever the method, in this order: a preflight has no body, and MediaWiki
// wants action in the URL (T421288).
constexpr const char* kUrlParamNames[] = {"action", "format", "origin", "crossorigin", "centralauthtoken"};

bool is_url_param(const std::string& name) {
    for (const char* url_param : kUrlParamNames) {
        if (name == url_param) return true;
    }
    return false;
}

const Param* find_param(const ParamList& params, const std::string& name) {
    for (const auto& param : params) {
        if (param.name == name) return &param;
    }
    return nullptr;
}

// A spec field wins over a param of the same name, which is then dropped so the server never sees two values.
std::string url_params_query(const ActionRequestSpec& spec) {
    const std::string from_spec[] = {"", "", spec.origin, spec.crossorigin ? "1" : "", spec.centralauthtoken};
    std::string query;
    for (std::size_t i = 0; i < std::size(kUrlParamNames); ++i) {
        const std::string name = kUrlParamNames[i];
        if (!from_spec[i].empty()) {
            append_pair(query, name, from_spec[i]);
        } else if (const Param* param = find_param(spec.params, name)) {
            append_pair(query, name, param->value);
        }
    }
    return query;
}

// URL-encoded unless a Blob or a long field makes multipart the better (or only) encoding.
void fill_post_body(const ParamList& fields, bool has_blob, std::size_t threshold, HttpRequest& out) {
    bool multipart = has_blob;
    for (const auto& field : fields) {
        multipart = multipart || percent_encode(field.value).size() > threshold;
    }
    if (multipart) {
        // No Content-Type from us: fetch writes it itself, with the boundary it chose.
        out.body_kind = BodyKind::Multipart;
        for (const auto& field : fields) out.fields.push_back(FormField{field.name, field.value, field.blob});
    } else {
        out.body_kind = BodyKind::FormUrlEncoded;
        out.body = join_query(fields);
        out.headers.emplace_back("content-type", kFormContentType);
    }
}

}  // namespace

std::optional<Error> build_action_request(const ActionRequestSpec& spec, HttpRequest& out) {
    const std::string method = to_upper_ascii(spec.method);
    if (method != "GET" && method != "POST") {
        return usage_error("bad-method", "The Action API takes GET or POST, not \"" + spec.method + "\".");
    }
    // A relative URL would be resolved against the page: tokens and credentials would go to the page's own origin.
    if (origin_of(spec.api_url).empty())
        return usage_error("bad-url", "The API URL must be an absolute http(s) URL: \"" + spec.api_url + "\".");
    const std::string token_name = spec.token_name.empty() ? "token" : spec.token_name;
    // A token passed among the params (mw.Api style) is the token too: it gets the same protection.
    const Param* token_param = find_param(spec.params, token_name);
    const std::string token = !spec.token.empty() ? spec.token : token_param ? token_param->value : "";
    const bool has_token = !spec.token.empty() || token_param != nullptr;

    ParamList rest;  // everything that is neither a URL parameter nor the token, in the caller's order
    bool has_blob = false;
    for (const auto& param : spec.params) {
        if (is_url_param(param.name) || param.name == token_name) continue;
        has_blob = has_blob || param.blob >= 0;
        rest.push_back(param);
    }

    if (method == "GET") {
        if (has_token) {
            return usage_error("token-in-url", "A \"" + token_name +
                                                   "\" cannot be sent with GET: it would end up in the URL. Use POST.");
        }
        if (has_blob) return usage_error("blob-in-get", "A Blob/File can only be sent with POST.");
    }

    out.method = method;
    out.body.clear();
    out.fields.clear();
    remove_header(out.headers, "content-type");
    out.body_kind = BodyKind::None;

    std::string query = url_params_query(spec);
    if (method == "GET") {
        const std::string rest_query = join_query(rest);
        if (!query.empty() && !rest_query.empty()) query += '&';
        query += rest_query;
    } else {
        if (has_token) rest.push_back(Param{token_name, token, -1});  // last, as mw.Api does
        fill_post_body(rest, has_blob, spec.multipart_threshold, out);
    }
    out.url = with_query(spec.api_url, query);
    out.display_url = mask_secrets(out.url);
    return std::nullopt;
}

std::string mask_secrets(const std::string& url_or_body) {
    // Only the query of a URL holds parameters; a string without "://" is a form body.
    std::size_t start = url_or_body.find('?');
    if (start != std::string::npos) {
        ++start;
    } else if (url_or_body.find("://") != std::string::npos) {
        return url_or_body;
    } else {
        start = 0;
    }
    std::string out = url_or_body.substr(0, start);
    const std::size_t end = std::min(url_or_body.find('#', start), url_or_body.size());
    std::size_t pos = start;
    while (pos <= end) {
        const std::size_t amp = std::min(url_or_body.find('&', pos), end);
        const std::string pair = url_or_body.substr(pos, amp - pos);
        const std::size_t eq = pair.find('=');
        const bool secret = eq != std::string::npos && eq + 1 < pair.size() && ends_with(pair.substr(0, eq), "token");
        out += secret ? pair.substr(0, eq + 1) + kMask : pair;
        if (amp == end) break;
        out += '&';
        pos = amp + 1;
    }
    return out + url_or_body.substr(end);
}

std::string origin_of(const std::string& url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return "";
    const std::string scheme = to_lower_ascii(url.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https") return "";

    const std::size_t authority_start = scheme_end + 3;
    const std::size_t authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
    std::string authority = url.substr(authority_start, authority_end - authority_start);
    const std::size_t at = authority.rfind('@');  // user:password@ is not part of the origin
    if (at != std::string::npos) authority.erase(0, at + 1);

    // The port starts at the last ':' that is not inside an IPv6 literal "[…]".
    std::string host = authority;
    std::string port;
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) return "";
    for (char c : port) {
        if (c < '0' || c > '9') return "";
    }
    // Like URL.origin (what location.origin reports), the scheme's default port is left out.
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port.clear();
    return scheme + "://" + to_lower_ascii(host) + (port.empty() ? "" : ":" + port);
}

}  // namespace fw
