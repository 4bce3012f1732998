// Hash, MAC and encoding primitives for OAuth 1.0a signatures (HMAC-SHA1, RFC 5849 §3.4.2) and the identify
// JWT (HS256, RFC 7515). Byte strings are std::string. Not linked into the gadget script: only the OAuth 1 module
// (wasm/bindings/oauth1_bindings.cpp) and the native tests use them.
#pragma once

#include <string>
#include <string_view>

namespace fw::crypto {

std::string sha1(std::string_view data);    // 20 raw bytes (FIPS 180-4)
std::string sha256(std::string_view data);  // 32 raw bytes (FIPS 180-4)
// RFC 2104 HMAC; raw bytes out.
std::string hmac_sha1(std::string_view key, std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// RFC 4648 §4 (padded) and §5 (base64url, unpadded).
std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);
// base64url with or without padding; false on any character outside the alphabet or an impossible length.
bool base64url_decode(std::string_view text, std::string& out);

std::string to_hex(std::string_view bytes);

// Equal in time that depends only on the lengths, not on where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace fw::crypto
