#include "fw/rest_request.hpp"

#include "text.hpp"

#include <cctype>

#include "fw/action_request.hpp"
#include "fw/params.hpp"

namespace fw {

using text::to_lower_ascii;
using text::to_upper_ascii;

namespace {

constexpr const char* kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};

void set_header(Headers& headers, const std::string& lower_name, const std::string& value) {
    for (auto it = headers.begin(); it != headers.end();) {
        it = it->first == lower_name ? headers.erase(it) : it + 1;
    }
    headers.emplace_back(lower_name, value);
}

Error bad_path(const std::string& why) { return usage_error("bad-path", why); }

// One path segment: everything but the unreserved set and ':' is escaped, so a title like "AC/DC" stays one
// segment while "Talk:Foo" stays readable.
std::string encode_segment(const std::string& value) {
    std::string out;
    for (char c : value) out += c == ':' ? std::string(1, c) : percent_encode(std::string_view(&c, 1));
    return out;
}

// Replaces each {name} of the route with its value from `values`.
Expected<std::string> expand_path(const std::string& route, const json& values) {
    if (route.empty() || route[0] != '/') return bad_path("A REST path starts with '/': \"" + route + "\".");
    if (route.find("..") != std::string::npos) return bad_path("A REST path cannot contain \"..\".");
    std::string path;
    std::size_t pos = 0;
    while (pos < route.size()) {
        const std::size_t open = route.find('{', pos);
        if (open == std::string::npos) break;
        const std::size_t close = route.find('}', open);
        if (close == std::string::npos) return bad_path("Unclosed '{' in the REST path \"" + route + "\".");
        path += route.substr(pos, open - pos);
        const std::string name = route.substr(open + 1, close - open - 1);
        const auto it = values.is_object() ? values.find(name) : values.end();
        Param segment;
        if (it == values.end() || !(it->is_string() || it->is_number()) || !encode_param(name, *it, segment, false)) {
            return bad_path("The REST path needs a string or number for {" + name + "}.");
        }
        // "." and ".." would be resolved away by the URL parser, even percent-encoded.
        if (segment.value.empty() || segment.value == "." || segment.value == "..") {
            return bad_path("{" + name + "} cannot be \"" + segment.value + "\".");
        }
        path += encode_segment(segment.value);
        pos = close + 1;
    }
    return path + route.substr(pos);
}

}  // namespace

std::optional<Error> build_rest_request(const RestRequestSpec& spec, HttpRequest& out) {
    const std::string method = to_upper_ascii(spec.method);
    bool known_method = false;
    for (const char* m : kMethods) known_method = known_method || method == m;
    if (!known_method) return usage_error("bad-method", "Unknown REST method \"" + spec.method + "\".");
    if (origin_of(spec.base_url).empty())
        return usage_error("bad-url", "The REST URL must be an absolute http(s) URL: \"" + spec.base_url + "\".");
    if (spec.body && (method == "GET" || method == "HEAD")) {
        return usage_error("body-on-get", "A " + method + " request cannot have a body.");
    }

    auto path = expand_path(spec.path, spec.path_params);
    if (!path) return path.error();
    auto query = encode_params(spec.query, false);
    if (!query) return query.error();

    Headers headers = out.headers;
    for (const auto& header : spec.headers) {
        const std::string name = to_lower_ascii(header.first);
        if (name == "authorization" || name == "cookie") {
            return usage_error("bad-header",
                               "The \"" + name + "\" header is set by the client's auth mode, not by a call.");
        }
        set_header(headers, name, header.second);
    }

    std::string base = spec.base_url;
    if (!base.empty() && base.back() == '/') base.pop_back();
    std::string url = base + path.value();
    const std::string query_string = join_query(query.value());
    if (!query_string.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + query_string;

    out.method = method;
    out.url = url;
    out.display_url = mask_secrets(url);
    out.fields.clear();
    out.body.clear();
    out.body_kind = BodyKind::None;
    if (spec.body) {
        // replace: a string with invalid UTF-8 must not abort the module (dump() would throw).
        out.body = spec.body->dump(-1, ' ', false, json::error_handler_t::replace);
        out.body_kind = BodyKind::Json;
        set_header(headers, "content-type", "application/json");
    }
    out.headers = std::move(headers);
    return std::nullopt;
}

}  // namespace fw
