// Reading MediaWiki's answers: success or which named error (codes compatible with mw.Api's `.fail(code, result)`),
// whether a retry is certainly safe, and the warnings of every format. The shapes are MediaWiki 1.39's, as recorded
// in tests/core/support/wiki_responses.hpp and tests/core/test_classify.cpp. Reads only the body keys listed in
// digest_spec().
#include "fw/classify.hpp"

#include "json_read.hpp"
#include "text.hpp"

using fw::read::string_member;
using fw::read::truthy;
using fw::text::contains_ignoring_case;
using fw::text::html_to_text;
using fw::text::valid_utf8_prefix;

namespace fw {

const std::vector<WriteResultMember>& write_result_modules() {
    using Shape = WriteResultMember::Shape;
    static const std::vector<WriteResultMember> modules = {
        {"block", Shape::Object},      {"delete", Shape::Object},   {"edit", Shape::Object},
        {"emailuser", Shape::Object},  {"move", Shape::Object},     {"options", Shape::Success},
        {"patrol", Shape::Object},     {"protect", Shape::Object},  {"rollback", Shape::Object},
        {"unblock", Shape::Object},    {"undelete", Shape::Object}, {"upload", Shape::Object},
        {"userrights", Shape::Object}, {"watch", Shape::List},
    };
    return modules;
}

namespace {

// MediaWiki sends Retry-After: max(maxlag, 5) with maxlag; used when a proxy dropped the header.
constexpr double kMaxlagDefaultRetryMs = 5000;
// Enough of a non-JSON body to recognise the page in an error message.
constexpr std::size_t kExcerptBytes = 300;

bool is_success_status(int status) { return status >= 200 && status < 300; }

bool has_member(const json& object, const char* key) { return read::member(object, key) != nullptr; }

std::string excerpt(const std::string& text) { return valid_utf8_prefix(html_to_text(text), kExcerptBytes); }

// Human text of one errorformat message ({"code", "text"|"html"|"key"+"params", "module"}).
std::string message_text(const json& message) {
    std::string text = string_member(message, "text");
    if (!text.empty()) return text;
    std::string html = string_member(message, "html");
    if (!html.empty()) return html_to_text(html);
    std::string key = string_member(message, "key");  // errorformat=raw: the message key and its parameters
    auto params = message.is_object() ? message.find("params") : message.end();
    if (!key.empty() && params != message.end() && params->is_array() && !params->empty()) {
        std::string joined;
        for (const auto& param : *params) {
            if (!param.is_string() && !param.is_number()) continue;
            if (!joined.empty()) joined += ", ";
            joined += param.is_string() ? param.get<std::string>() : param.dump();
        }
        if (!joined.empty()) key += " (" + joined + ")";
    }
    return key;
}

// The Action API error of a body in any errorformat: `error` (bc, fv1 or fv2) or `errors[0]`.
struct ApiError {
    std::string code;
    std::string info;
    std::string searchable;    // info plus the raw message key, to recognise CentralAuth's badtoken
    bool well_formed = false;  // shaped as MediaWiki shapes errors: the refusal is certain
};

std::optional<ApiError> read_api_error(const json& body) {
    const json* error = read::member(body, "error");
    if (error && truthy(*error)) {
        ApiError found;
        found.code = string_member(*error, "code");
        found.well_formed = !found.code.empty();
        found.info = string_member(*error, "info");
        found.searchable = found.info;
        if (found.code.empty()) found.code = "unknown";  // mw.Api: error.code || 'unknown'
        if (found.info.empty()) found.info = found.code;
        return found;
    }
    const json* errors = read::member(body, "errors");
    if (errors && truthy(*errors)) {
        ApiError found;
        const json empty = json::object();
        const json& first = errors->is_array() && !errors->empty() ? errors->front() : empty;
        found.code = string_member(first, "code");
        found.well_formed = !found.code.empty();
        found.info = message_text(first);
        found.searchable = found.info + " " + string_member(first, "key");
        if (found.code.empty()) found.code = "unknown";
        if (found.info.empty()) found.info = found.code;
        if (errors->is_array() && errors->size() > 1)
            found.info += " (and " + std::to_string(errors->size() - 1) + " more)";
        return found;
    }
    return std::nullopt;
}

json collect_warnings(const json& body) {
    json collected = json::array();
    if (!body.is_object()) return collected;
    auto warnings = body.find("warnings");
    if (warnings == body.end()) return collected;
    auto add = [&collected](std::string module, std::string code, std::string text) {
        json entry = json::object();
        entry["module"] = std::move(module);
        entry["code"] = std::move(code);
        entry["text"] = std::move(text);
        collected.push_back(std::move(entry));
    };
    if (warnings->is_array()) {  // errorformat: [{"code", "text"|"html"|"key", "module"}]
        for (const auto& message : *warnings) {
            if (message.is_object())
                add(string_member(message, "module"), string_member(message, "code"), message_text(message));
        }
    } else if (warnings
                   ->is_object()) {  // bc: {"<module>": {"*": text}} (fv1) or {"<module>": {"warnings": text}} (fv2)
        for (auto it = warnings->begin(); it != warnings->end(); ++it) {
            const json& per_module = it.value();
            std::string text = per_module.is_string() ? per_module.get<std::string>() : string_member(per_module, "*");
            if (text.empty()) text = string_member(per_module, "warnings");
            add(it.key(), "", std::move(text));
        }
    }
    return collected;
}

json result_of(const HttpResponse& response) {
    switch (response.body_kind) {
        case ResponseBody::Json: return response.body;
        case ResponseBody::Text: return valid_utf8_prefix(response.text, response.text.size());
        case ResponseBody::Empty:
        case ResponseBody::TooLarge:
        case ResponseBody::TooDeep: break;
    }
    return nullptr;
}

Error make_error(ErrorCategory category, std::string code, std::string info, const HttpResponse& response) {
    Error error;
    error.category = category;
    error.code = std::move(code);
    error.info = std::move(info);
    error.status = response.status;
    error.result = result_of(response);
    return error;
}

Classified network_failure(const HttpResponse& response) {
    Classified classified;
    classified.error = make_error(
        ErrorCategory::Network, "network",
        "No response (status 0). The browser hides the cause: a network failure, a CORS refusal, or an expired or "
        "reused centralauthtoken (MediaWiki answers those without CORS headers).",
        response);
    return classified;
}

// 429/503 with Retry-After: the server refused before doing anything and said when to come back.
void apply_overload_retry(const HttpResponse& response, RetryAdvice& retry) {
    if (response.status != 429 && response.status != 503) return;
    if (auto wait = retry_after_ms(response.headers)) {
        retry.not_performed = true;
        retry.retry_after_ms = wait;
    }
}

std::string http_info(const HttpResponse& response) {
    std::string info = "HTTP " + std::to_string(response.status);
    if (response.body_kind == ResponseBody::Text) {
        std::string start = excerpt(response.text);
        if (!start.empty()) info += ": " + start;
    }
    return info;
}

// mw.Api rejects only undefined/null/"" as empty; we also reject {} and [] (an answer with nothing in it is never
// what a module returns). A non-empty array is a real answer: action=opensearch returns one.
bool is_empty_answer(const HttpResponse& response) {
    if (response.body_kind == ResponseBody::Empty) return true;
    if (response.body_kind != ResponseBody::Json || response.digest) return false;
    const json& body = response.body;
    if (body.is_object() || body.is_array()) return body.empty();
    return true;
}

Classified from_api_error(const ApiError& api, const HttpResponse& response, Classified classified) {
    ErrorCategory category = ErrorCategory::Api;
    std::string code = api.code;
    std::string info = api.info;
    RetryAdvice& retry = classified.retry;
    // MediaWiki refuses with these codes in a 200. The same body with a 5xx (a proxy, a PHP fatal error after the
    // module ran) is no proof that nothing happened; only 429/503 with Retry-After still are (apply_overload_retry).
    if (!is_success_status(response.status)) {
        apply_overload_retry(response, retry);
        classified.error = make_error(category, std::move(code), std::move(info), response);
        return classified;
    }
    if (api.code == "badtoken" && contains_ignoring_case(api.searchable, "centralauth")) {
        // Same code as a stale CSRF token, but the cure differs: mint a new centralauthtoken, keep the csrf token.
        category = ErrorCategory::CentralAuth;
        code = "centralauthtoken-rejected";
        info += " (a centralauthtoken is single-use and expires after 60 s)";
        retry.not_performed = true;
    } else if (api.code == "badtoken" || api.code == "readonly" || api.code == "ratelimited") {
        // Refused before the module ran. readonly has no Retry-After (the session applies its own wait);
        // ratelimited is never repeated automatically, so it gets no retry_after either.
        retry.not_performed = true;
    } else if (api.code == "maxlag") {
        retry.not_performed = true;
        retry.retry_after_ms = retry_after_ms(response.headers).value_or(kMaxlagDefaultRetryMs);
    }
    apply_overload_retry(response, retry);
    classified.error = make_error(category, std::move(code), std::move(info), response);
    return classified;
}

// An answer the driver did not read because it exceeded the request's bounds.
std::optional<Classified> out_of_bounds(const HttpResponse& response) {
    if (response.body_kind != ResponseBody::TooLarge && response.body_kind != ResponseBody::TooDeep)
        return std::nullopt;
    Classified classified;
    if (response.body_kind == ResponseBody::TooLarge) {
        classified.error = make_error(ErrorCategory::Response, "response-too-large",
                                      "HTTP " + std::to_string(response.status) +
                                          " with a body larger than the maxBodyBytes option allows; it was not read.",
                                      response);
    } else {
        classified.error = make_error(ErrorCategory::Response, "response-too-deep",
                                      "HTTP " + std::to_string(response.status) +
                                          " with JSON nested deeper than the maxJsonDepth option allows where the "
                                          "library reads it (errors, warnings, tokens).",
                                      response);
    }
    return classified;
}

// MediaWiki answers a successful write with an object holding the module's result ({"edit": {…}}); an answer with
// nothing but warnings, an array or a bare value is not that, whatever the status. For a core module the result
// must be the module's own member, which the digest always carries (digest_spec()).
bool looks_like_write_success(const HttpResponse& response, const std::string& module) {
    if (response.body_kind != ResponseBody::Json || !response.body.is_object()) return false;
    for (const WriteResultMember& known : write_result_modules()) {
        if (module != known.module) continue;
        const json* result = read::member(response.body, known.module);
        if (!result) return false;
        switch (known.shape) {
            case WriteResultMember::Shape::Object: return result->is_object();
            case WriteResultMember::Shape::List: return result->is_array() || result->is_object();
            case WriteResultMember::Shape::Success: return *result == "success";
        }
        return false;
    }
    if (response.digest) return true;  // keys outside the digest: the module's result
    for (const auto& item : response.body.items())
        if (item.key() != "warnings") return true;
    return false;
}

// Whether a failed write was refused for certain. Everything else about a write's fate is unknown.
// Whether a failed write was refused for certain. Everything else about a write's fate is unknown. A browser may
// send a write again by itself (Chromium resends a request whose reused connection was reset before any answer),
// so the answer can be the copy's: a refusal only counts when MediaWiki's Action API says it refused, which the
// single-use centralauthtoken or the module's own check makes safe. REST answers prove nothing (a spent
// CentralAuthToken runs the copy anonymously), nor do overload answers without MediaWiki-API-Error (a proxy's).
bool refused_for_certain(const Classified& classified, const HttpResponse& response, bool well_formed_api_error) {
    const Error& e = *classified.error;
    if (e.code == "origin-mismatch") return true;         // ApiMain refuses before running anything
    if (e.category == ErrorCategory::OAuth) return true;  // the session provider refuses before anything runs
    const bool from_mediawiki = find_header(response.headers, "mediawiki-api-error").has_value();
    if (classified.retry.not_performed) return well_formed_api_error || from_mediawiki;
    if (e.status >= 500 || e.status == 0) return false;
    if (e.category == ErrorCategory::Api) return well_formed_api_error && e.code.rfind("internal_api_error", 0) != 0;
    return false;
}

Classified with_performed(Classified classified, const HttpResponse& response, const ClassifyContext& context,
                          bool well_formed_api_error) {
    if (!classified.error || !context.write) return classified;
    if (!refused_for_certain(classified, response, well_formed_api_error)) {
        classified.error->performed = Performed::Maybe;
        classified.retry = RetryAdvice{};  // and so never repeated
    }
    return classified;
}

std::string cors_rejection_info(const std::string& reason) {
    std::string info = "The wiki refused this origin (MediaWiki-CORS-Rejection: " + reason + "). ";
    if (contains_ignoring_case(reason, "header")) {
        info += "Send only headers listed in $wgAllowedCorsHeaders, or add the header there.";
    } else {
        info += "Add the page's origin (host:port, no scheme) to $wgCrossSiteAJAXdomains on that wiki.";
    }
    return info;
}

}  // namespace

std::optional<double> retry_after_ms(const Headers& headers) {
    auto value = find_header(headers, "retry-after");
    if (!value) return std::nullopt;
    const std::string& text = *value;
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    double seconds = 0;
    double scale = 0;  // 0 while reading the integer part, then 0.1, 0.01, …
    bool any_digit = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            any_digit = true;
            if (scale == 0) {
                seconds = seconds * 10 + (c - '0');
            } else {
                seconds += (c - '0') * scale;
                scale /= 10;
            }
        } else if (c == '.' && scale == 0) {
            scale = 0.1;
        } else {
            break;
        }
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (!any_digit || i != text.size()) return std::nullopt;  // HTTP-dates and negative numbers are not accepted
    return seconds * 1000;
}

namespace {

Classified classify_action_answer(const HttpResponse& response, const ClassifyContext& context,
                                  bool& well_formed_api_error) {
    if (response.status == 0) return network_failure(response);
    if (auto bounded = out_of_bounds(response)) return *bounded;

    Classified classified;
    if (response.body_kind == ResponseBody::Json) classified.warnings = collect_warnings(response.body);

    // ApiMain refuses a mismatching origin parameter before running anything, with a plain-text 403.
    if (response.status == 403 && response.body_kind == ResponseBody::Text &&
        contains_ignoring_case(response.text, "'origin' parameter does not match Origin header")) {
        classified.error = make_error(ErrorCategory::Cors, "origin-mismatch",
                                      "The 'origin' parameter does not match the Origin header (HTTP 403): send "
                                      "origin=<the page's exact origin>, or origin=* for anonymous requests.",
                                      response);
        return classified;
    }

    // The request DID run (with cookies); only a browser could not read it. Never retried: it may have written.
    if (auto rejection = find_header(response.headers, "mediawiki-cors-rejection")) {
        classified.error = make_error(ErrorCategory::Cors, "cors-rejected", cors_rejection_info(*rejection), response);
        return classified;
    }

    const std::optional<ApiError> api_error =
        response.body_kind == ResponseBody::Json ? read_api_error(response.body) : std::nullopt;

    // A silent anonymous answer must never pass for the user's own, even when it looks like a success.
    auto suppressed = find_header(response.headers, "mediawiki-login-suppressed");
    if (context.expect_login && suppressed && contains_ignoring_case(*suppressed, "true")) {
        std::string info =
            "The wiki ignored the login and ran the request anonymously (MediaWiki-Login-Suppressed: true); "
            "origin=* or a cross-origin request without allowed credentials does that.";
        if (api_error) info += " It answered: " + api_error->code + ": " + api_error->info;
        classified.error = make_error(ErrorCategory::LoginSuppressed, "login-suppressed", std::move(info), response);
        return classified;
    }

    if (api_error) {
        well_formed_api_error = api_error->well_formed;
        return from_api_error(*api_error, response, std::move(classified));
    }

    if (!is_success_status(response.status)) {
        apply_overload_retry(response, classified.retry);
        classified.error = make_error(ErrorCategory::Http, "http", http_info(response), response);
        return classified;
    }
    if (response.body_kind == ResponseBody::Text) {
        classified.error = make_error(
            ErrorCategory::Response, "invalidjson",
            "HTTP " + std::to_string(response.status) + " with a body that is not JSON: " + excerpt(response.text),
            response);
        return classified;
    }
    if (is_empty_answer(response)) {
        classified.error = make_error(ErrorCategory::Response, "ok-but-empty",
                                      "OK response but empty result (check HTTP headers?)", response);
    } else if (context.write && !looks_like_write_success(response, context.write_module)) {
        classified.error =
            make_error(ErrorCategory::Response, "unexpected-response",
                       "HTTP " + std::to_string(response.status) +
                           " with an answer MediaWiki never gives to a successful write (no " +
                           (context.write_module.empty() ? std::string("module") : "`" + context.write_module + "`") +
                           " result in it).",
                       response);
    }
    return classified;
}

Classified classify_rest_answer(const HttpResponse& response, const ClassifyContext& context) {
    if (response.status == 0) return network_failure(response);
    if (auto bounded = out_of_bounds(response)) return *bounded;

    Classified classified;
    // MediaWiki's REST write endpoints answer JSON (or nothing): an HTML page in a 2xx is someone else's.
    if (context.write && is_success_status(response.status) && response.body_kind == ResponseBody::Text) {
        classified.error = make_error(ErrorCategory::Response, "invalidjson",
                                      "HTTP " + std::to_string(response.status) +
                                          " with a body that is not JSON, for a REST write: " + excerpt(response.text),
                                      response);
        return classified;
    }
    if (is_success_status(response.status) || response.status == 304) return classified;

    const json& body = response.body;
    const bool json_body = response.body_kind == ResponseBody::Json && body.is_object();

    std::string code;
    for (const char* key : {"errorKey", "error", "actionModuleErrorCode"}) {
        if (json_body && code.empty()) code = string_member(body, key);
    }
    if (code.empty()) code = "http";  // mw.Rest's code for every failed request

    std::string info;
    if (json_body) {
        auto translations = body.find("messageTranslations");
        if (translations != body.end() && translations->is_object()) {
            info = string_member(*translations, "en");
            for (auto it = translations->begin(); info.empty() && it != translations->end(); ++it) {
                if (it->is_string()) info = it->get<std::string>();
            }
        }
        if (info.empty()) info = string_member(body, "httpReason");
    }
    if (info.empty()) info = http_info(response);

    // A REST error body (1.39 sends only messageTranslations/httpCode/httpReason, without a key) is a Rest error
    // even when its code falls back to "http"; "Http" is for answers that are not REST error bodies at all.
    bool rest_error_body = false;
    for (const char* key : {"errorKey", "error", "actionModuleErrorCode", "messageTranslations", "httpCode",
                            "httpReason", "messageKey"}) {
        rest_error_body = rest_error_body || (json_body && has_member(body, key));
    }

    apply_overload_retry(response, classified.retry);
    classified.error = make_error(rest_error_body ? ErrorCategory::Rest : ErrorCategory::Http, std::move(code),
                                  std::move(info), response);
    return classified;
}

// A refusal of the OAuth credentials (a Bearer token, an OAuth 1.0a signature) becomes an OAuth error with the server's
// code (shapes: the lab's report,
// ../shared/reference/oauthlab-example/REPORT.md §5.4, which tests/js/oauth2.test.mjs replays).
void mark_oauth(Classified& classified, const ClassifyContext& context, bool rest) {
    if (!context.oauth || !classified.error) return;
    Error& e = *classified.error;
    bool oauth = false;
    if (!rest) {
        oauth = e.category == ErrorCategory::Api && e.code.rfind("mwoauth-", 0) == 0;
    } else if (e.category == ErrorCategory::Rest) {
        if (e.status == 401)
            oauth = e.code == "access_denied" || e.code == "invalid_token" || e.code == "invalid_request";
        if (e.status == 403 && e.code == "rest-read-denied") {
            oauth = true;
            e.info += " (MediaWiki's REST API answers a bad, expired or revoked access token this way)";
        }
    }
    if (!oauth) return;
    e.category = ErrorCategory::OAuth;
    e.info = "The wiki did not accept the OAuth credentials: " + e.info;
    classified.retry = RetryAdvice{};
}

}  // namespace

Classified classify_action(const HttpResponse& response, const ClassifyContext& context) {
    bool well_formed_api_error = false;
    Classified classified = classify_action_answer(response, context, well_formed_api_error);
    mark_oauth(classified, context, false);
    return with_performed(std::move(classified), response, context, well_formed_api_error);
}

Classified classify_rest(const HttpResponse& response, const ClassifyContext& context) {
    Classified classified = classify_rest_answer(response, context);
    mark_oauth(classified, context, true);
    return with_performed(std::move(classified), response, context, false);
}

}  // namespace fw
