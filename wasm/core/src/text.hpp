// Small text utilities for error messages: case-insensitive search, safe UTF-8 excerpts, HTML to plain text.
// Hand-written because <regex> and iostreams would cost more WebAssembly than the whole core.
#pragma once

#include <cstddef>
#include <string>

namespace fw::text {

char ascii_lower(char c);
std::string to_upper_ascii(std::string text);
std::string to_lower_ascii(std::string text);
bool contains_ignoring_case(const std::string& haystack, const std::string& needle);
// Whether `text` has `prefix` (lower-case ASCII) at byte `at`, ignoring case.
bool starts_with_ignoring_case(const std::string& text, std::size_t at, const char* prefix);
// At most `max_bytes` of `text`, whole UTF-8 characters only, broken bytes as '?', "..." when cut. An invalid
// string would abort JSON serialisation in the Wasm build.
std::string valid_utf8_prefix(const std::string& text, std::size_t max_bytes);
// Readable text of an HTML fragment or page: tags (and style/script contents) dropped, common entities decoded,
// whitespace collapsed.
std::string html_to_text(const std::string& html);

}  // namespace fw::text
