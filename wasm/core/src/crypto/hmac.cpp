// HMAC (RFC 2104) over SHA-1 and SHA-256, both with 64-byte blocks; and a constant-time comparison for MACs.
#include "fw/crypto/crypto.hpp"

namespace fw::crypto {

namespace {

template <typename Hash>
std::string hmac(Hash hash, std::string_view key, std::string_view data) {
    std::string k = key.size() > 64 ? hash(key) : std::string(key);
    k.resize(64, '\0');
    std::string inner(64, '\0'), outer(64, '\0');
    for (std::size_t i = 0; i < 64; ++i) {
        inner[i] = char(k[i] ^ 0x36);
        outer[i] = char(k[i] ^ 0x5c);
    }
    inner.append(data.data(), data.size());
    return hash(outer + hash(inner));
}

}  // namespace

std::string hmac_sha1(std::string_view key, std::string_view data) { return hmac(sha1, key, data); }
std::string hmac_sha256(std::string_view key, std::string_view data) { return hmac(sha256, key, data); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

}  // namespace fw::crypto
