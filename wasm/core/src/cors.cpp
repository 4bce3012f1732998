#include "fw/cors.hpp"

#include "fw/action_request.hpp"

namespace fw {

WireAuth action_wire_auth(AuthMode mode, const std::string& page_origin, const std::string& target_url,
                          bool crossorigin_supported) {
    WireAuth wire;
    const bool cross_origin = !page_origin.empty() && origin_of(target_url) != page_origin;
    switch (mode) {
        case AuthMode::Anonymous: wire.origin = "*"; break;
        case AuthMode::Cookies:
            wire.credentials = Credentials::Include;
            if (cross_origin) wire.origin = page_origin;
            break;
        case AuthMode::CentralAuth:
            if (cross_origin) wire.origin = page_origin;
            break;
        case AuthMode::Bearer:
        case AuthMode::OAuth1:
            if (cross_origin && crossorigin_supported)
                wire.crossorigin = true;
            else if (cross_origin)
                wire.origin = page_origin;
            break;
    }
    return wire;
}

Credentials rest_credentials(AuthMode mode) {
    return mode == AuthMode::Cookies ? Credentials::Include : Credentials::Omit;
}

}  // namespace fw
