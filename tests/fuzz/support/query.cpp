#include "query.hpp"

namespace fwfuzz {

bool is_unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;  // lower-case hex is not what the encoder writes
}

}  // namespace

std::optional<std::string> strict_decode(const std::string& encoded) {
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (is_unreserved(c)) {
            out += c;
            continue;
        }
        if (c != '%' || i + 2 >= encoded.size()) return std::nullopt;
        const int high = hex_value(encoded[i + 1]);
        const int low = hex_value(encoded[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        const char decoded = static_cast<char>(high * 16 + low);
        if (is_unreserved(decoded)) return std::nullopt;  // the encoder never escapes an unreserved byte
        out += decoded;
        i += 2;
    }
    return out;
}

std::string expected_encoding(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        if (is_unreserved(c)) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

std::optional<Pairs> split_query(const std::string& query) {
    Pairs pairs;
    if (query.empty()) return pairs;
    std::size_t pos = 0;
    while (true) {
        const std::size_t amp = query.find('&', pos);
        const std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        const std::size_t eq = pair.find('=');
        if (eq == std::string::npos) return std::nullopt;
        auto name = strict_decode(pair.substr(0, eq));
        auto value = strict_decode(pair.substr(eq + 1));
        if (!name || !value) return std::nullopt;
        pairs.emplace_back(std::move(*name), std::move(*value));
        if (amp == std::string::npos) break;
        pos = amp + 1;
    }
    return pairs;
}

std::string query_of(const std::string& url) {
    const std::size_t q = url.find('?');
    if (q == std::string::npos) return "";
    const std::size_t hash = url.find('#', q);
    return url.substr(q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
}

}  // namespace fwfuzz
