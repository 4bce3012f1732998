// Test helpers: responses built from the exact bytes real MediaWiki 1.39 sent (wiki_responses.hpp, recorded from
// the lab of tests/lab), and a driver that drains a Session.
#pragma once

#include <string>
#include <vector>

#include "fw/session.hpp"

namespace fwtest {

using fw::Headers;
using fw::HttpResponse;

// A response as the JS driver would hand it over: JSON bodies parsed (in full: the digest is a subset), other bodies
// as text, an empty body as Empty.
HttpResponse response(int status, const std::string& body, Headers headers = {});

// Status 0: what fetch reports for a network failure or a CORS refusal.
HttpResponse opaque_failure();

// Everything the session has to say right now.
struct Drained {
    std::vector<fw::HttpRequest> requests;
    std::vector<fw::RequestId> cancels;
    std::vector<fw::Event> events;
};
Drained drain(fw::Session& session);

// Query-string value of `name` in a URL or form body (percent-decoded), or "<absent>".
std::string param(const std::string& url_or_body, const std::string& name);
bool has_param(const std::string& url_or_body, const std::string& name);
std::string percent_decode(const std::string& text);

}  // namespace fwtest
