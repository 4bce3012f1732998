// The padding and big-endian output SHA-1 and SHA-256 share (FIPS 180-4 §5.1.1, §6): one 0x80 byte, zeros, the
// bit length in 64 bits; 64-byte blocks; the state words written out big-endian.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fw::crypto::detail {

template <std::size_t N, typename Block>
std::string merkle_damgard(std::string_view data, std::uint32_t (&h)[N], Block block) {
    std::string msg(data);
    const std::uint64_t bits = std::uint64_t(data.size()) * 8;
    msg.push_back(char(0x80));
    while (msg.size() % 64 != 56) msg.push_back('\0');
    for (int i = 7; i >= 0; --i) msg.push_back(char((bits >> (8 * i)) & 0xFF));
    for (std::size_t at = 0; at < msg.size(); at += 64)
        block(h, reinterpret_cast<const unsigned char*>(msg.data() + at));
    std::string out;
    for (std::uint32_t v : h)
        for (int i = 3; i >= 0; --i) out.push_back(char((v >> (8 * i)) & 0xFF));
    return out;
}

}  // namespace fw::crypto::detail
