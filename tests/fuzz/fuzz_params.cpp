// fuzz_params: fw::encode_params / encode_param / join_query / percent_encode (wasm/core/include/fw/params.hpp).
// Input: JSON text (the params object, as the JS layer hands it over), or, when it is not JSON, bytes decoded into
// any JSON value, including strings that are not UTF-8 and NaN/infinite numbers a native caller can pass.
// Invariants: never crashes; a value is accepted exactly when params.hpp says it is; every accepted value is
// encoded as documented (strings as-is, numbers in round-trip form, arrays '|'- or U+001F-joined, blobs only when
// allowed); join_query is strict percent-encoding that decodes back to the names and values.
#define FW_FUZZ_HARNESS "fuzz_params"

#include <cmath>
#include <cstdlib>
#include <string>

#include "fw/params.hpp"
#include "support/bytes.hpp"
#include "support/check.hpp"
#include "support/json_gen.hpp"
#include "support/query.hpp"

using fw::json;
using namespace fwfuzz;

namespace {

bool is_finite_number(const json& v) { return !v.is_number_float() || std::isfinite(v.get<double>()); }
bool is_scalar(const json& v) { return v.is_string() || (v.is_number() && is_finite_number(v)); }

bool is_blob(const json& v, int& number) {
    if (!v.is_object() || v.size() != 1 || !v.contains("$blob")) return false;
    const json& n = v["$blob"];
    if (!n.is_number_integer()) return false;
    const auto value = n.get<std::int64_t>();
    if (n.is_number_unsigned() && n.get<std::uint64_t>() > 0x7fffffffu) return false;
    if (value < 0 || value > 0x7fffffff) return false;
    number = static_cast<int>(value);
    return true;
}

// The text a scalar must become, checked by round trip rather than by re-implementing the formatting.
void check_scalar(const json& v, const std::string& text) {
    if (v.is_string()) {
        FW_FUZZ_CHECK(text == v.get<std::string>(), "a string parameter must be sent unchanged");
    } else if (v.is_number_unsigned()) {
        FW_FUZZ_CHECK(text == std::to_string(v.get<std::uint64_t>()), "unsigned integer written as " + text);
    } else if (v.is_number_integer()) {
        FW_FUZZ_CHECK(text == std::to_string(v.get<std::int64_t>()), "integer written as " + text);
    } else {
        const double d = v.get<double>();
        char* end = nullptr;
        const double back = std::strtod(text.c_str(), &end);
        FW_FUZZ_CHECK(end == text.c_str() + text.size() && !text.empty(), "number written as non-number " + text);
        FW_FUZZ_CHECK(back == d, "number " + v.dump() + " does not round-trip through " + text);
        if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            FW_FUZZ_CHECK(text.find_first_of(".eE") == std::string::npos, "integral number written as " + text);
    }
}

void check_array(const json& values, const std::string& text) {
    bool has_pipe = false;
    for (const auto& e : values) has_pipe = has_pipe || (e.is_string() && contains(e.get<std::string>(), "|"));
    std::vector<std::string> parts;
    std::string body = text;
    const char separator = has_pipe ? '\x1f' : '|';
    if (has_pipe) {
        FW_FUZZ_CHECK(!body.empty() && body[0] == '\x1f', "a multi-value with '|' must start with U+001F");
        body.erase(0, 1);
    }
    if (!values.empty()) {
        std::size_t pos = 0;
        while (true) {
            const std::size_t next = body.find(separator, pos);
            parts.push_back(body.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
            if (next == std::string::npos) break;
            pos = next + 1;
        }
    }
    // A value containing the separator itself (U+001F inside a U+001F list) cannot be split back: skip those.
    bool ambiguous = false;
    for (const auto& e : values) ambiguous = ambiguous || (e.is_string() && contains(e.get<std::string>(), std::string(1, separator)));
    if (ambiguous) return;
    FW_FUZZ_CHECK(parts.size() == values.size(), "multi-value has " + std::to_string(parts.size()) + " parts for " +
                                                     std::to_string(values.size()) + " values");
    for (std::size_t i = 0; i < parts.size(); ++i) check_scalar(values[i], parts[i]);
}

void check_join(const fw::ParamList& list) {
    const std::string query = fw::join_query(list);
    FW_FUZZ_CHECK(!has_cr_or_lf(query), "CR/LF in a query string");
    auto pairs = split_query(query);
    FW_FUZZ_CHECK(pairs.has_value(), "join_query wrote something that is not strict percent-encoding: " + query);
    std::size_t k = 0;
    for (const auto& p : list) {
        if (p.blob >= 0) continue;
        FW_FUZZ_CHECK(k < pairs->size(), "join_query lost a parameter");
        FW_FUZZ_CHECK((*pairs)[k].first == p.name && (*pairs)[k].second == p.value,
                      "join_query pair does not decode to its parameter");
        ++k;
    }
    FW_FUZZ_CHECK(k == pairs->size(), "join_query wrote extra pairs");
    for (const auto& p : list) {
        FW_FUZZ_CHECK(fw::percent_encode(p.name) == expected_encoding(p.name), "percent_encode differs from RFC 3986 unreserved");
        FW_FUZZ_CHECK(fw::percent_encode(p.value) == expected_encoding(p.value), "percent_encode differs from RFC 3986 unreserved");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    json params = json::parse(data, data + size, nullptr, false);
    bool allow_blob = (size & 1) != 0;
    if (params.is_discarded()) {
        Bytes in(data, size);
        allow_blob = in.flag();
        JsonShape shape;
        shape.valid_utf8 = in.flag();
        shape.allow_non_finite = true;
        static const char* const kNames[] = {"action", "format", "titles", "prop", "token", "list", "text", "$blob", ""};
        params = in.u8() < 230 ? random_object(in, shape, kNames, std::size(kNames), 8) : random_json(in, shape);
    }

    const auto encoded = fw::encode_params(params, allow_blob);
    if (!params.is_object()) {
        FW_FUZZ_CHECK(!encoded && encoded.error().code == "bad-params", "non-object params must be bad-params");
        return 0;
    }

    // The oracle: which members are valid, which are dropped.
    bool all_valid = true;
    std::size_t present = 0;
    for (const auto& item : params.items()) {
        const json& v = item.value();
        int blob = -1;
        bool valid = v.is_null() || v.is_boolean() || is_scalar(v);
        if (v.is_array()) {
            valid = true;
            for (const auto& e : v) valid = valid && is_scalar(e);
        }
        if (v.is_object()) valid = allow_blob && is_blob(v, blob);
        all_valid = all_valid && valid;
        if (!v.is_null() && !(v.is_boolean() && !v.get<bool>())) ++present;
    }
    FW_FUZZ_CHECK(encoded.ok() == all_valid, encoded.ok() ? "an invalid parameter value was accepted"
                                                          : "a valid parameter was refused: " + encoded.error().info);
    if (!encoded) {
        FW_FUZZ_CHECK(encoded.error().code == "bad-param-value", "unexpected error code " + encoded.error().code);
        return 0;
    }

    const fw::ParamList& list = encoded.value();
    FW_FUZZ_CHECK(list.size() == present, "false/null must be dropped and everything else kept");
    std::size_t k = 0;
    for (const auto& item : params.items()) {
        const json& v = item.value();
        if (v.is_null() || (v.is_boolean() && !v.get<bool>())) continue;
        const fw::Param& p = list[k++];
        FW_FUZZ_CHECK(p.name == item.key(), "parameters must keep the object's key order");
        int blob = -1;
        if (v.is_object()) {
            is_blob(v, blob);
            FW_FUZZ_CHECK(p.blob == blob, "blob placeholder number changed");
            continue;
        }
        FW_FUZZ_CHECK(p.blob == -1, "a non-blob value became a blob");
        if (v.is_boolean())
            FW_FUZZ_CHECK(p.value == "1", "true must be sent as 1");
        else if (v.is_array())
            check_array(v, p.value);
        else
            check_scalar(v, p.value);
    }
    check_join(list);
    return 0;
}
