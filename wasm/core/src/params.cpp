#include "fw/params.hpp"

#include <cmath>
#include <cstdint>

namespace fw {

namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

// Numbers are written as JavaScript's String(n) would for the values callers actually pass: integers without a
// fraction (a JSON 5.0 is "5", not nlohmann's "5.0"), other floats in their shortest round-trip form.
bool encode_number(const json& value, std::string& out) {
    if (value.is_number_float()) {
        double number = value.get<double>();
        if (!std::isfinite(number)) return false;
        constexpr double exact_integer_limit = 9007199254740992.0;  // 2^53: every integer below is exact
        if (number == std::floor(number) && std::fabs(number) < exact_integer_limit) {
            out = std::to_string(static_cast<std::int64_t>(number));
            return true;
        }
    }
    out = value.dump();
    return true;
}

bool encode_scalar(const json& value, std::string& out) {
    if (value.is_string()) {
        out = value.get<std::string>();
        return true;
    }
    if (value.is_number()) return encode_number(value, out);
    return false;
}

// {"$blob": n} with n a non-negative int: the JS layer's stand-in for a Blob/File it keeps.
bool blob_number(const json& value, int& number) {
    if (!value.is_object() || value.size() != 1) return false;
    auto it = value.find("$blob");
    if (it == value.end() || !it->is_number_integer()) return false;
    auto n = it->get<std::int64_t>();
    if (n < 0 || n > 0x7fffffff) return false;
    number = static_cast<int>(n);
    return true;
}

Error bad_value(const std::string& name, const char* why) {
    return usage_error("bad-param-value", "Parameter \"" + name + "\": " + why);
}

// MediaWiki's multi-value syntax: '|' between values, or U+001F before and between them when a value itself
// contains '|' (otherwise the '|' would split it).
Expected<bool> encode_array(const std::string& name, const json& values, std::string& out) {
    std::vector<std::string> parts;
    bool has_pipe = false;
    for (const auto& element : values) {
        std::string part;
        if (!encode_scalar(element, part)) return bad_value(name, "array elements must be strings or numbers.");
        has_pipe = has_pipe || part.find('|') != std::string::npos;
        parts.push_back(std::move(part));
    }
    const char separator = has_pipe ? '\x1f' : '|';
    out.clear();
    if (has_pipe) out += separator;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    return true;
}

}  // namespace

std::string percent_encode(std::string_view text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0f];
        }
    }
    return out;
}

Expected<bool> encode_param(const std::string& name, const json& value, Param& out, bool allow_blob) {
    out.name = name;
    out.value.clear();
    out.blob = -1;
    if (value.is_null() || (value.is_boolean() && !value.get<bool>())) return false;
    if (value.is_boolean()) {
        out.value = "1";  // MediaWiki reads any present value as true; "1" is what PHP clients send
        return true;
    }
    if (value.is_array()) return encode_array(name, value, out.value);
    if (value.is_object()) {
        int blob = -1;
        if (!blob_number(value, blob)) return bad_value(name, "objects are not parameter values.");
        if (!allow_blob) return bad_value(name, "a Blob/File is not allowed in this request.");
        out.blob = blob;
        return true;
    }
    if (!encode_scalar(value, out.value)) return bad_value(name, "numbers must be finite.");
    return true;
}

Expected<ParamList> encode_params(const json& params, bool allow_blob) {
    if (!params.is_object()) return usage_error("bad-params", "Parameters must be an object.");
    ParamList list;
    for (const auto& item : params.items()) {
        Param param;
        auto present = encode_param(item.key(), item.value(), param, allow_blob);
        if (!present) return present.error();
        if (present.value()) list.push_back(std::move(param));
    }
    return list;
}

std::string join_query(const ParamList& params) {
    std::string out;
    for (const auto& param : params) {
        if (param.blob >= 0) continue;  // a Blob has no text form; callers route blobs to multipart first
        if (!out.empty()) out += '&';
        out += percent_encode(param.name);
        out += '=';
        out += percent_encode(param.value);
    }
    return out;
}

}  // namespace fw
