// Names of error categories (the JS layer maps them to Error classes) and the constructor for local misuse.
#include "fw/error.hpp"

namespace fw {

const char* to_string(ErrorCategory category) {
    switch (category) {
        case ErrorCategory::Usage: return "usage";
        case ErrorCategory::Api: return "api";
        case ErrorCategory::Rest: return "rest";
        case ErrorCategory::Http: return "http";
        case ErrorCategory::Response: return "response";
        case ErrorCategory::Network: return "network";
        case ErrorCategory::Cors: return "cors";
        case ErrorCategory::LoginSuppressed: return "login-suppressed";
        case ErrorCategory::CentralAuth: return "centralauth";
        case ErrorCategory::OAuth: return "oauth";
        case ErrorCategory::Timeout: return "timeout";
        case ErrorCategory::Abort: return "abort";
    }
    return "usage";
}

const char* to_string(Performed performed) { return performed == Performed::Maybe ? "maybe" : "no"; }

Error usage_error(std::string code, std::string info) {
    Error error;
    error.category = ErrorCategory::Usage;
    error.code = std::move(code);
    error.info = std::move(info);
    return error;
}

}  // namespace fw
