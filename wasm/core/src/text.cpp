#include "text.hpp"

#include <cctype>
#include <string>

namespace fw::text {

namespace {

// Length of the well-formed UTF-8 sequence at `i` (RFC 3629, as strict as nlohmann's serialiser), 0 if broken.
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
    auto byte = [&text](std::size_t k) -> unsigned {
        return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u;
    };
    const unsigned lead = byte(i);
    if (lead < 0x80) return 1;
    unsigned second_low = 0x80;
    unsigned second_high = 0xBF;
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) second_low = 0xA0;   // overlong
        if (lead == 0xED) second_high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) second_low = 0x90;   // overlong
        if (lead == 0xF4) second_high = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (byte(i + 1) < second_low || byte(i + 1) > second_high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return length;
}

const char* decode_entity(const std::string& text, std::size_t at, std::size_t& length) {
    static const struct {
        const char* entity;
        const char* character;
    } entities[] = {{"&lt;", "<"},   {"&gt;", ">"},  {"&amp;", "&"},  {"&quot;", "\""},
                    {"&#039;", "'"}, {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
    for (const auto& e : entities) {
        if (starts_with_ignoring_case(text, at, e.entity)) {
            length = std::char_traits<char>::length(e.entity);
            return e.character;
        }
    }
    return nullptr;
}

}  // namespace

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_ignoring_case(const std::string& haystack, const std::string& needle) {
    if (needle.size() > haystack.size()) return false;
    for (std::size_t start = 0; start + needle.size() <= haystack.size(); ++start) {
        std::size_t i = 0;
        while (i < needle.size() && ascii_lower(haystack[start + i]) == ascii_lower(needle[i])) ++i;
        if (i == needle.size()) return true;
    }
    return false;
}

bool starts_with_ignoring_case(const std::string& text, std::size_t at, const char* prefix) {
    for (std::size_t i = 0; prefix[i] != '\0'; ++i) {
        if (at + i >= text.size() || ascii_lower(text[at + i]) != prefix[i]) return false;
    }
    return true;
}

// Copies at most `max_bytes` of `text`, whole characters only, broken bytes as '?': a Text body's start may be cut
// mid-character, and an invalid string would abort JSON serialisation in the Wasm build.
std::string valid_utf8_prefix(const std::string& text, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence_length(text, i);
        if (out.size() + (length == 0 ? 1 : length) > max_bytes) {
            out += "...";
            break;
        }
        if (length == 0) {
            out += '?';
            i += 1;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

// Readable text of an HTML fragment or page: tags (and style/script contents) dropped, common entities decoded,
// whitespace collapsed. Plain text passes through unchanged apart from whitespace.
std::string html_to_text(const std::string& html) {
    std::string out;
    bool pending_space = false;
    auto emit = [&](const char* piece, std::size_t length) {
        if (pending_space && !out.empty()) out += ' ';
        pending_space = false;
        out.append(piece, length);
    };
    for (std::size_t i = 0; i < html.size();) {
        const char c = html[i];
        const bool tag_start = c == '<' && i + 1 < html.size() &&
                               (html[i + 1] == '/' || html[i + 1] == '!' || html[i + 1] == '?' ||
                                (ascii_lower(html[i + 1]) >= 'a' && ascii_lower(html[i + 1]) <= 'z'));
        if (tag_start) {
            const char* closing = starts_with_ignoring_case(html, i, "<style")    ? "</style"
                                  : starts_with_ignoring_case(html, i, "<script") ? "</script"
                                                                                  : nullptr;
            std::size_t end = i;
            if (closing != nullptr) {
                while (end < html.size() && !starts_with_ignoring_case(html, end, closing)) ++end;
            }
            end = html.find('>', end);
            i = end == std::string::npos ? html.size() : end + 1;
            pending_space = true;  // block tags separate words ("<h1>502</h1>nginx")
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            pending_space = true;
            ++i;
            continue;
        }
        std::size_t entity_length = 0;
        if (c == '&') {
            if (const char* decoded = decode_entity(html, i, entity_length)) {
                if (*decoded == ' ') {
                    pending_space = true;
                } else {
                    emit(decoded, 1);
                }
                i += entity_length;
                continue;
            }
        }
        emit(&html[i], 1);
        ++i;
    }
    return out;
}

std::string to_upper_ascii(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string to_lower_ascii(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace fw::text
