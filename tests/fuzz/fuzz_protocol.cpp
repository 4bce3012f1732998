// fuzz_protocol: the bindings' JSON protocol (wasm/bindings/protocol.hpp), i.e. everything the JS layer can hand
// the module as text: parse_object, client_options_from_json, action_call_from_json, rest_call_from_json,
// response_headers_from_json, response_body_from_json, failure_from_string, and back out via *_to_json + dump.
// Input: one JSON text, read by every reader (so a seed can be client options, a call, headers or a body).
// Invariants: never crashes; parse_json agrees with json::parse; a reader accepts only objects with known fields;
// header names come out lower-case; what the readers accept drives a Session without crashing, and the session's
// requests and events always serialise (dump) to text that parses back. The input as a response body then answers
// those requests, so any JSON reaches the session's response handling through the production code path.
#define FW_FUZZ_HARNESS "fuzz_protocol"

#include <string>

#include "fw/classify.hpp"
#include "fw/session.hpp"
#include "protocol.hpp"
#include "support/check.hpp"

using fw::json;
using namespace fwfuzz;

namespace {

void check_dump(const json& value, const char* what) {
    const std::string text = fwb::dump(value);
    FW_FUZZ_CHECK(is_valid_utf8(text), std::string(what) + ": dump wrote invalid UTF-8");
    const json back = fwb::parse_json(text);
    FW_FUZZ_CHECK(!back.is_discarded(), std::string(what) + ": dump wrote text that does not parse: " + text.substr(0, 200));
}

void check_headers_lower(const fw::Headers& headers) {
    for (const auto& h : headers) FW_FUZZ_CHECK(h.first == to_lower(h.first), "a header name is not lower-case");
}

// Drains the session; every request and event must serialise.
std::vector<fw::HttpRequest> drain(fw::Session& s) {
    std::vector<fw::HttpRequest> requests;
    while (auto r = s.poll_request()) {
        check_dump(fwb::request_to_json(*r), "request_to_json");
        requests.push_back(std::move(*r));
    }
    while (s.poll_cancel()) {
    }
    while (auto e = s.poll_event()) check_dump(fwb::event_to_json(*e), "event_to_json");
    return requests;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    const json parsed = fwb::parse_json(text);
    const json reference = json::parse(text, nullptr, false);
    FW_FUZZ_CHECK(parsed.is_discarded() == reference.is_discarded(), "parse_json and json::parse disagree on validity");
    if (!parsed.is_discarded()) FW_FUZZ_CHECK(parsed == reference, "parse_json and json::parse disagree on the value");
    if (!parsed.is_discarded()) check_dump(parsed, "dump(parse_json)");

    json object;
    const auto object_error = fwb::parse_object(text, "fuzz input", object);
    FW_FUZZ_CHECK(object_error.has_value() == (reference.is_discarded() || !reference.is_object()),
                  "parse_object must accept exactly the JSON objects");
    FW_FUZZ_CHECK(object.is_object(), "parse_object must always leave an object");

    fw::ClientOptions options;
    const bool options_ok = !fwb::client_options_from_json(object, options);
    check_headers_lower(options.headers);
    fw::ActionCall action;
    const bool action_ok = !fwb::action_call_from_json(object, action);
    check_headers_lower(action.headers);
    fw::RestCall rest;
    const bool rest_ok = !fwb::rest_call_from_json(object, rest);
    check_headers_lower(rest.headers);
    if (options_ok) FW_FUZZ_CHECK(object.size() <= 21, "options accepted with unknown fields");
    if (options_ok) FW_FUZZ_CHECK(options.max_json_depth >= 1 && options.max_json_depth <= 10000, "maxJsonDepth out of range");
    if (action_ok) FW_FUZZ_CHECK(object.size() <= 6, "an action call accepted with unknown fields");
    if (rest_ok) FW_FUZZ_CHECK(object.size() <= 8, "a REST call accepted with unknown fields");

    const fw::Headers headers = fwb::response_headers_from_json(text);
    check_headers_lower(headers);
    static const char* const kKinds[] = {"json", "digest", "text", "empty", "too-large", "too-deep", "bogus"};
    fw::HttpResponse response;
    for (const char* kind : kKinds) {
        fw::HttpResponse r;
        r.status = 200;
        fwb::response_body_from_json(kind, text, "", r);
        const bool json_kind = std::string(kind) == "json" || std::string(kind) == "digest";
        if (json_kind && !parsed.is_discarded())
            FW_FUZZ_CHECK(r.body_kind == fw::ResponseBody::Json && r.body == parsed, "a JSON body was not kept");
        if (std::string(kind) == "empty") FW_FUZZ_CHECK(r.body_kind == fw::ResponseBody::Empty, "empty is not Empty");
        if (std::string(kind) == "too-deep") FW_FUZZ_CHECK(r.body_kind == fw::ResponseBody::TooDeep, "too-deep lost");
        // fuzz_classify covers classification; here only that its errors serialise.
        r.status = size % 2 == 0 ? 200 : 503;
        r.headers = headers;
        fw::ClassifyContext logged_in;
        logged_in.expect_login = true;
        const auto a = fw::classify_action(r, logged_in);
        if (a.error) check_dump(fwb::error_to_json(*a.error), "error_to_json(action)");
        const auto b = fw::classify_rest(r, fw::ClassifyContext{});
        if (b.error) check_dump(fwb::error_to_json(*b.error), "error_to_json(rest)");
        if (json_kind && std::string(kind) == "json") response = r;
    }
    response.status = 200;
    response.headers = headers;
    (void)fwb::failure_from_string(text);

    // Drive a session with what the readers accepted (or a fixed Cookies client), answering with the input.
    fw::Session session;
    if (!options_ok) {
        options = fw::ClientOptions{};
        options.api_url = "http://127.0.0.2:8092/w/api.php";
        options.page_origin = "http://127.0.0.1:8091";
    }
    const auto client = session.add_client(options);
    if (!client) return 0;
    const double now = 1000;
    if (!options.rest) {
        if (!action_ok) {
            action = fw::ActionCall{};
            action.method = "POST";
            action.token_type = "csrf";
            action.params = {{"action", "options"}, {"change", "x=y"}};
        }
        action.client = client.value();
        session.start_action(action, now);
        session.get_token(client.value(), "csrf", now);
    } else {
        if (!rest_ok) {
            rest = fw::RestCall{};
            rest.method = "PUT";
            rest.path = "/v1/page/{title}";
            rest.path_params = {{"title", "Main Page"}};
            rest.body = json{{"source", "x"}};
        }
        rest.client = client.value();
        session.start_rest(rest, now);
    }
    // Three rounds: the token or centralauthtoken, the call, a retry.
    for (int round = 0; round < 3; ++round) {
        for (const auto& r : drain(session)) session.handle_response(r.id, response, now + round);
    }
    drain(session);
    return 0;
}
