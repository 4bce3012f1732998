#include "protocol.hpp"

#include <cmath>
#include <initializer_list>
#include <utility>

namespace fwb {

namespace {

using fw::Error;

std::string lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// Reads typed members of one JSON object, remembering the first problem. A member that is absent or null leaves
// the target untouched (JS writes undefined options as absent and null ones as null: both mean "default").
class Fields {
public:
    Fields(const json& object, const char* what) : object_(object), what_(what) {
        if (!object_.is_object()) fail("", "an object");
    }

    // The keys asked for are the schema: anything else in the object is an error (strict on purpose: a misspelt
    // option would otherwise be silently ignored). `names` receives them (protocol_schema()).
    std::optional<Error> finish(std::vector<std::string>* names) {
        if (names) names->assign(asked_.begin(), asked_.end());
        if (error_ || !object_.is_object()) return error_;
        for (const auto& item : object_.items()) {
            bool found = false;
            for (const char* k : asked_) found = found || item.key() == k;
            if (!found)
                return fw::usage_error(std::string("bad-") + what_,
                                       std::string("Unknown ") + what_ + " field \"" + item.key() + "\".");
        }
        return std::nullopt;
    }

    void string(const char* key, std::string& out) {
        if (const json* v = find(key)) {
            if (v->is_string())
                out = v->get<std::string>();
            else
                fail(key, "a string");
        }
    }

    void boolean(const char* key, bool& out) {
        if (const json* v = find(key)) {
            if (v->is_boolean())
                out = v->get<bool>();
            else
                fail(key, "true or false");
        }
    }

    void number(const char* key, double& out) {
        if (const json* v = find(key)) {
            if (v->is_number() && std::isfinite(v->get<double>()) && v->get<double>() >= 0)
                out = v->get<double>();
            else
                fail(key, "a non-negative number");
        }
    }

    void optional_number(const char* key, std::optional<double>& out) {
        double value = 0;
        if (find(key)) {
            number(key, value);
            out = value;
        }
    }

    // Ids are uint64 in the core and plain numbers in JS: integers up to 2^53 are exact in both.
    void id(const char* key, std::uint64_t& out) {
        if (const json* v = find(key)) {
            const bool ok = v->is_number_unsigned() ||
                            (v->is_number() && v->get<double>() >= 0 && v->get<double>() <= 9007199254740992.0 &&
                             std::floor(v->get<double>()) == v->get<double>());
            if (ok)
                out = v->is_number_unsigned() ? v->get<std::uint64_t>() : static_cast<std::uint64_t>(v->get<double>());
            else
                fail(key, "a non-negative integer");
        }
    }

    void object(const char* key, json& out) {
        if (const json* v = find(key)) {
            if (v->is_object())
                out = *v;
            else
                fail(key, "an object");
        }
    }

    void any(const char* key, std::optional<json>& out) {
        if (const json* v = find(key)) out = *v;
    }

    void headers(const char* key, fw::Headers& out) {
        const json* v = find(key);
        if (!v) return;
        if (v->is_object()) {
            for (const auto& item : v->items()) {
                if (!item.value().is_string()) return fail(key, "an object of string values or [name, value] pairs");
                out.emplace_back(lower(item.key()), item.value().get<std::string>());
            }
        } else if (v->is_array()) {
            for (const auto& pair : *v) {
                if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
                    return fail(key, "an object of string values or [name, value] pairs");
                out.emplace_back(lower(pair[0].get<std::string>()), pair[1].get<std::string>());
            }
        } else {
            fail(key, "an object of string values or [name, value] pairs");
        }
    }

    // A string that must be one of `choices`; returns its index, or -1 when absent.
    int choice(const char* key, std::initializer_list<const char*> choices) {
        const json* v = find(key);
        if (!v) return -1;
        int index = 0;
        if (v->is_string())
            for (const char* c : choices) {
                if (v->get<std::string>() == c) return index;
                ++index;
            }
        std::string expected = "one of";
        for (const char* c : choices) expected += std::string(" \"") + c + "\"";
        fail(key, expected.c_str());
        return -1;
    }

private:
    const json* find(const char* key) {
        bool known = false;
        for (const char* k : asked_) known = known || std::string(k) == key;
        if (!known) asked_.push_back(key);
        if (!object_.is_object()) return nullptr;
        auto it = object_.find(key);
        if (it == object_.end() || it->is_null()) return nullptr;
        return &*it;
    }

    void fail(const std::string& key, const char* expected) {
        if (error_) return;
        std::string info = key.empty()
                               ? std::string("The ") + what_ + " must be " + expected + "."
                               : std::string("The ") + what_ + " field \"" + key + "\" must be " + expected + ".";
        error_ = fw::usage_error(std::string("bad-") + what_, std::move(info));
    }

    const json& object_;
    const char* what_;
    std::optional<Error> error_;
    std::vector<const char*> asked_;
};

const char* category_name(fw::ErrorCategory category) { return fw::to_string(category); }

const char* body_kind_name(fw::BodyKind kind) {
    switch (kind) {
        case fw::BodyKind::None: return "none";
        case fw::BodyKind::FormUrlEncoded: return "form";
        case fw::BodyKind::Multipart: return "multipart";
        case fw::BodyKind::Json: return "json";
    }
    return "none";
}

}  // namespace

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// json::parse(text, nullptr, false) without its callback machinery (size: json::parse picks the DOM builder with or
// without a callback at run time, so both end up in the module, ~3 KB of wasm). This drives nlohmann's own DOM
// builder directly, with the same strict end-of-input check, and returns a discarded value on any error exactly as
// json::parse does.
json parse_json(const std::string& text) {
    json result;
    nlohmann::detail::json_sax_dom_parser<json> sax(result, /*allow_exceptions_=*/false);
    auto adapter = nlohmann::detail::input_adapter(text);
    nlohmann::detail::parser<json, decltype(adapter)>(std::move(adapter), nullptr, /*allow_exceptions_=*/false)
        .sax_parse(&sax, /*strict=*/true);
    if (sax.is_errored()) result = json(json::value_t::discarded);
    return result;
}

std::optional<Error> parse_object(const std::string& text, const char* what, json& out) {
    out = parse_json(text);
    if (out.is_discarded() || !out.is_object()) {
        out = json::object();
        return fw::usage_error("bad-json", std::string("Expected a JSON object for the ") + what + ".");
    }
    return std::nullopt;
}

std::optional<Error> client_options_from_json(const json& object, fw::ClientOptions& out, FieldNames* names) {
    Fields f(object, "options");
    f.string("apiUrl", out.api_url);
    f.boolean("rest", out.rest);
    f.string("pageOrigin", out.page_origin);
    switch (f.choice("auth", {"anonymous", "cookies", "centralauth", "bearer", "oauth1"})) {
        case 0: out.auth = fw::AuthMode::Anonymous; break;
        case 1: out.auth = fw::AuthMode::Cookies; break;
        case 2: out.auth = fw::AuthMode::CentralAuth; break;
        case 3: out.auth = fw::AuthMode::Bearer; break;
        case 4: out.auth = fw::AuthMode::OAuth1; break;
        default: break;
    }
    f.string("centralAuthApi", out.central_auth_api);
    f.string("localUser", out.local_user);
    f.string("bearerToken", out.bearer_token);
    double signer = 0;
    f.number("oauth1Signer", signer);
    out.oauth1_signer = signer >= 1 && signer <= 4294967295.0 ? static_cast<std::uint32_t>(signer) : 0;
    f.string("oauth1Identity", out.oauth1_identity);
    f.boolean("crossorigin", out.crossorigin);
    f.boolean("anonymousFallback", out.anonymous_fallback);
    f.boolean("checkForeignLogin", out.check_foreign_login);
    f.number("prefetchMaxAgeMs", out.prefetch_max_age_ms);
    f.string("assert", out.assert_);
    f.string("assertuser", out.assertuser);
    f.object("parameters", out.default_params);
    f.headers("headers", out.headers);
    f.string("userAgent", out.user_agent);
    f.boolean("userAgentOnGet", out.user_agent_on_get);
    f.number("timeoutMs", out.timeout_ms);
    f.number("retryBudgetMs", out.retry_budget_ms);
    f.number("readonlyWaitMs", out.readonly_wait_ms);
    f.number("maxBodyBytes", out.max_body_bytes);
    double depth = out.max_json_depth;
    f.number("maxJsonDepth", depth);
    out.max_json_depth = depth < 1 ? 1 : depth > 10000 ? 10000 : static_cast<int>(depth);
    return f.finish(names);
}

std::optional<Error> action_call_from_json(const json& object, fw::ActionCall& out, FieldNames* names) {
    Fields f(object, "call");
    f.id("client", out.client);
    f.string("method", out.method);
    f.object("params", out.params);
    f.string("tokenType", out.token_type);
    f.headers("headers", out.headers);
    f.optional_number("timeoutMs", out.timeout_ms);
    return f.finish(names);
}

std::optional<Error> rest_call_from_json(const json& object, fw::RestCall& out, FieldNames* names) {
    Fields f(object, "call");
    f.id("client", out.client);
    f.string("method", out.method);
    f.string("path", out.path);
    f.object("pathParams", out.path_params);
    f.object("query", out.query);
    f.any("body", out.body);
    f.headers("headers", out.headers);
    f.optional_number("timeoutMs", out.timeout_ms);
    return f.finish(names);
}

json protocol_schema() {
    const json empty = json::object();
    FieldNames client, action, rest;
    fw::ClientOptions options;
    fw::ActionCall action_call;
    fw::RestCall rest_call;
    client_options_from_json(empty, options, &client);
    action_call_from_json(empty, action_call, &action);
    rest_call_from_json(empty, rest_call, &rest);
    json schema = json::object();
    schema["clientOptions"] = client;
    schema["actionCall"] = action;
    schema["restCall"] = rest;
    return schema;
}

fw::Headers response_headers_from_json(const std::string& text) {
    fw::Headers headers;
    const json parsed = parse_json(text);
    if (parsed.is_discarded()) return headers;
    json wrapper = json::object();
    wrapper["h"] = parsed;
    Fields f(wrapper, "headers");
    f.headers("h", headers);
    return headers;
}

void response_body_from_json(const std::string& body_kind, const std::string& digest_json, const std::string& text,
                             fw::HttpResponse& out) {
    if (body_kind == "json" || body_kind == "digest") {
        json body = parse_json(digest_json);
        if (!body.is_discarded()) {
            out.body_kind = fw::ResponseBody::Json;
            out.body = std::move(body);
            out.digest = body_kind == "digest";
            return;
        }
    }
    if (body_kind == "empty") {
        out.body_kind = fw::ResponseBody::Empty;
        return;
    }
    if (body_kind == "too-large" || body_kind == "too-deep") {
        out.body_kind = body_kind == "too-large" ? fw::ResponseBody::TooLarge : fw::ResponseBody::TooDeep;
        return;
    }
    out.body_kind = fw::ResponseBody::Text;
    out.text = text.empty() ? digest_json : text;
}

fw::TransportFailure failure_from_string(const std::string& kind) {
    if (kind == "timeout") return fw::TransportFailure::Timeout;
    if (kind == "abort") return fw::TransportFailure::Abort;
    return fw::TransportFailure::Network;
}

json error_to_json(const Error& error) {
    json j = json::object();
    j["category"] = category_name(error.category);
    j["code"] = error.code;
    j["info"] = error.info;
    j["status"] = error.status;
    j["result"] = error.result;
    j["performed"] = fw::to_string(error.performed);
    return j;
}

json request_to_json(const fw::HttpRequest& r) {
    json headers = json::array();
    for (const auto& [name, value] : r.headers) headers.push_back(json::array({name, value}));
    json j = json::object();
    j["id"] = r.id;
    j["call"] = r.call;
    j["purpose"] = fw::to_string(r.purpose);
    j["why"] = r.why;
    j["method"] = r.method;
    j["url"] = r.url;
    j["displayUrl"] = r.display_url;
    j["headers"] = std::move(headers);
    j["bodyKind"] = body_kind_name(r.body_kind);
    if (r.body_kind == fw::BodyKind::FormUrlEncoded || r.body_kind == fw::BodyKind::Json) j["body"] = r.body;
    if (r.signer) j["signer"] = r.signer;
    if (r.body_kind == fw::BodyKind::Multipart) {
        json fields = json::array();
        for (const auto& field : r.fields) {
            json entry = json::object();
            entry["name"] = field.name;
            entry["value"] = field.value;
            entry["blob"] = field.blob;
            fields.push_back(std::move(entry));
        }
        j["fields"] = std::move(fields);
    }
    j["credentials"] = fw::to_string(r.credentials);
    j["noStore"] = r.no_store;
    j["timeoutMs"] = r.timeout_ms;
    j["maxBodyBytes"] = r.max_body_bytes;
    j["maxJsonDepth"] = r.max_json_depth;
    return j;
}

json event_to_json(const fw::Event& event) {
    json j = json::object();
    switch (event.kind) {
        case fw::Event::Kind::Completed:
            j["type"] = "completed";
            j["call"] = event.completed.call;
            j["responseOf"] = event.completed.response_of;
            j["warnings"] = event.completed.warnings;
            j["anonymousFallback"] = event.completed.anonymous_fallback;
            if (!event.completed.token.empty()) j["token"] = event.completed.token;  // getToken() only
            break;
        case fw::Event::Kind::Failed:
            j["type"] = "failed";
            j["call"] = event.failed.call;
            j["responseOf"] = event.failed.response_of;
            j["error"] = error_to_json(event.failed.error);
            break;
        case fw::Event::Kind::Notice:
            j["type"] = "notice";
            j["call"] = event.notice.call;
            j["code"] = event.notice.code;
            j["info"] = event.notice.info;
            break;
    }
    return j;
}

}  // namespace fwb
