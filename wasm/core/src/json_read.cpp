#include "json_read.hpp"

#include <cmath>
#include <utility>
#include <vector>

namespace fw::read {

namespace {

constexpr std::size_t kMaxTokenLength = 256;

template <typename Allowed>
std::optional<std::string> checked(const json& value, const char* key, Allowed allowed) {
    const json* found = member(value, key);
    if (!found || !found->is_string()) return std::nullopt;
    const std::string& text = found->get_ref<const std::string&>();
    if (text.empty() || text.size() > kMaxTokenLength) return std::nullopt;
    for (char c : text)
        if (!allowed(static_cast<unsigned char>(c))) return std::nullopt;
    return text;
}

}  // namespace

const json* member(const json& value, const char* key) {
    if (!value.is_object()) return nullptr;
    auto it = value.find(key);
    return it == value.end() ? nullptr : &*it;
}

std::string string_member(const json& value, const char* key) {
    const json* found = member(value, key);
    return found && found->is_string() ? found->get<std::string>() : std::string();
}

bool truthy(const json& value) {
    switch (value.type()) {
        case json::value_t::null:
        case json::value_t::discarded: return false;
        case json::value_t::boolean: return value.get<bool>();
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float: {
            const double number = value.get<double>();
            return number != 0 && !std::isnan(number);
        }
        case json::value_t::string: return !value.get_ref<const std::string&>().empty();
        default: return true;  // objects and arrays, even empty ones
    }
}

bool deeper_than(const json& value, int max_depth) {
    std::vector<std::pair<const json*, int>> pending{{&value, 0}};
    while (!pending.empty()) {
        auto [node, depth] = pending.back();
        pending.pop_back();
        if (!node->is_structured()) continue;
        if (depth + 1 > max_depth) return true;
        for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
    }
    return false;
}

std::optional<std::string> token_member(const json& value, const char* key) {
    return checked(value, key, [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

std::optional<std::string> central_token_member(const json& value, const char* key) {
    return checked(value, key, [](unsigned char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

}  // namespace fw::read
