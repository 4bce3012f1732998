#include "check.hpp"

#include <cstdio>
#include <cstdlib>

namespace fwfuzz {

void violation(const char* harness, const std::string& what) {
    std::fprintf(stderr, "\n==%s== INVARIANT VIOLATED: %s\n", harness, what.c_str());
    std::fflush(stderr);
    std::abort();
}

bool tracing() {
    static const bool enabled = std::getenv("FW_FUZZ_TRACE") != nullptr;
    return enabled;
}

void trace(const std::string& line) {
    if (tracing()) std::fprintf(stderr, "%s\n", line.c_str());
}

namespace {

// Length of the well-formed sequence at `i`, 0 when broken.
std::size_t sequence_length(const std::string& s, std::size_t i) {
    const auto at = [&s](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    const unsigned c = at(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

bool is_valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequence_length(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string make_valid_utf8(const std::string& bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = sequence_length(bytes, i);
        if (n == 0) {
            out += '?';
            ++i;
        } else {
            out.append(bytes, i, n);
            i += n;
        }
    }
    return out;
}

bool json_is_valid_utf8(const fw::json& value) {
    if (value.is_string()) return is_valid_utf8(value.get_ref<const std::string&>());
    if (value.is_array()) {
        for (const auto& element : value)
            if (!json_is_valid_utf8(element)) return false;
    }
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            if (!is_valid_utf8(it.key()) || !json_is_valid_utf8(it.value())) return false;
    }
    return true;
}

bool has_cr_or_lf(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

std::string without_cr_lf(std::string text) {
    for (char& c : text)
        if (c == '\r' || c == '\n') c = ' ';
    return text;
}

std::string to_lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.compare(0, prefix.size(), prefix) == 0; }

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace fwfuzz
