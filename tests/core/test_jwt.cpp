// Special:OAuth/identify's JWT. kJwt has the claims MediaWiki sent in the reference lab (B's iss, the consumer key
// as aud, the request's nonce, exp = iat + 100), signed HS256 by Python's hmac with a test secret, so a wrong HMAC
// here cannot agree with itself. kRecorded is a JWT MediaWiki 1.39 (Extension:OAuth REL1_39) signed in the reference
// lab on 2026-12-01 for an identify request with the nonce below; the lab and its secrets are throw-away.
#include <catch2/catch.hpp>

#include "fw/crypto/crypto.hpp"
#include "fw/oauth1.hpp"

namespace {

const char* const kJwt =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4yOjgzOTIiLCJhdWQiOiI3MTc4YWRmZTVkMmMzY2MxMGU2ODY5NWI0NDFiMThkMiIsImV4cCI6MTc5Nj"
    "E1MTg4NSwiaWF0IjoxNzk2MTUxNzg1LCJzdWIiOiIzIiwidXNlcm5hbWUiOiJUZXN0ZXIiLCJlZGl0Y291bnQiOjEsImNvbmZpcm1lZF9lbWFp"
    "bCI6dHJ1ZSwiYmxvY2tlZCI6ZmFsc2UsInJlZ2lzdGVyZWQiOiIyMDI2MTIwMTE5MDIzOCIsImdyb3VwcyI6WyIqIiwidXNlciIsImF1dG9jb2"
    "5maXJtZWQiXSwiZ3JhbnRzIjp7IjAiOiJiYXNpYyIsIjIiOiJoaWdodm9sdW1lIn0sIm5vbmNlIjoiZWM4NWFlNmVlYjhhNjFiOTQwNDgzYzli"
    "ODg2OWUxNzAifQ."
    "o-dHpKhhPSBB0FdtLxsyecj9JeKprPazkvaXoIZ6kZU";

const char* const kRecorded =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4yOjgzOTIiLCJhdWQiOiJjYzI2OTIyOGJiZGQzYzA3N"
    "WI2ODBiMDBhNjM3NDY3NSIsImV4cCI6MTc5NjE2NzM1MSwiaWF0IjoxNzk2MTY3MjUxLCJzdWIiOiIzIiwidXNlcm5hbWUiOiJUZXN0ZXIiLCJ"
    "lZGl0Y291bnQiOjAsImNvbmZpcm1lZF9lbWFpbCI6dHJ1ZSwiYmxvY2tlZCI6ZmFsc2UsInJlZ2lzdGVyZWQiOiIyMDI2MTIwMTIzMTQ0NiIsI"
    "mdyb3VwcyI6WyIqIiwidXNlciIsImF1dG9jb25maXJtZWQiXSwicmlnaHRzIjpbImNyZWF0ZWFjY291bnQiLCJyZWFkIiwiZWRpdCIsImNyZWF"
    "0ZXBhZ2UiLCJjcmVhdGV0YWxrIiwid3JpdGVhcGkiLCJ2aWV3bXl3YXRjaGxpc3QiLCJlZGl0bXl3YXRjaGxpc3QiLCJ2aWV3bXlwcml2YXRla"
    "W5mbyIsImVkaXRteXByaXZhdGVpbmZvIiwiZWRpdG15b3B0aW9ucyIsImNlbnRyYWxhdXRoLW1lcmdlIiwibW92ZSIsIm1vdmUtc3VicGFnZXM"
    "iLCJtb3ZlLXJvb3R1c2VycGFnZXMiLCJtb3ZlLWNhdGVnb3J5cGFnZXMiLCJtb3ZlZmlsZSIsInVwbG9hZCIsInJldXBsb2FkIiwicmV1cGxvY"
    "WQtc2hhcmVkIiwibWlub3JlZGl0IiwiZWRpdG15dXNlcmNzcyIsImVkaXRteXVzZXJqc29uIiwiZWRpdG15dXNlcmpzIiwiZWRpdG15dXNlcmp"
    "zcmVkaXJlY3QiLCJwdXJnZSIsInNlbmRlbWFpbCIsImFwcGx5Y2hhbmdldGFncyIsImNoYW5nZXRhZ3MiLCJlZGl0Y29udGVudG1vZGVsIiwib"
    "XdvYXV0aHByb3Bvc2Vjb25zdW1lciIsIm13b2F1dGh1cGRhdGVvd25jb25zdW1lciIsIm13b2F1dGhtYW5hZ2VteWdyYW50cyIsImF1dG9jb25"
    "maXJtZWQiLCJlZGl0c2VtaXByb3RlY3RlZCJdLCJncmFudHMiOnsiMCI6ImJhc2ljIiwiMiI6ImhpZ2h2b2x1bWUiLCIzIjoiZWRpdHBhZ2UiL"
    "CI0IjoiY3JlYXRlZWRpdG1vdmVwYWdlIiwiNSI6ImVkaXRteW9wdGlvbnMifSwibm9uY2UiOiJmd3JlYzJpZGVudGlmeTE3OTYxNjcyNTEifQ."
    "2xvuGSCU9VDNNQYtT1X_OFtwo-KAEmzjY7O4IfLhPzc";

fw::oauth1::IdentifyCheck good_check() {
    fw::oauth1::IdentifyCheck c;
    c.consumer_key = "7178adfe5d2c3cc10e68695b441b18d2";
    c.consumer_secret = "f00dfeedcafe0123456789abcdef0123";
    c.issuer = "http://127.0.0.2:8392/w/index.php";
    c.nonce = "ec85ae6eeb8a61b940483c9b8869e170";
    c.now_s = 1796151786;
    return c;
}

std::string code_of(const std::string& jwt, const fw::oauth1::IdentifyCheck& check) {
    const auto r = fw::oauth1::verify_identify(jwt, check);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category == fw::ErrorCategory::OAuth);
    CHECK(r.error().info.find(check.consumer_secret) == std::string::npos);
    return r.error().code;
}

// The JWT with one character of segment `index` changed.
std::string tampered(int index) {
    std::string jwt = kJwt;
    std::size_t at = 0;
    for (int i = 0; i < index; ++i) at = jwt.find('.', at) + 1;
    jwt[at + 5] = jwt[at + 5] == 'A' ? 'B' : 'A';
    return jwt;
}

}  // namespace

TEST_CASE("identify: a good JWT gives its claims", "[jwt]") {
    const auto r = fw::oauth1::verify_identify(std::string(kJwt) + "\n", good_check());
    REQUIRE(r.ok());
    CHECK(r.value()["username"] == "Tester");
    CHECK(r.value()["sub"] == "3");
    // The issuer is compared as an origin: the wiki's canonical server or any URL on it.
    auto check = good_check();
    check.issuer = "HTTP://127.0.0.2:8392";
    CHECK(fw::oauth1::verify_identify(kJwt, check).ok());
    // Within the leeway on both sides.
    check.now_s = 1796151885 + 10;
    CHECK(fw::oauth1::verify_identify(kJwt, check).ok());
    check.now_s = 1796151785 - 10;
    CHECK(fw::oauth1::verify_identify(kJwt, check).ok());
}

TEST_CASE("identify: each failure has its name", "[jwt]") {
    auto check = good_check();
    CHECK(code_of(tampered(1), check) == "jwt-bad-signature");  // a claim changed
    CHECK(code_of(tampered(2), check) == "jwt-bad-signature");  // the signature changed
    check.consumer_secret = "another-secret";
    CHECK(code_of(kJwt, check) == "jwt-bad-signature");
    check = good_check();
    check.consumer_key = "4df921688c39ae1b77eca9f3cdbb5c82";
    CHECK(code_of(kJwt, check) == "jwt-wrong-audience");
    check = good_check();
    check.issuer = "http://127.0.0.1:8391/w/index.php";
    CHECK(code_of(kJwt, check) == "jwt-wrong-issuer");
    check = good_check();
    check.nonce = "765e822e54f4d2ac5cf93af57c4d97a9";  // an earlier request's nonce: a replayed answer
    CHECK(code_of(kJwt, check) == "jwt-nonce-mismatch");
    check = good_check();
    check.now_s = 1796151885 + 11;
    CHECK(code_of(kJwt, check) == "jwt-expired");
    check.now_s = 1796151785 - 11;
    CHECK(code_of(kJwt, check) == "jwt-not-yet-valid");
}

TEST_CASE("identify: malformed answers, other algorithms and MediaWiki's errors", "[jwt]") {
    const auto check = good_check();
    CHECK(code_of("", check) == "jwt-malformed");
    CHECK(code_of("a.b", check) == "jwt-malformed");
    CHECK(code_of("a.b.c.d", check) == "jwt-malformed");
    CHECK(code_of("!!!.e30.", check) == "jwt-malformed");
    // alg "none" (and anything but HS256) is refused before the signature is looked at.
    const std::string none =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0." + std::string(kJwt).substr(std::string(kJwt).find('.') + 1);
    CHECK(code_of(none.substr(0, none.rfind('.') + 1), check) == "jwt-bad-algorithm");
    // A payload that is not an object, correctly signed.
    const std::string header = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9";
    const std::string payload = fw::crypto::base64url_encode("[1]");
    const std::string sig =
        fw::crypto::base64url_encode(fw::crypto::hmac_sha256(check.consumer_secret, header + "." + payload));
    CHECK(code_of(header + "." + payload + "." + sig, check) == "jwt-malformed");
    // Without exp: malformed, not "valid forever".
    const std::string no_exp = fw::crypto::base64url_encode(
        R"({"iss":"http://127.0.0.2:8392","aud":"7178adfe5d2c3cc10e68695b441b18d2","nonce":"ec85ae6eeb8a61b940483c9b8869e170","iat":1796151785})");
    const std::string sig2 =
        fw::crypto::base64url_encode(fw::crypto::hmac_sha256(check.consumer_secret, header + "." + no_exp));
    CHECK(code_of(header + "." + no_exp + "." + sig2, check) == "jwt-malformed");
    CHECK(code_of(R"({"error":"mwoauthdatastore-access-token-not-found","message":"No approved grant"})", check) ==
          "mwoauthdatastore-access-token-not-found");
}

TEST_CASE("identify: a JWT MediaWiki signed in the reference lab", "[jwt]") {
    fw::oauth1::IdentifyCheck check;
    check.consumer_key = "cc269228bbdd3c075b680b00a6374675";
    check.consumer_secret = "0bde7dad89a18dbbb59d95ab60bbef3732aba9f0";
    check.issuer = "http://127.0.0.2:8392/w/index.php";
    check.nonce = "fwrec2identify1796167251";
    check.now_s = 1796167252;
    const auto r = fw::oauth1::verify_identify(kRecorded, check);
    REQUIRE(r.ok());
    CHECK(r.value()["username"] == "Tester");
    CHECK(r.value()["exp"].get<double>() - r.value()["iat"].get<double>() == 100);
    check.nonce = "fwrec2identify1796167250";
    CHECK(code_of(kRecorded, check) == "jwt-nonce-mismatch");
    check.nonce = "fwrec2identify1796167251";
    check.now_s = 1796167351 + 11;
    CHECK(code_of(kRecorded, check) == "jwt-expired");
}
