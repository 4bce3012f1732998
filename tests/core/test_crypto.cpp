// SHA-1, SHA-256 and HMAC on the published vectors (FIPS 180-4 examples, RFC 2202, RFC 4231), base64 on RFC 4648 §10.
#include <catch2/catch.hpp>

#include "fw/crypto/crypto.hpp"

using fw::crypto::to_hex;

namespace {
const char* const k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
}

TEST_CASE("SHA-1 on the FIPS 180 examples", "[crypto]") {
    CHECK(to_hex(fw::crypto::sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(to_hex(fw::crypto::sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(to_hex(fw::crypto::sha1(k448)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    CHECK(to_hex(fw::crypto::sha1(std::string(1000000, 'a'))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    // 55 and 56 bytes: the length no longer fits the first block.
    CHECK(to_hex(fw::crypto::sha1(std::string(55, 'a'))) == "c1c8bbdc22796e28c0e15163d20899b65621d65a");
    CHECK(to_hex(fw::crypto::sha1(std::string(56, 'a'))) == "c2db330f6083854c99d4b5bfb6e8f29f201be699");
}

TEST_CASE("SHA-256 on the FIPS 180 examples", "[crypto]") {
    CHECK(to_hex(fw::crypto::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(to_hex(fw::crypto::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(fw::crypto::sha256(k448)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(to_hex(fw::crypto::sha256(std::string(1000000, 'a'))) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("HMAC-SHA1 on RFC 2202", "[crypto]") {
    CHECK(to_hex(fw::crypto::hmac_sha1(std::string(20, '\x0b'), "Hi There")) ==
          "b617318655057264e28bc0b6fb378c8ef146be00");
    CHECK(to_hex(fw::crypto::hmac_sha1("Jefe", "what do ya want for nothing?")) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(to_hex(fw::crypto::hmac_sha1(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
          "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    // A key longer than the block is hashed first.
    CHECK(to_hex(fw::crypto::hmac_sha1(std::string(80, '\xaa'),
                                       "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("HMAC-SHA256 on RFC 4231", "[crypto]") {
    CHECK(to_hex(fw::crypto::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(to_hex(fw::crypto::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(to_hex(fw::crypto::hmac_sha256(std::string(131, '\xaa'),
                                         "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("base64 and base64url on RFC 4648 section 10", "[crypto]") {
    const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char* padded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; ++i) {
        CHECK(fw::crypto::base64_encode(plain[i]) == padded[i]);
        std::string back;
        REQUIRE(fw::crypto::base64url_decode(padded[i], back));
        CHECK(back == plain[i]);
    }
    CHECK(fw::crypto::base64url_encode("\xfb\xff") == "-_8");
    CHECK(fw::crypto::base64_encode("\xfb\xff") == "+/8=");
    std::string out;
    CHECK_FALSE(fw::crypto::base64url_decode("+/8", out));    // not the url alphabet
    CHECK_FALSE(fw::crypto::base64url_decode("Zm9vY", out));  // 4n+1 characters cannot be
}

TEST_CASE("constant_time_equal compares whole strings", "[crypto]") {
    CHECK(fw::crypto::constant_time_equal("abc", "abc"));
    CHECK_FALSE(fw::crypto::constant_time_equal("abc", "abd"));
    CHECK_FALSE(fw::crypto::constant_time_equal("abc", "ab"));
    CHECK(fw::crypto::constant_time_equal("", ""));
}
