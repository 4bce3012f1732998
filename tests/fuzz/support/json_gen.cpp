#include "json_gen.hpp"

#include <cmath>
#include <limits>

#include "check.hpp"

namespace fwfuzz {

using fw::json;

namespace {

const char* const kStrings[] = {
    "",      "+\\",   "a|b",        "|",         "\x1f",      "\xc3\xa9",   "\xe6\x97\xa5\xe6\x9c\xac", "%",
    "%2B",   "&",     "=",          "#",         "?",         "/",          "..",                       ".",
    "AC/DC", "Talk:Foo", "\r\n",    "Main Page", "token",     "{title}",    "\xff",                     "\xed\xa0\x80",
    "csrf",  "centralauthtoken",    "$blob",     "0",         "-0",         "1e999",                    " ",
    "e649d821b946fa61e9f8997086295ff86b052eb0+\\", "5c76749c30ecc02bbc5b7d8fa9b33d8a1", "\xf4\x90\x80\x80",
};

double random_double(Bytes& in, bool allow_non_finite) {
    static const double kNumbers[] = {0.0, -0.0, 1.0, 0.5, -1.5, 5.0, 1e21, 1e-7, 9007199254740992.0,
                                      9007199254740993.0, -9223372036854775808.0, 1.7976931348623157e308,
                                      std::numeric_limits<double>::denorm_min()};
    double value = in.flag() ? in.pick(kNumbers) : in.f64();
    if (!allow_non_finite && !std::isfinite(value)) value = 0.25;
    return value;
}

json scalar(Bytes& in, const JsonShape& shape) {
    switch (in.below(8)) {
        case 0: return nullptr;
        case 1: return true;
        case 2: return false;
        case 3: return static_cast<std::int64_t>(static_cast<std::int8_t>(in.u8()));
        case 4: return static_cast<std::int64_t>(in.u64());
        case 5: return in.u64();
        case 6: return random_double(in, shape.allow_non_finite);
        default: return random_string(in, shape.valid_utf8);
    }
}

json object_at(Bytes& in, const JsonShape& shape, const char* const* names, std::size_t name_count,
               std::size_t max_members, int depth) {
    json object = json::object();
    for (std::size_t n = in.below(max_members + 1); n > 0 && !in.empty(); --n) {
        std::string key = names != nullptr && in.u8() < 200 ? std::string(names[in.below(name_count)])
                                                            : random_string(in, shape.valid_utf8);
        object[key] = random_json(in, shape, depth + 1);
    }
    return object;
}

// Up to ~2000 levels of arrays/objects around one scalar: recursion in the code under test (copy, dump, compare).
json deep(Bytes& in, const JsonShape& shape) {
    const std::size_t levels = static_cast<std::size_t>(in.u8()) * 8;
    const bool objects = in.flag();
    json value = scalar(in, shape);
    for (std::size_t i = 0; i < levels; ++i) {
        json wrapper = objects ? json::object() : json::array();
        if (objects)
            wrapper["a"] = std::move(value);
        else
            wrapper.push_back(std::move(value));
        value = std::move(wrapper);
    }
    return value;
}

}  // namespace

std::string random_string(Bytes& in, bool valid_utf8) {
    std::string text = in.flag() ? std::string(in.pick(kStrings)) : in.str(64);
    return valid_utf8 ? make_valid_utf8(text) : text;
}

json random_json(Bytes& in, const JsonShape& shape, int depth) {
    const std::size_t kind = in.below(12);
    if (depth >= shape.max_depth && kind >= 8) return scalar(in, shape);
    switch (kind) {
        case 8: {
            json array = json::array();
            for (std::size_t n = in.below(6); n > 0 && !in.empty(); --n) array.push_back(random_json(in, shape, depth + 1));
            return array;
        }
        case 9: return object_at(in, shape, nullptr, 0, 5, depth);
        case 10: {
            json blob = json::object();
            blob["$blob"] = in.flag() ? json(static_cast<std::int64_t>(in.u8())) : random_json(in, shape, depth + 1);
            return blob;
        }
        case 11: return deep(in, shape);
        default: return scalar(in, shape);
    }
}

json random_object(Bytes& in, const JsonShape& shape, const char* const* names, std::size_t name_count,
                   std::size_t max_members) {
    return object_at(in, shape, names, name_count, max_members, 0);
}

}  // namespace fwfuzz
