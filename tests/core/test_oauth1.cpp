// OAuth 1.0a signing on the RFC 5849 examples (with erratum 2550's §3.4.1.1 signature), percent-encoding edge cases,
// MediaWiki's handshake answers and errors as Extension:OAuth REL1_39 sent them in the reference lab.
#include <catch2/catch.hpp>

#include "fw/oauth1.hpp"

using fw::oauth1::percent_encode;
using fw::oauth1::SignInput;

namespace {

SignInput photos(const char* method, const char* url, const char* nonce, const char* timestamp) {
    SignInput in;
    in.method = method;
    in.url = url;
    in.credentials.consumer_key = "dpf43f3p2l4k3l03";
    in.credentials.consumer_secret = "kd94hf93k423kf44";
    in.nonce = nonce;
    in.timestamp = timestamp;
    in.send_version = false;
    return in;
}

}  // namespace

TEST_CASE("percent-encoding as RFC 5849 3.6 and MediaWiki's OAuthUtilTest", "[oauth1]") {
    CHECK(percent_encode("abcXYZ019-._~") == "abcXYZ019-._~");
    CHECK(percent_encode(" ") == "%20");
    CHECK(percent_encode("+") == "%2B");
    CHECK(percent_encode("%") == "%25");
    CHECK(percent_encode("\n\x7f") == "%0A%7F");
    CHECK(percent_encode(":/?#[]@!$&'()*,;=") == "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2C%3B%3D");
    CHECK(percent_encode("\xc3\xa9\xe2\x82\xac") == "%C3%A9%E2%82%AC");  // é€ as UTF-8 bytes, upper-case hex
    CHECK(percent_encode("") == "");
}

TEST_CASE("form parsing decodes + and %XX, keeps broken escapes and duplicates", "[oauth1]") {
    const auto pairs = fw::oauth1::parse_form("c2&a3=2+q&&x=%zz&x=%41%2b&=v");
    REQUIRE(pairs.size() == 5);
    CHECK((pairs[0].name == "c2" && pairs[0].value.empty()));
    CHECK(pairs[1].value == "2 q");
    CHECK(pairs[2].value == "%zz");
    CHECK(pairs[3].value == "A+");
    CHECK((pairs[4].name.empty() && pairs[4].value == "v"));
}

TEST_CASE("base string URI: RFC 5849 3.4.1.2", "[oauth1]") {
    CHECK(fw::oauth1::base_string_uri("http://EXAMPLE.COM:80/r%20v/X?id=123").value() == "http://example.com/r%20v/X");
    CHECK(fw::oauth1::base_string_uri("https://www.example.net:8080/?q=1").value() == "https://www.example.net:8080/");
    CHECK(fw::oauth1::base_string_uri("HTTPS://Wiki.Example:443/w/api.php#frag").value() ==
          "https://wiki.example/w/api.php");
    CHECK(fw::oauth1::base_string_uri("http://127.0.0.2:8392/w/index.php?title=x").value() ==
          "http://127.0.0.2:8392/w/index.php");
    CHECK(fw::oauth1::base_string_uri("http://[::1]:8080/a").value() == "http://[::1]:8080/a");
    CHECK(fw::oauth1::base_string_uri("http://example.com").value() == "http://example.com/");
    CHECK(fw::oauth1::base_string_uri("ftp://example.com/").error().code == "bad-url");
    CHECK(fw::oauth1::base_string_uri("/w/api.php").error().code == "bad-url");
    CHECK(fw::oauth1::base_string_uri("http://example.com:8x/").error().code == "bad-url");
}

TEST_CASE("RFC 5849 1.2: initiate, token and the photos request", "[oauth1]") {
    SignInput initiate = photos("POST", "https://photos.example.net/initiate", "wIjqoS", "137131200");
    initiate.callback = "http://printer.example.com/ready";
    const auto a = fw::oauth1::sign(initiate);
    REQUIRE(a.ok());
    CHECK(a.value().base_string ==
          "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%"
          "252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DwIjqoS%26oauth_signature_method%3DHMAC-"
          "SHA1%26oauth_timestamp%3D137131200");
    CHECK(a.value().signature == "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
    CHECK(
        a.value().authorization ==
        "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"wIjqoS\", oauth_signature_method=\"HMAC-SHA1\", "
        "oauth_timestamp=\"137131200\", oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", "
        "oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\"");

    SignInput token = photos("POST", "https://photos.example.net/token", "walatlh", "137131201");
    token.credentials.token = "hh5s93j4hdidpola";
    token.credentials.token_secret = "hdhd0244k9j7ao03";
    token.verifier = "hfdp7dh39dks9884";
    CHECK(fw::oauth1::sign(token).value().signature == "gKgrFCywp7rO0OXSjdot/IHF7IU=");

    SignInput get =
        photos("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", "chapoH", "137131202");
    get.credentials.token = "nnch734d00sl2jdk";
    get.credentials.token_secret = "pfkkdhi9sl3r4s00";
    const auto c = fw::oauth1::sign(get);
    CHECK(c.value().base_string ==
          "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%"
          "26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%"
          "3Dnnch734d00sl2jdk%26size%3Doriginal");
    CHECK(c.value().signature == "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

TEST_CASE("RFC 5849 3.4.1.1: query, form body and header parameters (erratum 2550 signature)", "[oauth1]") {
    SignInput in;
    in.method = "post";  // upper-cased in the base string
    in.url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
    in.content_type = "application/x-www-form-urlencoded; charset=UTF-8";
    in.body = "c2&a3=2+q";
    in.credentials = {"9djdj82h48djs9d2", "j49sk3j29djd", "kkk9d7dh3k39sjv7", "dh893hdasih9"};
    in.nonce = "7d8f3e4a";
    in.timestamp = "137131201";
    in.send_version = false;
    const auto s = fw::oauth1::sign(in);
    REQUIRE(s.ok());
    CHECK(s.value().base_string ==
          "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%"
          "3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-"
          "SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7");
    CHECK(s.value().signature == "r6/TJjbCOr97/+UU0NsvSne7s5g=");

    // The same body as multipart (or JSON) is not signed: MediaWiki reads only form bodies.
    in.content_type = "multipart/form-data; boundary=x";
    CHECK(fw::oauth1::sign(in).value().signature != "r6/TJjbCOr97/+UU0NsvSne7s5g=");
}

TEST_CASE("OAuth Core 1.0 A.5 with oauth_version, and Extension:OAuth's own HMAC vectors", "[oauth1]") {
    SignInput in = photos("GET", "http://photos.example.net/photos?size=original&file=vacation.jpg", "kllo9940pd9333jh",
                          "1191242096");
    in.credentials.token = "nnch734d00sl2jdk";
    in.credentials.token_secret = "pfkkdhi9sl3r4s00";
    in.send_version = true;
    CHECK(fw::oauth1::sign(in).value().signature == "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    CHECK(fw::oauth1::hmac_sha1_signature("bs", "cs", "") == "egQqG5AJep5sJ7anhXju1unge2I=");
    CHECK(fw::oauth1::hmac_sha1_signature("bs", "cs", "ts") == "VZVjXceV7JgPq/dOTnNmEfO0Fv8=");
}

TEST_CASE("sorting is by encoded name then encoded value, in byte order", "[oauth1]") {
    SignInput in = photos("GET", "http://h.example/p?y=a&x=25&y=B&x=200&z=%20", "n", "1");
    const std::string base = fw::oauth1::sign(in).value().base_string;
    CHECK(base.find("x%3D200%26x%3D25%26y%3DB%26y%3Da%26z%3D%2520") != std::string::npos);
}

TEST_CASE("signing refuses what MediaWiki would not verify", "[oauth1]") {
    SignInput in = photos("GET", "http://h.example/w/api.php?action=query", "abc123", "1796151783");
    in.url = "http://h.example/w/api.php?action=query&oauth_nonce=x";
    CHECK(fw::oauth1::sign(in).error().code == "oauth1-duplicate-param");
    in.url = "http://h.example/w/index.php?title=Special:OAuth/initiate&oauth_callback=oob";
    in.callback = "oob";
    CHECK(fw::oauth1::sign(in).error().code == "oauth1-duplicate-param");
    in.url = "http://h.example/w/api.php";
    in.callback.reset();
    in.content_type = "application/x-www-form-urlencoded";
    in.body = "action=edit&oauth_signature=forged";
    CHECK(fw::oauth1::sign(in).error().code == "oauth1-duplicate-param");
    in.body.clear();
    in.nonce = "has space";
    CHECK(fw::oauth1::sign(in).error().code == "oauth1-bad-input");
    in.nonce = "abc123";
    in.timestamp = "-5";
    CHECK(fw::oauth1::sign(in).error().code == "oauth1-bad-input");
    in.timestamp = "1796151783";
    in.credentials.consumer_secret.clear();
    const auto e = fw::oauth1::sign(in);
    CHECK(e.error().code == "bad-auth");
    in.credentials.consumer_secret = "s3cr3t-consumer";
    in.credentials.token = "tok";
    const auto f = fw::oauth1::sign(in);
    CHECK(f.error().code == "bad-auth");
    CHECK(f.error().info.find("s3cr3t") == std::string::npos);
}

TEST_CASE("handshake URLs on index.php, as Extension:OAuth documents them", "[oauth1]") {
    const std::string index = "http://127.0.0.2:8392/w/index.php";
    CHECK(fw::oauth1::special_url(index, "initiate").value() ==
          "http://127.0.0.2:8392/w/index.php?title=Special%3AOAuth%2Finitiate&format=json");
    CHECK(fw::oauth1::authorize_url(index, "30c8f3e3bd5e4ccf0cccb357240203d9", "7178adfe5d2c3cc10e68695b441b18d2")
              .value() ==
          "http://127.0.0.2:8392/w/index.php?title=Special%3AOAuth%2Fauthorize&oauth_token="
          "30c8f3e3bd5e4ccf0cccb357240203d9&oauth_consumer_key=7178adfe5d2c3cc10e68695b441b18d2");
    CHECK(fw::oauth1::special_url("http://127.0.0.2:8392/w/index.php?title=Main_Page", "token").error().code ==
          "bad-url");
    CHECK(fw::oauth1::special_url("/w/index.php", "token").error().code == "bad-url");
}

TEST_CASE("token answers: raw, 1.39 JSON and MediaWiki's recorded errors", "[oauth1]") {
    // initiate with the default raw format.
    auto raw = fw::oauth1::parse_token_answer(200,
                                              "oauth_token=30c8f3e3bd5e4ccf0cccb357240203d9&oauth_token_secret="
                                              "16d3b8491bdfc3fdf2287fa617cfb196&oauth_callback_confirmed=true");
    REQUIRE(raw.ok());
    CHECK(raw.value().token == "30c8f3e3bd5e4ccf0cccb357240203d9");
    CHECK(raw.value().secret == "16d3b8491bdfc3fdf2287fa617cfb196");
    // format=json: REL1_39 names them key/secret only.
    auto j = fw::oauth1::parse_token_answer(
        200,
        R"({"key":"53427889d55a16aa1a3ff39880f74a39","secret":"10fc0ea41b407b84eff64eb30ad26d83","oauth_callback_confirmed":"true"})");
    REQUIRE(j.ok());
    CHECK(j.value().token == "53427889d55a16aa1a3ff39880f74a39");
    CHECK(j.value().secret == "10fc0ea41b407b84eff64eb30ad26d83");
    // A callback outside the prefix, a request token used twice, an owner-only consumer: HTTP 200 with
    // {"error": <message key>, "message": …}.
    auto cb = fw::oauth1::parse_token_answer(
        200,
        R"({"error":"mwoauth-callback-not-oob-or-prefix","message":"oauth_callback must be set, and must be set to \"oob\" (case-sensitive), or the configured callback must be a prefix of the supplied callback."})");
    CHECK(cb.error().category == fw::ErrorCategory::OAuth);
    CHECK(cb.error().code == "mwoauth-callback-not-oob-or-prefix");
    auto used = fw::oauth1::parse_token_answer(
        200,
        "{\"error\":\"mwoauthdatastore-request-token-already-used\",\"message\":\"This request has already been "
        "completed and cannot be resubmitted.\\nGo back to the application and try to connect your account again, or "
        "contact the application author.\\n\\n\\u003Cspan class=\\\"plainlinks mw-mwoautherror-details\\\"\\u003EOAuth "
        "token already used, \\u003Ca class=\\\"external\\\" "
        "href=\\\"https://www.mediawiki.org/wiki/Help:OAuth/Errors#E009\\\"\\u003EE009\\u003C/a\\u003E\\u003C/"
        "span\\u003E\"}");
    CHECK(used.error().code == "mwoauthdatastore-request-token-already-used");
    CHECK(used.error().info.find("<span") == std::string::npos);
    CHECK(used.error().info.find("E009") != std::string::npos);
    auto owner = fw::oauth1::parse_token_answer(
        200,
        R"({"error":"mwoauthserver-consumer-owner-only","message":"\"oalab OAuth1 owner-only\" is an owner-only Connected App."})");
    CHECK(owner.error().code == "mwoauthserver-consumer-owner-only");
    // A bad signature in the raw format: the error as text.
    auto text =
        fw::oauth1::parse_token_answer(200, "Error: An error occurred in the OAuth protocol: Invalid signature");
    CHECK(text.error().code == "oauth-error");
    CHECK(text.error().info == "An error occurred in the OAuth protocol: Invalid signature");
    // Anything else: an HTML page, an empty body, a token with a character MediaWiki never mints.
    CHECK(fw::oauth1::parse_token_answer(200, "<!DOCTYPE html><title>OAuth - Wiki B</title>").error().code ==
          "oauth-bad-answer");
    CHECK(fw::oauth1::parse_token_answer(500, "").error().status == 500);
    CHECK(fw::oauth1::parse_token_answer(200, "oauth_token=a\"b&oauth_token_secret=c").error().code ==
          "oauth-bad-answer");
    CHECK(fw::oauth1::parse_token_answer(200, R"({"key":7,"secret":[]})").error().code == "oauth-bad-answer");
}

TEST_CASE("the callback's verifier, once its oauth_token is ours", "[oauth1]") {
    const std::string query =
        "?flow=probe&oauth_verifier=62c226fa1d3d2ffd307fc996f8d484f8&oauth_token="
        "30c8f3e3bd5e4ccf0cccb357240203d9";
    CHECK(fw::oauth1::verifier_from_callback(query, "30c8f3e3bd5e4ccf0cccb357240203d9").value() ==
          "62c226fa1d3d2ffd307fc996f8d484f8");
    CHECK(fw::oauth1::verifier_from_callback(query, "another").error().code == "oauth-token-mismatch");
    CHECK(fw::oauth1::verifier_from_callback("oauth_token=x", "x").error().code == "oauth-no-verifier");
}

// Recorded in the reference lab (Extension:OAuth REL1_39, wiki B) on 2026-12-01: requests signed by its
// oalab-client.php with these inputs, which MediaWiki accepted (a request token; an edit with "result":"Success").
// The lab and its secrets are throw-away.
TEST_CASE("lab-recorded exchanges: the signatures MediaWiki accepted", "[oauth1]") {
    SignInput initiate;
    initiate.url = "http://127.0.0.2:8392/w/index.php?title=Special:OAuth/initiate&format=json";
    initiate.credentials.consumer_key = "cc269228bbdd3c075b680b00a6374675";
    initiate.credentials.consumer_secret = "0bde7dad89a18dbbb59d95ab60bbef3732aba9f0";
    initiate.nonce = "fwrec1initiate1796167240";
    initiate.timestamp = "1796167240";
    initiate.callback = "oob";
    const auto a = fw::oauth1::sign(initiate);
    REQUIRE(a.ok());
    CHECK(a.value().signature == "4aYsOH2FhbMakrAzlI4TZurc5Ho=");
    // The same request with the title as special_url() writes it (%3A, %2F) signs the same: the query is decoded.
    initiate.url = fw::oauth1::special_url("http://127.0.0.2:8392/w/index.php", "initiate").value();
    CHECK(fw::oauth1::sign(initiate).value().signature == "4aYsOH2FhbMakrAzlI4TZurc5Ho=");

    SignInput edit;
    edit.method = "POST";
    edit.url = "http://127.0.0.2:8392/w/api.php";
    edit.content_type = "application/x-www-form-urlencoded";
    edit.body =
        "action=edit&format=json&title=FW%20OAuth1%20record%201796167260&text=Recorded%20with%20OAuth%201.0a%20%28%"
        "7E%20%2B%20%C3%A9%29.&summary=fw%20record&token=0a9a7a30df5013e3fae4a418e626e39b6b0f5654%2B%5C";
    edit.credentials = {"cc269228bbdd3c075b680b00a6374675", "0bde7dad89a18dbbb59d95ab60bbef3732aba9f0",
                        "5436de055efe311304bdd10b23638b21", "b2f894321401bf2a4901a703ee22f83d385891a6"};
    edit.nonce = "fwrec4edit1796167260";
    edit.timestamp = "1796167260";
    CHECK(fw::oauth1::sign(edit).value().signature == "gnFEIBDMF+5km15tDXc4P2Bju8g=");
}
