// Size-only replacements for the few libc number routines nlohmann-json and embind call, linked in place of musl's
// with -Wl,--wrap=<name> (see CMakeLists.txt). Wasm build only; the native build uses the real libc.
//
// musl's strtod works in long double, which on wasm32 is IEEE binary128 done in software (compiler-rt's __multf3,
// __divtf3, …), and its snprintf drags in the whole printf engine with floating-point formatting: together about a
// quarter of the module's non-core code for four call sites that only ever see plain decimal numbers or print a
// hexadecimal integer.
//
//   strtod    nlohmann's lexer, on a number token it has already validated against the JSON grammar. The digits are
//             handed to JavaScript's Number(), which rounds correctly, exactly like musl's strtod (same double for
//             every input, ±Infinity on overflow, 0 or a subnormal on underflow).
//   strtoull, strtoll
//             nlohmann's lexer, base 10, on a validated integer token; ERANGE + the clamped value on overflow, which is
//             what makes nlohmann fall back to parsing the number as a double.
//   snprintf  nlohmann: "\\u%04x" (serializer) and "<U+%.4X>" (lexer error text).
//   siprintf  embind's __getTypeName: "%p" (only for error messages about unbound types).
#include <emscripten/emscripten.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

// clang-format off
EM_JS(double, fw_decimal_to_double, (const char* text, int length), { return Number(UTF8ToString(text, length)); });
// clang-format on

namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Decimal digits after optional white space and sign. Consumes every digit, like musl, even past an overflow.
unsigned long long scan_decimal(const char* text, char** end, bool& negative, bool& overflow) {
    const char* p = text;
    while (is_space(*p)) ++p;
    negative = false;
    overflow = false;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    if (!is_digit(*p)) {
        if (end) *end = const_cast<char*>(text);
        return 0;
    }
    unsigned long long value = 0;
    for (; is_digit(*p); ++p) {
        const unsigned digit = static_cast<unsigned>(*p - '0');
        if (value > (ULLONG_MAX - digit) / 10)
            overflow = true;
        else
            value = value * 10 + digit;
    }
    if (end) *end = const_cast<char*>(p);
    return value;
}

// The printf subset the callers above use: flag '0', width, precision, length modifiers, and d i u x X p.
// Anything else (floating point, %s, %n, …) is not used by anything linked here and aborts.
int format(char* out, std::size_t size, const char* fmt, va_list ap) {
    std::size_t length = 0;
    auto put = [&](char c) {
        if (length + 1 < size) out[length] = c;
        ++length;
    };
    for (const char* f = fmt; *f; ++f) {
        if (*f != '%') {
            put(*f);
            continue;
        }
        if (*++f == '%') {
            put('%');
            continue;
        }
        const bool zero = *f == '0';
        int width = 0, precision = -1, longs = 0;
        while (is_digit(*f)) width = width * 10 + (*f++ - '0');
        if (*f == '.') {
            precision = 0;
            while (is_digit(*++f)) precision = precision * 10 + (*f - '0');
        }
        for (; *f == 'l' || *f == 'h' || *f == 'z'; ++f) longs += *f == 'l';
        const char conversion = *f;
        const bool is_signed = conversion == 'd' || conversion == 'i';
        unsigned long long value;
        if (conversion == 'p') {
            value = reinterpret_cast<std::uintptr_t>(va_arg(ap, void*));
            if (precision < 8) precision = 8;  // like musl: 0x and at least 8 digits
        } else if (conversion == 'u' || conversion == 'x' || conversion == 'X' || is_signed) {
            if (longs >= 2)
                value = va_arg(ap, unsigned long long);
            else if (is_signed)
                value = static_cast<unsigned long long>(longs ? va_arg(ap, long) : va_arg(ap, int));
            else
                value = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
        } else {
            std::abort();
        }
        const bool negative = is_signed && static_cast<long long>(value) < 0;
        if (negative) value = 0 - value;
        const unsigned base = conversion == 'u' || is_signed ? 10 : 16;
        const char* alphabet = conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        char digits[24];
        int count = 0;
        for (; value || (count == 0 && precision != 0); value /= base) digits[count++] = alphabet[value % base];
        const int zeros = precision > count ? precision - count : 0;
        const int sign = negative ? 1 : conversion == 'p' ? 2 : 0;
        const int fill = width - sign - zeros - count;
        const bool zero_fill = zero && precision < 0;
        for (int i = 0; !zero_fill && i < fill; ++i) put(' ');
        if (negative) put('-');
        if (conversion == 'p') {
            put('0');
            put('x');
        }
        for (int i = 0; zero_fill && i < fill; ++i) put('0');
        for (int i = 0; i < zeros; ++i) put('0');
        while (count) put(digits[--count]);
    }
    if (size) out[length < size ? length : size - 1] = '\0';
    return static_cast<int>(length);
}

}  // namespace

extern "C" {

double __wrap_strtod(const char* text, char** end) {
    const char* p = text;
    while (is_space(*p)) ++p;
    const char* start = p;
    if (*p == '+' || *p == '-') ++p;
    const char* integer = p;
    while (is_digit(*p)) ++p;
    bool any = p != integer;
    if (*p == '.' && (any || is_digit(p[1]))) {
        ++p;
        any = true;
        while (is_digit(*p)) ++p;
    }
    if (!any) {  // no conversion (musl would also read inf, nan and hex floats; no caller here passes them)
        if (end) *end = const_cast<char*>(text);
        return 0;
    }
    if (*p == 'e' || *p == 'E') {
        const char* q = p + 1;
        if (*q == '+' || *q == '-') ++q;
        if (is_digit(*q)) {
            while (is_digit(*q)) ++q;
            p = q;
        }
    }
    if (end) *end = const_cast<char*>(p);
    const double value = fw_decimal_to_double(start, static_cast<int>(p - start));
    if (value == HUGE_VAL || value == -HUGE_VAL) errno = ERANGE;
    return value;
}

unsigned long long __wrap_strtoull(const char* text, char** end, int /*base: always 10 here*/) {
    bool negative, overflow;
    const unsigned long long value = scan_decimal(text, end, negative, overflow);
    if (overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return negative ? 0 - value : value;
}

long long __wrap_strtoll(const char* text, char** end, int /*base: always 10 here*/) {
    bool negative, overflow;
    const unsigned long long value = scan_decimal(text, end, negative, overflow);
    const unsigned long long limit = negative ? static_cast<unsigned long long>(LLONG_MAX) + 1 : LLONG_MAX;
    if (overflow || value > limit) {
        errno = ERANGE;
        return negative ? LLONG_MIN : LLONG_MAX;
    }
    return negative ? static_cast<long long>(0 - value) : static_cast<long long>(value);
}

int __wrap_snprintf(char* out, std::size_t size, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const int length = format(out, size, fmt, ap);
    va_end(ap);
    return length;
}

int __wrap_siprintf(char* out, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const int length = format(out, SIZE_MAX, fmt, ap);
    va_end(ap);
    return length;
}

}  // extern "C"
