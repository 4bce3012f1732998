#include "fw/options_plan.hpp"

#include <string>

namespace fw {

namespace {

constexpr char kUnitSeparator = '\x1f';

bool has(const std::string& text, char c) { return text.find(c) != std::string::npos; }

}  // namespace

Expected<std::vector<json>> options_requests(const json& options) {
    if (!options.is_object()) return usage_error("bad-params", "saveOptions needs an object of {name: value}.");
    std::vector<json> requests;
    json bundle = json::array();
    for (auto it = options.begin(); it != options.end(); ++it) {
        const std::string& name = it.key();
        const bool reset = it->is_null();
        std::string value;
        if (it->is_string())
            value = it->get<std::string>();
        else if (it->is_boolean())
            value = it->get<bool>() ? "true" : "false";  // String(value), as mw.Api does
        else if (it->is_number())
            value = it->dump();
        else if (!reset)
            return usage_error("bad-param-value",
                               "The value of option " + name + " is not a string, number or boolean.");
        if (name.empty()) return usage_error("bad-params", "An option name is empty.");
        const bool alone = has(name, '=') || has(name, kUnitSeparator) || has(value, kUnitSeparator);
        if (alone) {
            json single{{"action", "options"}, {"formatversion", "2"}, {"optionname", name}};
            if (!reset) single["optionvalue"] = value;
            requests.push_back(std::move(single));
        } else {
            bundle.push_back(reset ? name : name + "=" + value);
        }
    }
    if (!bundle.empty()) requests.push_back(json{{"action", "options"}, {"formatversion", "2"}, {"change", bundle}});
    return requests;
}

}  // namespace fw
