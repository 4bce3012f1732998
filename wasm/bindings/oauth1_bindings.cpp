// The embind surface of the OAuth 1 module (foreign-wasm-oauth1.mjs, Node only; js/src/oauth1.js drives it): the
// functions of fw/oauth1.hpp, each JSON text in and {"ok":…} or {"error":{category,code,info,status}} out. It is
// its own module so that the gadget script never contains OAuth 1 code or handles a consumer secret. The base
// string is never handed out: it is for the native tests only.
#include <emscripten/bind.h>

#include <string>

#include "fw/oauth1.hpp"
#include "json_read.hpp"

namespace {

using fw::json;

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string error_text(const fw::Error& error) {
    json e = json::object();
    e["category"] = fw::to_string(error.category);
    e["code"] = error.code;
    e["info"] = error.info;
    e["status"] = error.status;
    e["performed"] = "no";
    json out = json::object();
    out["error"] = std::move(e);
    return dump(out);
}

std::string ok_text(json value) {
    json out = json::object();
    out["ok"] = std::move(value);
    return dump(out);
}

json input_of(const std::string& text) {
    json value = json::parse(text, nullptr, false);
    return value.is_object() ? value : json::object();
}

std::string s(const json& object, const char* key) { return fw::read::string_member(object, key); }

double number(const json& object, const char* key, double fallback) {
    const json* member = fw::read::member(object, key);
    return member && member->is_number() ? member->get<double>() : fallback;
}

// {method, url, contentType, body, consumerKey, consumerSecret, token, tokenSecret, nonce, timestamp, callback?,
//  verifier?} → {"ok":{"authorization":…}}
std::string sign(const std::string& input_json) {
    const json in = input_of(input_json);
    fw::oauth1::SignInput input;
    input.method = s(in, "method");
    input.url = s(in, "url");
    input.content_type = s(in, "contentType");
    input.body = s(in, "body");
    input.credentials = {s(in, "consumerKey"), s(in, "consumerSecret"), s(in, "token"), s(in, "tokenSecret")};
    input.nonce = s(in, "nonce");
    input.timestamp = s(in, "timestamp");
    if (fw::read::member(in, "callback")) input.callback = s(in, "callback");
    if (fw::read::member(in, "verifier")) input.verifier = s(in, "verifier");
    const auto signed_ = fw::oauth1::sign(input);
    if (!signed_) return error_text(signed_.error());
    json out = json::object();
    out["authorization"] = signed_.value().authorization;
    return ok_text(std::move(out));
}

std::string special_url(const std::string& index_php, const std::string& special) {
    const auto url = fw::oauth1::special_url(index_php, special);
    return url ? ok_text(url.value()) : error_text(url.error());
}

std::string authorize_url(const std::string& index_php, const std::string& token, const std::string& key) {
    const auto url = fw::oauth1::authorize_url(index_php, token, key);
    return url ? ok_text(url.value()) : error_text(url.error());
}

std::string parse_token_answer(int status, const std::string& body) {
    const auto token = fw::oauth1::parse_token_answer(status, body);
    if (!token) return error_text(token.error());
    json out = json::object();
    out["token"] = token.value().token;
    out["secret"] = token.value().secret;
    return ok_text(std::move(out));
}

std::string verifier_from_callback(const std::string& query, const std::string& request_token) {
    const auto verifier = fw::oauth1::verifier_from_callback(query, request_token);
    return verifier ? ok_text(verifier.value()) : error_text(verifier.error());
}

// {body, consumerKey, consumerSecret, issuer, nonce, nowS, leewayS?} → {"ok": claims}
std::string verify_identify(const std::string& input_json) {
    const json in = input_of(input_json);
    fw::oauth1::IdentifyCheck check;
    check.consumer_key = s(in, "consumerKey");
    check.consumer_secret = s(in, "consumerSecret");
    check.issuer = s(in, "issuer");
    check.nonce = s(in, "nonce");
    check.now_s = number(in, "nowS", 0);
    check.leeway_s = number(in, "leewayS", 10);
    const auto claims = fw::oauth1::verify_identify(s(in, "body"), check);
    return claims ? ok_text(claims.value()) : error_text(claims.error());
}

}  // namespace

EMSCRIPTEN_BINDINGS(fw_oauth1) {
    emscripten::function("sign", &sign);
    emscripten::function("specialUrl", &special_url);
    emscripten::function("authorizeUrl", &authorize_url);
    emscripten::function("parseTokenAnswer", &parse_token_answer);
    emscripten::function("verifierFromCallback", &verifier_from_callback);
    emscripten::function("verifyIdentify", &verify_identify);
}
