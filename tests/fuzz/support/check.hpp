// Invariant checks: a violated invariant aborts with a message naming it, so libFuzzer records a crash with the
// reproducer, the same way it does for a sanitizer report.
#pragma once

#include <string>

#include "fw/types.hpp"

namespace fwfuzz {

[[noreturn]] void violation(const char* harness, const std::string& what);

#define FW_FUZZ_CHECK(condition, what)                                     \
    do {                                                                   \
        if (!(condition)) ::fwfuzz::violation(FW_FUZZ_HARNESS, (what));    \
    } while (0)

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). Written independently of the
// core's text.cpp: it is the oracle for what the core emits.
bool is_valid_utf8(const std::string& text);
// Broken bytes replaced by '?': the only kind of text a browser hands the module (JS strings → UTF-8).
std::string make_valid_utf8(const std::string& bytes);
// Every string and key of `value` is valid UTF-8 (what json::dump needs in the Wasm build, where it would abort).
bool json_is_valid_utf8(const fw::json& value);

// FW_FUZZ_TRACE=1 in the environment: harnesses describe what they do on stderr (to read a reproducer).
bool tracing();
void trace(const std::string& line);

bool has_cr_or_lf(const std::string& text);
std::string without_cr_lf(std::string text);
std::string to_lower(std::string text);
bool starts_with(const std::string& text, const std::string& prefix);
bool contains(const std::string& haystack, const std::string& needle);

}  // namespace fwfuzz
