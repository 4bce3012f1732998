// The CORS rules of MediaWiki (as MediaWiki 1.39 applies them; tests/core/test_cors.cpp): which `origin` /
// `crossorigin` a request carries and whether the browser may send cookies with it.
#pragma once

#include <string>

#include "fw/session.hpp"
#include "fw/types.hpp"

namespace fw {

struct WireAuth {
    std::string origin;        // value of the `origin` URL parameter; empty = omitted
    bool crossorigin = false;  // the `crossorigin` URL parameter (Authorization-header requests); never with origin
    Credentials credentials = Credentials::Omit;
};

// For an Action API request to `target_url` made from `page_origin` (empty off the web) in `mode`.
//   Anonymous:   origin=* (strips any login: MediaWiki answers as an IP), no cookies.
//   Cookies:     origin=<page origin>, cookies included; no origin parameter on the page's own origin or off the web.
//   CentralAuth: origin=<page origin> so the answer is readable, but no cookies: the token is the identity.
//   Bearer:      no cookies; cross-origin pages: crossorigin when the wiki has it (>= 1.44), else origin=<page
//                origin> (1.39: readable only from an origin in $wgCrossSiteAJAXdomains). Never origin=*, which
//                makes MediaWiki drop the token and answer anonymously.
WireAuth action_wire_auth(AuthMode mode, const std::string& page_origin, const std::string& target_url,
                          bool crossorigin_supported = false);

// For a REST request: REST reads no origin parameter; only the credentials mode differs. With a CentralAuthToken
// header cookies must not be sent (T391180: MediaWiki errors unless $wgRestAllowCrossOriginCookieAuth).
Credentials rest_credentials(AuthMode mode);

}  // namespace fw
