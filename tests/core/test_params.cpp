// Action API parameter encoding: caller JSON values → the exact strings MediaWiki reads.
#include <catch2/catch.hpp>

#include "fw/params.hpp"

using fw::json;

namespace {

struct EncodeCase {
    const char* value_json;
    bool present;
    const char* encoded;
};

struct ErrorCase {
    const char* value_json;
    bool allow_blob;
};

}  // namespace

TEST_CASE("percent_encode escapes everything but the unreserved set", "[params]") {
    auto c = GENERATE(values<std::pair<std::string, std::string>>({
        {"+\\", "%2B%5C"},  // the anonymous/csrf token suffix: a bare '+' would become a space (badtoken)
        {"Hello world", "Hello%20world"},
        {"AZaz09-_.~", "AZaz09-_.~"},
        {"a&b=c", "a%26b%3Dc"},
        {"/?#%", "%2F%3F%23%25"},
        {"|:@!*'()", "%7C%3A%40%21%2A%27%28%29"},
        {"\x1f", "%1F"},
        {"\xc3\xa9", "%C3%A9"},         // é
        {"\xe6\x97\xa5", "%E6%97%A5"},  // 日
        {"\n\t", "%0A%09"},
        {"", ""},
    }));
    CAPTURE(c.first);
    CHECK(fw::percent_encode(c.first) == c.second);
}

TEST_CASE("encode_param turns each value kind into MediaWiki's text form", "[params]") {
    auto c = GENERATE(values<EncodeCase>({
        {R"("Foo bar")", true, "Foo bar"},
        {R"("")", true, ""},
        {"5", true, "5"},
        {"-3", true, "-3"},
        {"0", true, "0"},
        {"18446744073709551615", true, "18446744073709551615"},
        {"1.5", true, "1.5"},
        {"0.25", true, "0.25"},
        {"5.0", true, "5"},
        {"-2.0", true, "-2"},
        {"true", true, "1"},
        {"false", false, ""},
        {"null", false, ""},
        {R"(["groups","rights"])", true, "groups|rights"},
        {R"([1,2.5,"c"])", true, "1|2.5|c"},
        {R"(["a|b","c"])", true,
         "\x1f"
         "a|b\x1f"
         "c"},  // U+001F form: '|' inside a value
        {R"(["only"])", true, "only"},
        {"[]", true, ""},
    }));
    CAPTURE(c.value_json);
    fw::Param param;
    auto result = fw::encode_param("name", json::parse(c.value_json), param, false);
    REQUIRE(result.ok());
    CHECK(result.value() == c.present);
    if (c.present) {
        CHECK(param.name == "name");
        CHECK(param.value == c.encoded);
        CHECK(param.blob == -1);
    }
}

TEST_CASE("encode_param accepts a Blob placeholder only when allowed", "[params]") {
    fw::Param param;
    auto allowed = fw::encode_param("file", json::parse(R"({"$blob": 3})"), param, true);
    REQUIRE(allowed.ok());
    CHECK(allowed.value());
    CHECK(param.name == "file");
    CHECK(param.blob == 3);
    CHECK(param.value.empty());

    auto refused = fw::encode_param("file", json::parse(R"({"$blob": 3})"), param, false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().category == fw::ErrorCategory::Usage);
    CHECK(refused.error().code == "bad-param-value");
    CHECK(refused.error().info.find("\"file\"") != std::string::npos);
}

TEST_CASE("encode_param refuses values MediaWiki cannot read", "[params]") {
    auto c = GENERATE(values<ErrorCase>({
        {R"({"a": 1})", false},
        {R"({"a": 1})", true},
        {R"([{"a": 1}])", false},
        {"[[1, 2]]", false},
        {"[true]", false},
        {"[null]", false},
        {R"([{"$blob": 1}])", true},  // a Blob cannot be one value of a list
        {R"({"$blob": -1})", true},
        {R"({"$blob": "1"})", true},
        {R"({"$blob": 1.5})", true},
        {R"({"$blob": 1, "x": 2})", true},
    }));
    CAPTURE(c.value_json, c.allow_blob);
    fw::Param param;
    auto result = fw::encode_param("p", json::parse(c.value_json), param, c.allow_blob);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().category == fw::ErrorCategory::Usage);
    CHECK(result.error().code == "bad-param-value");
}

TEST_CASE("encode_param refuses non-finite numbers", "[params]") {
    fw::Param param;
    auto result = fw::encode_param("p", json(std::numeric_limits<double>::infinity()), param, false);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "bad-param-value");
}

TEST_CASE("encode_params keeps key order and drops false and null", "[params]") {
    auto result = fw::encode_params(json::parse(R"({"action": "query", "bot": false, "continue": null,
        "list": ["allpages", "search"], "redirects": true, "srlimit": 5})"),
                                    false);
    REQUIRE(result.ok());
    const auto& list = result.value();
    REQUIRE(list.size() == 4);
    CHECK(list[0].name == "action");
    CHECK(list[0].value == "query");
    CHECK(list[1].name == "list");
    CHECK(list[1].value == "allpages|search");
    CHECK(list[2].name == "redirects");
    CHECK(list[2].value == "1");
    CHECK(list[3].name == "srlimit");
    CHECK(list[3].value == "5");
}

TEST_CASE("encode_params passes the Blob permission on", "[params]") {
    const auto params = json::parse(R"({"action": "upload", "file": {"$blob": 0}})");
    auto allowed = fw::encode_params(params, true);
    REQUIRE(allowed.ok());
    REQUIRE(allowed.value().size() == 2);
    CHECK(allowed.value()[1].blob == 0);
    auto refused = fw::encode_params(params, false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "bad-param-value");
}

TEST_CASE("encode_params refuses anything but an object", "[params]") {
    auto text = GENERATE(as<std::string>{}, "[]", R"("action=query")", "null", "5");
    CAPTURE(text);
    auto result = fw::encode_params(json::parse(text), false);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().category == fw::ErrorCategory::Usage);
    CHECK(result.error().code == "bad-params");
}

TEST_CASE("encode_params reports the first bad member", "[params]") {
    auto result = fw::encode_params(json::parse(R"({"fine": "x", "nested": {"a": 1}})"), false);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "bad-param-value");
    CHECK(result.error().info.find("\"nested\"") != std::string::npos);
}

TEST_CASE("join_query encodes names and values and skips Blob fields", "[params]") {
    fw::ParamList params = {
        {"action", "edit", -1},
        {"a b", "x&y=z", -1},
        {"file", "", 2},
        {"token", "abc+\\", -1},
    };
    CHECK(fw::join_query(params) == "action=edit&a%20b=x%26y%3Dz&token=abc%2B%5C");
    CHECK(fw::join_query({}) == "");
    CHECK(fw::join_query({{"empty", "", -1}}) == "empty=");
}
