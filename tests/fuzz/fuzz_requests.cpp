// fuzz_requests: the Action request builder (fw/action_request.hpp), the REST builder (fw/rest_request.hpp), and
// their helpers origin_of, mask_secrets and action_wire_auth (fw/cors.hpp), with random specs.
// Invariants: never crashes; a csrf token never appears in a URL (a GET with a token is refused, a POST carries it
// last in the body); the URL is exactly api_url + the URL parameters in their documented order (so a
// centralauthtoken goes only to that api_url, once, never in a body); display_url masks every *token value; no
// CR/LF in a URL or a header when the caller's URL and headers had none; REST path values stay one segment;
// REST never lets a call set Authorization or Cookie; a JSON body is valid JSON.
#define FW_FUZZ_HARNESS "fuzz_requests"

#include <set>
#include <string>

#include "fw/action_request.hpp"
#include "fw/cors.hpp"
#include "fw/params.hpp"
#include "fw/rest_request.hpp"
#include "support/bytes.hpp"
#include "support/check.hpp"
#include "support/json_gen.hpp"
#include "support/query.hpp"

using fw::json;
using namespace fwfuzz;

namespace {

const char* const kUrlParams[] = {"action", "format", "origin", "crossorigin", "centralauthtoken"};
const std::string kMask = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";

std::string fuzzed_or(Bytes& in, const char* const* table, std::size_t n) {
    if (in.u8() < 224) return table[in.below(n)];
    return in.str(48);
}

bool is_url_param(const std::string& name) {
    for (const char* p : kUrlParams)
        if (name == p) return true;
    return false;
}

bool ends_with_token(const std::string& name) {
    return name.size() >= 5 && name.compare(name.size() - 5, 5, "token") == 0;
}

void check_headers(const fw::Headers& headers) {
    for (const auto& [name, value] : headers) {
        FW_FUZZ_CHECK(!has_cr_or_lf(name) && !has_cr_or_lf(value), "CR/LF in header " + name);
    }
}

// mask_secrets as action_request.hpp documents it: in the query of a URL (or the whole text when it is a form body,
// i.e. has no "://"), up to any '#', every non-empty value of a pair whose name ends in "token" becomes the mask.
void check_masked(const std::string& url, const std::string& display) {
    const std::size_t q = url.find('?');
    if (q == std::string::npos && contains(url, "://")) {
        FW_FUZZ_CHECK(display == url, "mask_secrets changed a URL without a query");
        return;
    }
    const std::size_t start = q == std::string::npos ? 0 : q + 1;
    const std::size_t end = std::min(url.find('#', start), url.size());
    std::string expected = url.substr(0, start);
    std::size_t pos = start;
    while (pos <= end) {
        const std::size_t amp = std::min(url.find('&', pos), end);
        const std::string pair = url.substr(pos, amp - pos);
        const std::size_t eq = pair.find('=');
        const bool secret = eq != std::string::npos && eq + 1 < pair.size() && ends_with_token(pair.substr(0, eq));
        expected += secret ? pair.substr(0, eq + 1) + kMask : pair;
        if (amp == end) break;
        expected += '&';
        pos = amp + 1;
    }
    expected += url.substr(end);
    FW_FUZZ_CHECK(display == expected, "display_url does not mask exactly the token values: " + display);
}

std::size_t encoded_length(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += is_unreserved(c) ? 1 : 3;
    return n;
}

void fuzz_action(Bytes& in) {
    static const char* const kApiUrls[] = {
        "http://127.0.0.2:8092/w/api.php", "https://en.wikipedia.org/w/api.php", "https://x.org/w/api.php?foo=bar",
        "https://x.org/w/api.php?",        "https://x.org/w/api.php#frag",       "https://x.org/w/api.php?a=1&",
        "https://x.org/w/api.php?a=1#b?c", "",                                   "/w/api.php"};
    static const char* const kMethods[] = {"GET", "POST", "get", "Post", "PUT", "", "HEAD"};
    static const char* const kNames[] = {"action", "format", "origin", "crossorigin", "centralauthtoken", "token",
                                         "csrftoken", "title", "text", "meta", "type", "assert", "", "a b", "tok&en"};
    static const char* const kValues[] = {"query", "json", "edit", "*", "http://127.0.0.1:8091", "1", "", "+\\",
                                          "a|b", "\x1f" "a|b\x1f" "c", "\r\n", "\xe6\x97\xa5", "\xff"};
    static const char* const kOrigins[] = {"", "*", "http://127.0.0.1:8091"};
    static const char* const kCentral[] = {"", "5c76749c30ecc02bbc5b7d8fa9b33d8a1"};
    static const char* const kTokenNames[] = {"token", "", "lgtoken", "watchtoken"};
    static const char* const kTokens[] = {"", "e649d821b946fa61e9f8997086295ff86b052eb0+\\", "+\\"};

    fw::ActionRequestSpec spec;
    spec.api_url = without_cr_lf(fuzzed_or(in, kApiUrls, std::size(kApiUrls)));
    spec.method = fuzzed_or(in, kMethods, std::size(kMethods));
    for (std::size_t n = in.below(8); n > 0; --n) {
        fw::Param p;
        p.name = fuzzed_or(in, kNames, std::size(kNames));
        p.value = in.flag() ? std::string(in.pick(kValues)) : in.str(64);
        if (in.u8() < 24) p.blob = in.u8();
        if (in.u8() < 8) p.value = std::string(in.u16() % 9000, 'x');  // past the multipart threshold
        spec.params.push_back(std::move(p));
    }
    spec.origin = fuzzed_or(in, kOrigins, std::size(kOrigins));
    spec.crossorigin = in.flag();
    spec.centralauthtoken = fuzzed_or(in, kCentral, std::size(kCentral));
    spec.token_name = in.pick(kTokenNames);
    spec.token = fuzzed_or(in, kTokens, std::size(kTokens));
    if (in.flag()) spec.multipart_threshold = in.u16();

    fw::HttpRequest out;
    const auto error = fw::build_action_request(spec, out);

    const std::string method = [&] {
        std::string m = spec.method;
        for (char& c : m)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        return m;
    }();
    const std::string token_name = spec.token_name.empty() ? "token" : spec.token_name;
    const fw::Param* token_param = nullptr;
    for (const auto& p : spec.params)
        if (p.name == token_name) {
            token_param = &p;
            break;
        }
    const bool has_token = !spec.token.empty() || token_param != nullptr;
    const std::string token = !spec.token.empty() ? spec.token : token_param ? token_param->value : "";
    fw::ParamList rest;
    bool has_blob = false;
    for (const auto& p : spec.params) {
        if (is_url_param(p.name) || p.name == token_name) continue;
        has_blob = has_blob || p.blob >= 0;
        rest.push_back(p);
    }

    if (method != "GET" && method != "POST") {
        FW_FUZZ_CHECK(error && error->code == "bad-method", "a method other than GET/POST must be bad-method");
        return;
    }
    // A relative URL would go to the page's own origin, tokens and all.
    if (fw::origin_of(spec.api_url).empty()) {
        FW_FUZZ_CHECK(error && error->code == "bad-url", "an API URL without an http(s) origin must be bad-url");
        return;
    }
    if (method == "GET" && has_token) {
        FW_FUZZ_CHECK(error && error->code == "token-in-url", "a GET with a token must be refused (token-in-url)");
        return;
    }
    if (method == "GET" && has_blob) {
        FW_FUZZ_CHECK(error && error->code == "blob-in-get", "a GET with a Blob must be refused");
        return;
    }
    FW_FUZZ_CHECK(!error, "a valid Action spec was refused: " + (error ? error->code : std::string()));
    FW_FUZZ_CHECK(out.method == method, "method not normalised");

    // URL = api_url without its fragment + the URL parameters, then (GET) the others.
    const std::string base = spec.api_url.substr(0, spec.api_url.find('#'));
    FW_FUZZ_CHECK(starts_with(out.url, base), "the URL does not start with api_url: " + out.url);
    FW_FUZZ_CHECK(!contains(out.url, "#"), "a URL with a fragment would lose its query");
    FW_FUZZ_CHECK(!has_cr_or_lf(out.url) && !has_cr_or_lf(out.display_url), "CR/LF in a URL");
    std::string tail = out.url.substr(base.size());
    if (!tail.empty() && (tail[0] == '?' || tail[0] == '&')) tail.erase(0, 1);
    const auto pairs = split_query(tail);
    FW_FUZZ_CHECK(pairs.has_value(), "the added query is not strict percent-encoding: " + tail);
    Pairs expected;
    const std::string from_spec[] = {"", "", spec.origin, spec.crossorigin ? "1" : "", spec.centralauthtoken};
    for (std::size_t i = 0; i < std::size(kUrlParams); ++i) {
        if (!from_spec[i].empty()) {
            expected.emplace_back(kUrlParams[i], from_spec[i]);
            continue;
        }
        for (const auto& p : spec.params)
            if (p.name == kUrlParams[i]) {
                expected.emplace_back(p.name, p.value);
                break;
            }
    }
    if (method == "GET")
        for (const auto& p : rest) expected.emplace_back(p.name, p.value);
    FW_FUZZ_CHECK(*pairs == expected, "URL parameters differ from the documented order/content: " + tail);
    for (const auto& [name, value] : *pairs) FW_FUZZ_CHECK(name != token_name, "a token parameter is in the URL");
    check_masked(out.url, out.display_url);
    check_headers(out.headers);

    if (method == "GET") {
        FW_FUZZ_CHECK(out.body_kind == fw::BodyKind::None && out.body.empty(), "a GET has a body");
        return;
    }
    // POST: the other params, then the token last.
    fw::ParamList fields = rest;
    if (has_token) fields.push_back(fw::Param{token_name, token, -1});
    bool multipart = has_blob;
    for (const auto& f : fields) multipart = multipart || encoded_length(f.value) > spec.multipart_threshold;
    if (multipart) {
        FW_FUZZ_CHECK(out.body_kind == fw::BodyKind::Multipart, "expected multipart");
        FW_FUZZ_CHECK(out.fields.size() == fields.size(), "multipart field count");
        for (std::size_t i = 0; i < fields.size(); ++i)
            FW_FUZZ_CHECK(out.fields[i].name == fields[i].name && out.fields[i].value == fields[i].value &&
                              out.fields[i].blob == fields[i].blob,
                          "multipart field differs from its parameter");
        return;
    }
    FW_FUZZ_CHECK(out.body_kind == fw::BodyKind::FormUrlEncoded, "expected a form body");
    const auto body = split_query(out.body);
    FW_FUZZ_CHECK(body.has_value(), "the form body is not strict percent-encoding");
    Pairs expected_body;
    for (const auto& f : fields) expected_body.emplace_back(f.name, f.value);
    FW_FUZZ_CHECK(*body == expected_body, "the form body differs from the params (token last)");
    std::size_t content_types = 0;
    for (const auto& h : out.headers) content_types += h.first == "content-type";
    FW_FUZZ_CHECK(content_types == 1, "a form body needs exactly one content-type");
}

// {name} → the value as ONE segment: unreserved bytes and ':' as-is, everything else %XX.
std::optional<std::string> expand(const std::string& route, const json& values) {
    if (route.empty() || route[0] != '/' || contains(route, "..")) return std::nullopt;
    std::string path;
    std::size_t pos = 0;
    while (true) {
        const std::size_t open = route.find('{', pos);
        if (open == std::string::npos) break;
        const std::size_t close = route.find('}', open);
        if (close == std::string::npos) return std::nullopt;
        path += route.substr(pos, open - pos);
        const std::string name = route.substr(open + 1, close - open - 1);
        if (!values.is_object() || !values.contains(name)) return std::nullopt;
        const json& v = values[name];
        fw::Param text;
        if (!(v.is_string() || v.is_number()) || !fw::encode_param(name, v, text, false)) return std::nullopt;
        if (text.value.empty() || text.value == "." || text.value == "..") return std::nullopt;
        for (char c : text.value) path += c == ':' ? std::string(1, c) : expected_encoding(std::string(1, c));
        pos = close + 1;
    }
    return path + route.substr(pos);
}

void fuzz_rest(Bytes& in) {
    static const char* const kBases[] = {"http://127.0.0.2:8092/w/rest.php", "https://x.org/w/rest.php/",
                                         "https://x.org/w/rest.php?x=1", ""};
    static const char* const kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "get", "OPTIONS", ""};
    static const char* const kRoutes[] = {"/v1/page/{title}", "/v1/page/{title}/history", "/v1/search/title",
                                          "/coredev/v0/me/contributions", "/v1/page", "/v1/page/{title}/{x}",
                                          "v1/page", "/v1/../x", "/v1/page/{title", "/{a}{b}", "/", "/{}"};
    static const char* const kPathNames[] = {"title", "x", "a", "b", ""};
    static const char* const kQueryNames[] = {"q", "limit", "token", "title"};
    static const char* const kHeaderNames[] = {"if-match", "If-None-Match", "authorization", "Cookie",
                                               "content-type", "api-user-agent", "AUTHORIZATION"};

    fw::RestRequestSpec spec;
    spec.base_url = without_cr_lf(fuzzed_or(in, kBases, std::size(kBases)));
    spec.method = fuzzed_or(in, kMethods, std::size(kMethods));
    // The route's literal text is the caller's (like base_url): only what the builder encodes is checked for CR/LF.
    spec.path = without_cr_lf(fuzzed_or(in, kRoutes, std::size(kRoutes)));
    JsonShape shape;
    shape.valid_utf8 = in.u8() < 200;
    spec.path_params = in.u8() < 240 ? random_object(in, shape, kPathNames, std::size(kPathNames), 4) : random_json(in, shape);
    spec.query = in.u8() < 240 ? random_object(in, shape, kQueryNames, std::size(kQueryNames), 4) : random_json(in, shape);
    if (in.flag()) spec.body = random_json(in, shape);
    for (std::size_t n = in.below(4); n > 0; --n)
        spec.headers.emplace_back(without_cr_lf(fuzzed_or(in, kHeaderNames, std::size(kHeaderNames))),
                                  without_cr_lf(in.str(32)));

    fw::HttpRequest out;
    const auto error = fw::build_rest_request(spec, out);
    if (error) {
        static const std::set<std::string> kCodes = {"bad-method", "body-on-get", "bad-path", "bad-params",
                                                     "bad-param-value", "bad-header", "bad-url"};
        FW_FUZZ_CHECK(error->code != "bad-url" || fw::origin_of(spec.base_url).empty(), "an absolute REST URL refused");
        FW_FUZZ_CHECK(kCodes.count(error->code) == 1, "unexpected REST error code " + error->code);
        return;
    }
    static const std::set<std::string> kKnown = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    FW_FUZZ_CHECK(kKnown.count(out.method) == 1, "unknown REST method accepted: " + out.method);
    FW_FUZZ_CHECK(!(spec.body && (out.method == "GET" || out.method == "HEAD")), "a GET/HEAD body was accepted");
    for (const auto& h : spec.headers) {
        const std::string name = to_lower(h.first);
        FW_FUZZ_CHECK(name != "authorization" && name != "cookie", "a call set the " + name + " header");
    }
    for (const auto& h : out.headers) {
        FW_FUZZ_CHECK(h.first != "authorization" && h.first != "cookie", "the builder emitted " + h.first);
        FW_FUZZ_CHECK(h.first == to_lower(h.first), "header names are stored lower-case");
    }
    check_headers(out.headers);

    const auto path = expand(spec.path, spec.path_params);
    FW_FUZZ_CHECK(path.has_value(), "an invalid REST path was accepted: " + spec.path);
    std::string base = spec.base_url;
    if (!base.empty() && base.back() == '/') base.pop_back();
    FW_FUZZ_CHECK(starts_with(out.url, base + *path), "REST URL is not base + expanded path: " + out.url);
    FW_FUZZ_CHECK(!has_cr_or_lf(out.url), "CR/LF in a REST URL");
    std::string tail = out.url.substr(base.size() + path->size());
    const auto query = fw::encode_params(spec.query, false);
    FW_FUZZ_CHECK(query.ok(), "query accepted although encode_params refuses it");
    const std::string expected_query = fw::join_query(query.value());
    if (expected_query.empty()) {
        FW_FUZZ_CHECK(tail.empty(), "REST URL has trailing bytes: " + tail);
    } else {
        FW_FUZZ_CHECK(!tail.empty() && (tail[0] == '?' || tail[0] == '&') && tail.substr(1) == expected_query,
                      "REST query differs from encode_params + join_query");
    }
    check_masked(out.url, out.display_url);

    bool content_type = false;
    for (const auto& h : out.headers) content_type = content_type || (h.first == "content-type" && h.second == "application/json");
    if (spec.body) {
        FW_FUZZ_CHECK(out.body_kind == fw::BodyKind::Json && content_type, "a JSON body needs kind and content-type");
        const json back = json::parse(out.body, nullptr, false);
        FW_FUZZ_CHECK(!back.is_discarded() && is_valid_utf8(out.body), "the REST body is not valid JSON");
        if (json_is_valid_utf8(*spec.body))
            FW_FUZZ_CHECK(back == *spec.body, "the REST body does not parse back to the caller's value");
    } else {
        FW_FUZZ_CHECK(out.body_kind == fw::BodyKind::None, "a REST request without body has one");
    }
}

void fuzz_helpers(Bytes& in) {
    const std::string text = in.str(96);
    const std::string origin = fw::origin_of(text);
    if (!origin.empty()) {
        FW_FUZZ_CHECK(starts_with(origin, "http://") || starts_with(origin, "https://"), "origin without http(s) scheme");
        FW_FUZZ_CHECK(origin == to_lower(origin), "origin not lower-case: " + origin);
        FW_FUZZ_CHECK(origin.find_first_of("/?#", origin.find("://") + 3) == std::string::npos, "origin has a path");
    }
    check_masked(text, fw::mask_secrets(text));

    static const fw::AuthMode kModes[] = {fw::AuthMode::Anonymous, fw::AuthMode::Cookies, fw::AuthMode::CentralAuth,
                                          fw::AuthMode::Bearer};
    const fw::AuthMode mode = in.pick(kModes);
    const std::string page = in.flag() ? "http://127.0.0.1:8091" : in.str(32);
    const fw::WireAuth wire = fw::action_wire_auth(mode, page, text);
    FW_FUZZ_CHECK(!(wire.crossorigin && !wire.origin.empty()), "origin and crossorigin together");
    FW_FUZZ_CHECK((wire.credentials == fw::Credentials::Include) == (mode == fw::AuthMode::Cookies),
                  "only cookie mode sends credentials");
    if (mode == fw::AuthMode::Anonymous) FW_FUZZ_CHECK(wire.origin == "*", "anonymous must be origin=*");
    if (mode == fw::AuthMode::Cookies || mode == fw::AuthMode::CentralAuth)
        FW_FUZZ_CHECK(wire.origin.empty() || wire.origin == page, "origin must be the page's own");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    switch (in.below(3)) {
        case 0: fuzz_action(in); break;
        case 1: fuzz_rest(in); break;
        default: fuzz_helpers(in); break;
    }
    return 0;
}
