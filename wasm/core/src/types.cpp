// Small helpers for the wire types: header lookup, names for traces, and what the driver must copy from big bodies.
#include "fw/types.hpp"

#include "fw/classify.hpp"

namespace fw {

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

}  // namespace

// Both sides are compared case-insensitively: stored names are lower-case, but callers may write "Retry-After".
std::optional<std::string> find_header(const Headers& headers, const std::string& lower_name) {
    for (const auto& [name, value] : headers) {
        if (equals_ignoring_case(name, lower_name)) return value;
    }
    return std::nullopt;
}

const char* to_string(Purpose purpose) {
    switch (purpose) {
        case Purpose::CentralAuthToken: return "centralauthtoken";
        case Purpose::LoginCheck: return "login-check";
        case Purpose::Token: return "token";
        case Purpose::Call: return "call";
        case Purpose::Retry: return "retry";
    }
    return "call";
}

const char* to_string(Credentials credentials) { return credentials == Credentials::Include ? "include" : "omit"; }

// Every top-level key read by classify_action/classify_rest (errors, warnings, REST error fields) or by the session
// (centralauthtoken, query.tokens, query.userinfo, login). Anything not listed here is invisible to the core.
json digest_spec() {
    json spec = json::object();
    spec["top"] = json::array({"error", "errors", "warnings", "centralauthtoken", "query", "login", "httpCode",
                               "httpReason", "errorKey", "messageTranslations", "actionModuleErrorCode", "messageKey"});
    // A write's success is its module's member: the digest carries it for the modules the classifier checks.
    for (const WriteResultMember& known : write_result_modules()) spec["top"].push_back(known.module);
    spec["query"] = json::array({"tokens", "userinfo"});
    return spec;
}

}  // namespace fw
