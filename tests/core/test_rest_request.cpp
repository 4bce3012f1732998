// Building rest.php requests: path templates, query, JSON body and the headers a caller may pass.
#include <catch2/catch.hpp>

#include <cctype>

#include "fw/rest_request.hpp"

using fw::json;

namespace {

const std::string kRest = "https://b.example/w/rest.php";

fw::RestRequestSpec spec_for(const std::string& method, const std::string& path, const char* path_params = "{}") {
    fw::RestRequestSpec spec;
    spec.base_url = kRest;
    spec.method = method;
    spec.path = path;
    spec.path_params = json::parse(path_params);
    return spec;
}

// The header's value, or "<absent>" (fw::find_header, as the core reads it).
std::string header_value(const fw::Headers& headers, const std::string& name) {
    return fw::find_header(headers, name).value_or("<absent>");
}

fw::HttpRequest build_ok(const fw::RestRequestSpec& spec) {
    fw::HttpRequest out;
    auto error = fw::build_rest_request(spec, out);
    if (error) FAIL("unexpected error " << error->code << ": " << error->info);
    return out;
}

fw::Error build_error(const fw::RestRequestSpec& spec) {
    fw::HttpRequest out;
    auto error = fw::build_rest_request(spec, out);
    REQUIRE(error.has_value());
    CHECK(error->category == fw::ErrorCategory::Usage);
    CHECK(out.url.empty());  // nothing was built
    return *error;
}

}  // namespace

TEST_CASE("a path template value becomes one encoded segment", "[rest_request]") {
    auto out = build_ok(spec_for("GET", "/v1/page/{title}", R"({"title": "Foo/Bar baz?"})"));
    CHECK(out.method == "GET");
    CHECK(out.url == kRest + "/v1/page/Foo%2FBar%20baz%3F");
    CHECK(out.display_url == out.url);
    CHECK(out.body_kind == fw::BodyKind::None);
    CHECK(out.body.empty());
    CHECK(header_value(out.headers, "content-type") == "<absent>");
}

TEST_CASE("segment encoding keeps ':' and unreserved characters", "[rest_request]") {
    struct Case {
        const char* value_json;
        const char* segment;
    };
    auto c = GENERATE(values<Case>({
        {R"("Talk:Foo")", "Talk:Foo"},
        {R"("A-Z_a.z~0")", "A-Z_a.z~0"},
        {R"("100%")", "100%25"},
        {R"("a#b")", "a%23b"},
        {R"("a+b&c=d")", "a%2Bb%26c%3Dd"},
        {R"("Z\u00fcrich")", "Z%C3%BCrich"},
        {R"("...")", "..."},
        {"42", "42"},
        {"1.5", "1.5"},
    }));
    CAPTURE(c.value_json);
    fw::RestRequestSpec spec = spec_for("GET", "/v1/page/{title}/bare");
    spec.path_params = json{{"title", json::parse(c.value_json)}};
    CHECK(build_ok(spec).url == kRest + "/v1/page/" + c.segment + "/bare");
}

TEST_CASE("several placeholders are filled, literal parts kept", "[rest_request]") {
    auto out = build_ok(spec_for("GET", "/v1/page/{title}/history/counts/{type}",
                                 R"({"title": "Main Page", "type": "edits", "unused": "x"})"));
    CHECK(out.url == kRest + "/v1/page/Main%20Page/history/counts/edits");
}

TEST_CASE("a trailing slash on the base URL is not doubled", "[rest_request]") {
    auto spec = spec_for("GET", "/v1/search/title");
    spec.base_url = kRest + "/";
    CHECK(build_ok(spec).url == kRest + "/v1/search/title");
}

TEST_CASE("bad paths are refused", "[rest_request]") {
    struct Case {
        const char* path;
        const char* path_params;
    };
    auto c = GENERATE(values<Case>({
        {"v1/page/Foo", "{}"},
        {"", "{}"},
        {"/v1/../page/Foo", "{}"},
        {"/v1/page/..", "{}"},
        {"/v1/page/{title}", "{}"},
        {"/v1/page/{title}", R"({"title": null})"},
        {"/v1/page/{title}", R"({"title": true})"},
        {"/v1/page/{title}", R"({"title": {"a": 1}})"},
        {"/v1/page/{title}", R"({"title": ["a", "b"]})"},
        {"/v1/page/{title}", R"({"title": ""})"},
        {"/v1/page/{title}", R"({"title": "."})"},
        {"/v1/page/{title}", R"({"title": ".."})"},
        {"/v1/page/{title}", R"(["Foo"])"},
        {"/v1/page/{title", R"({"title": "Foo"})"},
    }));
    CAPTURE(c.path, c.path_params);
    CHECK(build_error(spec_for("GET", c.path, c.path_params)).code == "bad-path");
}

TEST_CASE("the query is encoded like Action API parameters", "[rest_request]") {
    auto spec = spec_for("GET", "/v1/search/page");
    spec.query = json::parse(R"({"limit": 10, "q": "Foo bar+", "skip": false, "tags": ["a", "b"]})");
    CHECK(build_ok(spec).url == kRest + "/v1/search/page?limit=10&q=Foo%20bar%2B&tags=a%7Cb");
}

TEST_CASE("a query already in the path is extended with '&'", "[rest_request]") {
    auto spec = spec_for("GET", "/v1/search/page?q=Foo");
    spec.query = json{{"limit", 5}};
    CHECK(build_ok(spec).url == kRest + "/v1/search/page?q=Foo&limit=5");
}

TEST_CASE("a bad query value is a usage error", "[rest_request]") {
    auto spec = spec_for("GET", "/v1/search/page");
    spec.query = json::parse(R"({"q": {"nested": 1}})");
    CHECK(build_error(spec).code == "bad-param-value");
    spec.query = json::parse(R"({"file": {"$blob": 0}})");
    CHECK(build_error(spec).code == "bad-param-value");
    spec.query = json::array();
    CHECK(build_error(spec).code == "bad-params");
}

TEST_CASE("token-like query values are masked in display_url", "[rest_request]") {
    auto spec = spec_for("GET", "/v1/page/{title}", R"({"title": "Foo"})");
    spec.query = json{{"token", "abc+\\"}};
    auto out = build_ok(spec);
    CHECK(out.url == kRest + "/v1/page/Foo?token=abc%2B%5C");
    CHECK(out.display_url == kRest + "/v1/page/Foo?token=\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2");
}

TEST_CASE("a body is sent as JSON with its content-type", "[rest_request]") {
    auto method = GENERATE(as<std::string>{}, "POST", "PUT", "PATCH", "DELETE");
    auto spec = spec_for(method, "/v1/page/{title}", R"({"title": "Foo"})");
    spec.body = json::parse(R"({"source": "Hello", "comment": "c", "latest": {"id": 5}})");
    auto out = build_ok(spec);
    CHECK(out.method == method);
    CHECK(out.url == kRest + "/v1/page/Foo");
    CHECK(out.body_kind == fw::BodyKind::Json);
    CHECK(out.body == R"({"comment":"c","latest":{"id":5},"source":"Hello"})");
    CHECK(header_value(out.headers, "content-type") == "application/json");
}

TEST_CASE("a write without a body has no body and no content-type", "[rest_request]") {
    auto out = build_ok(spec_for("POST", "/v1/page/{title}/purge", R"({"title": "Foo"})"));
    CHECK(out.body_kind == fw::BodyKind::None);
    CHECK(out.body.empty());
    CHECK(header_value(out.headers, "content-type") == "<absent>");
}

TEST_CASE("invalid UTF-8 in a body is replaced, not fatal", "[rest_request]") {
    auto spec = spec_for("POST", "/v1/page");
    spec.body = json{{"source", std::string("a\xff")}};
    CHECK(build_ok(spec).body == "{\"source\":\"a\xEF\xBF\xBD\"}");
}

TEST_CASE("GET and HEAD cannot carry a body", "[rest_request]") {
    auto method = GENERATE(as<std::string>{}, "GET", "HEAD", "get");
    auto spec = spec_for(method, "/v1/page/{title}", R"({"title": "Foo"})");
    spec.body = json::object();
    CHECK(build_error(spec).code == "body-on-get");
}

TEST_CASE("REST methods are checked and upper-cased", "[rest_request]") {
    auto method = GENERATE(as<std::string>{}, "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "get", "Delete");
    auto out = build_ok(spec_for(method, "/v1/page/Foo"));
    std::string upper = method;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(out.method == upper);
}

TEST_CASE("unknown REST methods are refused", "[rest_request]") {
    auto method = GENERATE(as<std::string>{}, "OPTIONS", "CONNECT", "TRACE", "", "PO ST");
    CAPTURE(method);
    CHECK(build_error(spec_for(method, "/v1/page/Foo")).code == "bad-method");
}

TEST_CASE("conditional headers pass through with lower-case names", "[rest_request]") {
    auto spec = spec_for("PUT", "/v1/page/{title}", R"({"title": "Foo"})");
    spec.headers = {{"If-None-Match", "\"abc\""}, {"If-Match", "W/\"123\""}, {"Content-Type", "text/plain"}};
    spec.body = json{{"source", "x"}};
    fw::HttpRequest out;
    out.headers = {{"api-user-agent", "test/1"}};
    REQUIRE_FALSE(fw::build_rest_request(spec, out));
    CHECK(header_value(out.headers, "if-none-match") == "\"abc\"");
    CHECK(header_value(out.headers, "if-match") == "W/\"123\"");
    CHECK(header_value(out.headers, "api-user-agent") == "test/1");
    CHECK(header_value(out.headers, "content-type") == "application/json");  // the body decides
    CHECK(out.headers.size() == 4);
}

TEST_CASE("authorization and cookie headers from a caller are refused", "[rest_request]") {
    auto name = GENERATE(as<std::string>{}, "Authorization", "authorization", "Cookie", "COOKIE");
    CAPTURE(name);
    auto spec = spec_for("GET", "/v1/page/Foo");
    spec.headers = {{"If-None-Match", "\"abc\""}, {name, "CentralAuthToken xyz"}};
    CHECK(build_error(spec).code == "bad-header");
}
