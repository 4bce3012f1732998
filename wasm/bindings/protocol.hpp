// The JSON protocol between js/src/engine.js and fw::Session: camelCase JSON text in, fw:: structs out, and back.
// Nothing here throws or aborts on bad input (the module is built with -fno-exceptions and JSON_NOEXCEPTION):
// malformed text or a field of the wrong type becomes a usage error naming the field.
//
// JS → core
//   client options, action call, REST call: the fields their readers below read, and nothing else (the readers
//                   are the schema; protocolSchema() lists them and tests/js/bindings.test.mjs checks the JS layer
//                   sends exactly those)
//   headers         {"Name": "value", …} or [["name", "value"], …]; names are lower-cased
//   response body   bodyKind "empty" | "json" (the whole parse) | "digest" (only digestSpec() keys of a non-empty
//                   object) | "text" (the start of a non-JSON body) | "too-large" | "too-deep" (not read: over
//                   the request's maxBodyBytes / maxJsonDepth)
// core → JS
//   request         {id, call, purpose, why, method, url, displayUrl, headers: [[k, v]…], bodyKind:
//                    "none"|"form"|"multipart"|"json", body?, fields?: [{name, value, blob}], credentials:
//                    "omit"|"include", noStore, timeoutMs, maxBodyBytes, maxJsonDepth}
//   event           {type:"completed", call, responseOf, warnings, anonymousFallback, token? (getToken only)}
//                 | {type:"failed", call, responseOf, error:{category, code, info, status, result,
//                                                          performed: "no"|"maybe"}}
//                 | {type:"notice", call, code, info}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fw/session.hpp"

namespace fwb {

using fw::json;

// json::parse(text, nullptr, false): the value, or a discarded value when `text` is not exactly one JSON value.
json parse_json(const std::string& text);

// Parses `text` as a JSON object; nullopt + a usage error ("bad-json") otherwise.
std::optional<fw::Error> parse_object(const std::string& text, const char* what, json& out);

// Each reader is the schema of its object: the fields it reads are the only ones accepted, and `names` (when given)
// receives them. protocol_schema() collects all three ({"clientOptions", "actionCall", "restCall"}: [names]) for
// the JS side to be checked against (tests/js/bindings.test.mjs).
using FieldNames = std::vector<std::string>;
std::optional<fw::Error> client_options_from_json(const json& object, fw::ClientOptions& out,
                                                  FieldNames* names = nullptr);
std::optional<fw::Error> action_call_from_json(const json& object, fw::ActionCall& out, FieldNames* names = nullptr);
std::optional<fw::Error> rest_call_from_json(const json& object, fw::RestCall& out, FieldNames* names = nullptr);
json protocol_schema();

// Response headers as fetch reports them. Anything malformed is skipped: a response must always reach the core.
fw::Headers response_headers_from_json(const std::string& text);

// bodyKind/digest/text → HttpResponse body fields. A digest that is not valid JSON becomes a Text body.
void response_body_from_json(const std::string& body_kind, const std::string& digest_json, const std::string& text,
                             fw::HttpResponse& out);

// "network" | "timeout" | "abort"; anything else counts as network.
fw::TransportFailure failure_from_string(const std::string& kind);

json error_to_json(const fw::Error& error);
json request_to_json(const fw::HttpRequest& request);
json event_to_json(const fw::Event& event);

// json::dump that never aborts: invalid UTF-8 (a server's bytes, a truncated text) is replaced, not fatal.
std::string dump(const json& value);

}  // namespace fwb
