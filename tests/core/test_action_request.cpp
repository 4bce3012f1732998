// Building api.php requests: what goes in the URL, what goes in the body, and that a token never reaches a URL.
#include <catch2/catch.hpp>

#include <cstdio>
#include <iterator>
#include <random>

#include "fw/action_request.hpp"
#include "scripted.hpp"

using fw::json;

namespace {

const std::string kApi = "https://b.example/w/api.php";
const std::string kBullets = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";

fw::ActionRequestSpec spec_for(const std::string& method, const char* params_json) {
    fw::ActionRequestSpec spec;
    spec.api_url = kApi;
    spec.method = method;
    auto params = fw::encode_params(json::parse(params_json), true);
    REQUIRE(params.ok());
    spec.params = params.value();
    return spec;
}

// The header's value, or "<absent>" (fw::find_header, as the core reads it).
std::string header_value(const fw::Headers& headers, const std::string& name) {
    return fw::find_header(headers, name).value_or("<absent>");
}

fw::HttpRequest build_ok(const fw::ActionRequestSpec& spec) {
    fw::HttpRequest out;
    auto error = fw::build_action_request(spec, out);
    if (error) FAIL("unexpected error " << error->code << ": " << error->info);
    return out;
}

fw::Error build_error(const fw::ActionRequestSpec& spec) {
    fw::HttpRequest out;
    auto error = fw::build_action_request(spec, out);
    REQUIRE(error.has_value());
    CHECK(error->category == fw::ErrorCategory::Usage);
    CHECK(out.url.empty());  // nothing was built
    return *error;
}

}  // namespace

TEST_CASE("GET puts every parameter in the URL, the fixed ones first", "[action_request]") {
    auto spec = spec_for("GET", R"({"action": "query", "format": "json", "meta": "userinfo",
                                    "uiprop": ["groups", "rights"]})");
    spec.origin = "https://a.example";
    auto out = build_ok(spec);
    CHECK(out.method == "GET");
    CHECK(out.url ==
          kApi + "?action=query&format=json&origin=https%3A%2F%2Fa.example&meta=userinfo&uiprop=groups%7Crights");
    CHECK(out.display_url == out.url);
    CHECK(out.body_kind == fw::BodyKind::None);
    CHECK(out.body.empty());
    CHECK(header_value(out.headers, "content-type") == "<absent>");
}

TEST_CASE("action, format, origin, crossorigin, centralauthtoken lead the URL in that order", "[action_request]") {
    auto method = GENERATE(as<std::string>{}, "GET", "POST");
    // Keys chosen so that alphabetical order would put them elsewhere.
    auto spec = spec_for(method, R"({"aaa": "1", "action": "query", "centralauthtoken": "cat", "format": "json",
                                    "zzz": "2"})");
    spec.origin = "*";
    spec.crossorigin = true;  // not a valid combination on the server; here it only shows the order
    auto out = build_ok(spec);
    const std::string fixed = "action=query&format=json&origin=%2A&crossorigin=1&centralauthtoken=cat";
    if (method == "GET") {
        CHECK(out.url == kApi + "?" + fixed + "&aaa=1&zzz=2");
    } else {
        CHECK(out.url == kApi + "?" + fixed);
        CHECK(out.body == "aaa=1&zzz=2");
    }
}

TEST_CASE("POST keeps the fixed parameters in the URL, the rest and the token in the body", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "edit", "format": "json", "text": "Hello world", "title": "Foo"})");
    spec.origin = "https://a.example";
    spec.centralauthtoken = "0123abcd";
    spec.token = "abc+\\";
    auto out = build_ok(spec);
    CHECK(out.method == "POST");
    CHECK(out.url == kApi + "?action=edit&format=json&origin=https%3A%2F%2Fa.example&centralauthtoken=0123abcd");
    CHECK(out.display_url ==
          kApi + "?action=edit&format=json&origin=https%3A%2F%2Fa.example&centralauthtoken=" + kBullets);
    CHECK(out.body_kind == fw::BodyKind::FormUrlEncoded);
    CHECK(out.body == "text=Hello%20world&title=Foo&token=abc%2B%5C");
    CHECK(header_value(out.headers, "content-type") == "application/x-www-form-urlencoded");
    CHECK(out.fields.empty());
}

TEST_CASE("POST with nothing but fixed parameters has an empty form body", "[action_request]") {
    auto out = build_ok(spec_for("POST", R"({"action": "purge", "format": "json"})"));
    CHECK(out.url == kApi + "?action=purge&format=json");
    CHECK(out.body_kind == fw::BodyKind::FormUrlEncoded);
    CHECK(out.body == "");
}

TEST_CASE("a token among the params is moved last in the body", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "edit", "title": "Foo", "token": "t+\\", "watchlist": "nochange"})");
    auto out = build_ok(spec);
    CHECK(out.url == kApi + "?action=edit");
    CHECK(out.body == "title=Foo&watchlist=nochange&token=t%2B%5C");
}

TEST_CASE("the spec's token replaces a token among the params", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "edit", "token": "stale+\\"})");
    spec.token = "fresh+\\";
    auto out = build_ok(spec);
    CHECK(out.body == "token=fresh%2B%5C");
}

TEST_CASE("token_name names the token parameter", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "login", "lgname": "Admin@lab", "lgpassword": "p w"})");
    spec.token_name = "lgtoken";
    spec.token = "lt+\\";
    auto out = build_ok(spec);
    CHECK(out.url == kApi + "?action=login");
    CHECK(out.body == "lgname=Admin%40lab&lgpassword=p%20w&lgtoken=lt%2B%5C");
}

TEST_CASE("spec fields win over params of the same name, which are not repeated", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "edit", "origin": "https://stale.example", "title": "Foo"})");
    spec.origin = "https://a.example";
    auto out = build_ok(spec);
    CHECK(out.url == kApi + "?action=edit&origin=https%3A%2F%2Fa.example");
    CHECK(out.body == "title=Foo");
}

TEST_CASE("origin and centralauthtoken given as params still go in the URL of a POST", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "edit", "centralauthtoken": "cat", "origin": "*", "title": "Foo"})");
    auto out = build_ok(spec);
    CHECK(out.url == kApi + "?action=edit&origin=%2A&centralauthtoken=cat");
    CHECK(out.body == "title=Foo");
}

TEST_CASE("the parameters are joined to a query the api_url already has", "[action_request]") {
    struct Case {
        std::string api_url;
        std::string url;
    };
    auto c = GENERATE(values<Case>({
        {"https://b.example/w/api.php?foo=bar", "https://b.example/w/api.php?foo=bar&action=query&meta=tokens"},
        {"https://b.example/w/api.php?", "https://b.example/w/api.php?action=query&meta=tokens"},
        {"https://b.example/w/api.php?foo=bar&", "https://b.example/w/api.php?foo=bar&action=query&meta=tokens"},
        {"https://b.example/w/api.php#section", "https://b.example/w/api.php?action=query&meta=tokens"},
    }));
    auto spec = spec_for("GET", R"({"action": "query", "meta": "tokens"})");
    spec.api_url = c.api_url;
    CHECK(build_ok(spec).url == c.url);
}

TEST_CASE("a GET without parameters leaves the api_url as it is", "[action_request]") {
    auto spec = spec_for("GET", "{}");
    spec.api_url = "https://b.example/w/api.php?foo=bar";
    CHECK(build_ok(spec).url == "https://b.example/w/api.php?foo=bar");
}

TEST_CASE("a token with GET is refused", "[action_request]") {
    SECTION("as the spec's token") {
        auto spec = spec_for("GET", R"({"action": "query"})");
        spec.token = "abc+\\";
        CHECK(build_error(spec).code == "token-in-url");
    }
    SECTION("among the params") {
        CHECK(build_error(spec_for("GET", R"({"action": "options", "token": "abc+\\"})")).code == "token-in-url");
    }
    SECTION("under its token_name") {
        auto spec = spec_for("GET", R"({"action": "login", "lgtoken": "abc+\\"})");
        spec.token_name = "lgtoken";
        CHECK(build_error(spec).code == "token-in-url");
    }
}

TEST_CASE("a Blob with GET is refused", "[action_request]") {
    CHECK(build_error(spec_for("GET", R"({"action": "upload", "file": {"$blob": 0}})")).code == "blob-in-get");
}

TEST_CASE("only GET and POST are Action API methods", "[action_request]") {
    auto method = GENERATE(as<std::string>{}, "PUT", "DELETE", "HEAD", "", "G ET");
    CAPTURE(method);
    CHECK(build_error(spec_for(method, R"({"action": "query"})")).code == "bad-method");
}

TEST_CASE("method names are case-insensitive", "[action_request]") {
    CHECK(build_ok(spec_for("post", R"({"action": "purge"})")).method == "POST");
    CHECK(build_ok(spec_for("Get", R"({"action": "query"})")).method == "GET");
}

TEST_CASE("a field longer than the threshold switches the body to multipart", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "edit", "format": "json", "text": "xxxxxxxxxxx", "title": "Foo"})");
    spec.multipart_threshold = 10;
    spec.token = "abc+\\";
    fw::HttpRequest out;
    out.headers = {{"api-user-agent", "test/1"}, {"content-type", "stale"}};
    REQUIRE_FALSE(fw::build_action_request(spec, out));
    CHECK(out.body_kind == fw::BodyKind::Multipart);
    CHECK(out.body.empty());
    CHECK(out.url == kApi + "?action=edit&format=json");
    REQUIRE(out.fields.size() == 3);
    CHECK(out.fields[0].name == "text");
    CHECK(out.fields[0].value == "xxxxxxxxxxx");
    CHECK(out.fields[1].name == "title");
    CHECK(out.fields[2].name == "token");
    CHECK(out.fields[2].value == "abc+\\");  // multipart carries raw text
    CHECK(out.fields[2].blob == -1);
    // fetch sets multipart/form-data with its own boundary; ours would break it.
    CHECK(header_value(out.headers, "content-type") == "<absent>");
    CHECK(header_value(out.headers, "api-user-agent") == "test/1");
}

TEST_CASE("the multipart threshold counts URL-encoded length", "[action_request]") {
    struct Case {
        const char* params;
        fw::BodyKind kind;
    };
    auto c = GENERATE(values<Case>({
        {R"({"text": "xxxxxxxxxx"})", fw::BodyKind::FormUrlEncoded},  // exactly 10
        {R"({"text": "xxxxxxxxxxx"})", fw::BodyKind::Multipart},      // 11
        {R"({"text": "\u00e9\u00e9"})", fw::BodyKind::Multipart},     // 4 bytes, 12 encoded
        {R"({"text": "a b c"})", fw::BodyKind::FormUrlEncoded},       // 9 encoded
        {R"({"text": "a b c d"})", fw::BodyKind::Multipart},          // 13 encoded
    }));
    CAPTURE(c.params);
    auto spec = spec_for("POST", c.params);
    spec.multipart_threshold = 10;
    CHECK(build_ok(spec).body_kind == c.kind);
}

TEST_CASE("the default threshold is 8000 encoded characters", "[action_request]") {
    auto spec = spec_for("POST", "{}");
    spec.params = {{"text", std::string(8000, 'x'), -1}};
    CHECK(build_ok(spec).body_kind == fw::BodyKind::FormUrlEncoded);
    spec.params = {{"text", std::string(8001, 'x'), -1}};
    CHECK(build_ok(spec).body_kind == fw::BodyKind::Multipart);
}

TEST_CASE("a Blob makes the body multipart, fields in order, token last", "[action_request]") {
    auto spec = spec_for("POST", R"({"action": "upload", "comment": "c", "file": {"$blob": 1}, "filename": "A.png",
                                    "format": "json", "token": "t+\\"})");
    spec.origin = "https://a.example";
    auto out = build_ok(spec);
    CHECK(out.url == kApi + "?action=upload&format=json&origin=https%3A%2F%2Fa.example");
    CHECK(out.body_kind == fw::BodyKind::Multipart);
    REQUIRE(out.fields.size() == 4);
    CHECK(out.fields[0].name == "comment");
    CHECK(out.fields[0].value == "c");
    CHECK(out.fields[1].name == "file");
    CHECK(out.fields[1].blob == 1);
    CHECK(out.fields[2].name == "filename");
    CHECK(out.fields[2].value == "A.png");
    CHECK(out.fields[3].name == "token");
    CHECK(out.fields[3].value == "t+\\");
    CHECK(header_value(out.headers, "content-type") == "<absent>");
}

TEST_CASE("a form POST keeps the caller's headers and sets one content-type", "[action_request]") {
    fw::HttpRequest out;
    out.headers = {{"api-user-agent", "test/1"}, {"content-type", "text/plain"}};
    REQUIRE_FALSE(fw::build_action_request(spec_for("POST", R"({"action": "purge", "titles": "Foo"})"), out));
    REQUIRE(out.headers.size() == 2);
    CHECK(header_value(out.headers, "api-user-agent") == "test/1");
    CHECK(header_value(out.headers, "content-type") == "application/x-www-form-urlencoded");
}

TEST_CASE("mask_secrets hides the values of token parameters only", "[action_request]") {
    struct Case {
        std::string in;
        std::string out;
    };
    auto c = GENERATE(values<Case>({
        {"https://b.example/w/api.php?action=query&centralauthtoken=abc&meta=tokens",
         "https://b.example/w/api.php?action=query&centralauthtoken=" + kBullets + "&meta=tokens"},
        {"https://b.example/w/api.php?token=abc%2B%5C", "https://b.example/w/api.php?token=" + kBullets},
        {"lgname=Admin&lgtoken=abc%2B%5C&lgpassword=x", "lgname=Admin&lgtoken=" + kBullets + "&lgpassword=x"},
        {"title=Foo&text=Hi&token=abc%2B%5C", "title=Foo&text=Hi&token=" + kBullets},
        {"https://b.example/?wltoken=secret#frag", "https://b.example/?wltoken=" + kBullets + "#frag"},
        {"https://b.example/w/api.php", "https://b.example/w/api.php"},
        {"https://b.example/w/api.php?meta=tokens&type=csrf", "https://b.example/w/api.php?meta=tokens&type=csrf"},
        {"https://b.example/w/api.php?tokens=1&tokenx=2", "https://b.example/w/api.php?tokens=1&tokenx=2"},
        {"title=Foo&token=", "title=Foo&token="},  // nothing to hide; shows the token is missing
        {"token&x=1", "token&x=1"},
        {"", ""},
    }));
    CAPTURE(c.in);
    CHECK(fw::mask_secrets(c.in) == c.out);
}

TEST_CASE("origin_of gives scheme://host[:port] like URL.origin", "[action_request]") {
    struct Case {
        const char* url;
        const char* origin;
    };
    auto c = GENERATE(values<Case>({
        {"https://en.wikipedia.org/w/api.php", "https://en.wikipedia.org"},
        {"HTTPS://En.Wikipedia.ORG/w/api.php", "https://en.wikipedia.org"},
        {"http://127.0.0.1:8082/w/api.php", "http://127.0.0.1:8082"},
        {"http://127.0.0.1:8082", "http://127.0.0.1:8082"},
        {"http://example.org:8080?x=1", "http://example.org:8080"},
        {"https://example.org#top", "https://example.org"},
        {"https://example.org:443/w/api.php", "https://example.org"},
        {"http://example.org:80/", "http://example.org"},
        {"https://example.org:80/", "https://example.org:80"},
        {"https://user:pw@example.org/w/", "https://example.org"},
        {"http://[::1]:8080/w/api.php", "http://[::1]:8080"},
        {"http://[::1]/w/api.php", "http://[::1]"},
        {"//example.org/w/api.php", ""},
        {"/w/api.php", ""},
        {"example.org/w/api.php", ""},
        {"ftp://example.org/", ""},
        {"https:///w/api.php", ""},
        {"http://example.org:8o/", ""},
        {"", ""},
    }));
    CAPTURE(c.url);
    CHECK(fw::origin_of(c.url) == c.origin);
}

// Property: over many random parameter sets, a token never reaches a URL. GET is refused; POST puts it last in the
// body. Every encoding of it is caught by decoding the URL first.
TEST_CASE("a token never appears in a URL", "[action_request][property]") {
    std::mt19937 random(20261124);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const char* names[] = {"action", "format", "origin", "title", "text", "summary", "list", "prop", "uselang"};
    const char* pieces[] = {"a", "Foo", " ", "+", "\\", "|", "%", "&", "=", "\xc3\xa9", "\x1f", "?", "#", "0"};
    auto random_text = [&]() {
        std::string text;
        for (std::size_t i = pick(6); i > 0; --i) text += pieces[pick(std::size(pieces))];
        return text;
    };

    int refused_gets = 0, form_posts = 0, multipart_posts = 0;
    for (int round = 0; round < 500; ++round) {
        json params = json::object();
        for (std::size_t i = pick(7); i > 0; --i) {
            const char* name = names[pick(std::size(names))];
            if (pick(4) == 0) {
                params[name] = json::array({random_text(), random_text()});
            } else {
                params[name] = random_text();
            }
        }
        char hex[17];
        std::snprintf(hex, sizeof hex, "%08x%08x", static_cast<unsigned>(random()), static_cast<unsigned>(random()));
        const std::string token = std::string(hex) + "+\\";
        const bool in_params = pick(2) == 0;
        const std::string token_name = pick(3) == 0 ? "lgtoken" : "token";
        if (in_params) params[token_name] = token;

        fw::ActionRequestSpec spec;
        spec.api_url = pick(2) == 0 ? kApi : kApi + "?x=1";
        spec.method = pick(2) == 0 ? "GET" : "POST";
        spec.origin = pick(2) == 0 ? "https://a.example" : "";
        spec.centralauthtoken = pick(2) == 0 ? "cat" : "";
        spec.token_name = token_name;
        spec.multipart_threshold = pick(2) == 0 ? 8000 : 4;
        if (!in_params) spec.token = token;
        auto encoded = fw::encode_params(params, false);
        REQUIRE(encoded.ok());
        spec.params = encoded.value();
        CAPTURE(round, params.dump(), spec.method, token_name, in_params);

        fw::HttpRequest out;
        auto error = fw::build_action_request(spec, out);
        if (spec.method == "GET") {
            REQUIRE(error);
            CHECK(error->code == "token-in-url");
            CHECK(out.url.empty());
            ++refused_gets;
            continue;
        }
        REQUIRE_FALSE(error);
        CHECK(out.url.find(hex) == std::string::npos);
        CHECK(fwtest::percent_decode(out.url).find(hex) == std::string::npos);
        CHECK(out.display_url.find(hex) == std::string::npos);
        if (out.body_kind == fw::BodyKind::Multipart) {
            ++multipart_posts;
            REQUIRE_FALSE(out.fields.empty());
            CHECK(out.fields.back().name == token_name);
            CHECK(out.fields.back().value == token);
        } else {
            ++form_posts;
            const std::string last = token_name + "=" + std::string(hex) + "%2B%5C";
            REQUIRE(out.body.size() >= last.size());
            CHECK(out.body.compare(out.body.size() - last.size(), last.size(), last) == 0);
            CHECK(fwtest::param(out.body, token_name) == token);
        }
    }
    // The random sets must have reached every branch for the property to mean anything.
    CHECK(refused_gets > 50);
    CHECK(form_posts > 50);
    CHECK(multipart_posts > 50);
}
