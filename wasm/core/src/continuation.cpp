#include "fw/continuation.hpp"

#include <string>

#include "json_read.hpp"

namespace fw {

namespace {

Error unexpected(std::string info) {
    Error error;
    error.category = ErrorCategory::Response;
    error.code = "unexpected-response";
    error.info = std::move(info);
    return error;
}

bool ends_with(const std::string& text, const char* suffix) {
    const std::string s(suffix);
    return text.size() >= s.size() && text.compare(text.size() - s.size(), s.size(), s) == 0;
}

// Module continuation names are a 2–4 letter prefix plus continue/from/offset (accontinue, amfrom, sroffset) or
// "continue" itself; nothing else may come from the answer.
bool continuation_name(const std::string& name) {
    if (name.empty() || name.size() > 24) return false;
    for (char c : name)
        if (c < 'a' || c > 'z') return false;
    return name == "continue" || ends_with(name, "continue") || ends_with(name, "from") || ends_with(name, "offset");
}

std::string page_key(const json& page) {
    const json* id = read::member(page, "pageid");
    if (id && id->is_number_integer() && id->get<long long>() > 0) return "#" + std::to_string(id->get<long long>());
    return "T" + read::string_member(page, "title");
}

void merge_into(json& into, const json& from) {
    for (auto it = from.begin(); it != from.end(); ++it) {
        json* have = into.contains(it.key()) ? &into[it.key()] : nullptr;
        if (have && have->is_array() && it->is_array()) {
            for (const auto& item : *it) have->push_back(item);
        } else if (have && have->is_object() && it->is_object()) {
            merge_into(*have, *it);
        } else {
            into[it.key()] = *it;
        }
    }
}

}  // namespace

Expected<std::optional<json>> next_query_params(const json& original, const json& current, const json& answer) {
    if (!original.is_object()) return usage_error("bad-params", "A continued query needs an object of parameters.");
    const json* cont = read::member(answer, "continue");
    if (!cont) return std::optional<json>();
    if (!cont->is_object() || cont->empty()) return unexpected("The answer's `continue` is not an object of values.");
    json next = original;
    for (auto it = cont->begin(); it != cont->end(); ++it) {
        if (!continuation_name(it.key()))
            return unexpected("The answer's `continue` names a parameter that is not a continuation: " + it.key());
        if (it->is_string())
            next[it.key()] = *it;
        else if (it->is_number_integer())
            next[it.key()] = std::to_string(it->get<long long>());
        else
            return unexpected("The answer's `continue." + it.key() + "` is not a string or an integer.");
    }
    if (next == current) return unexpected("The answer's `continue` repeats the request it answers.");
    return std::optional<json>(std::move(next));
}

Expected<json> merge_query_pages(json& pending, const json& answer) {
    if (!pending.is_object()) pending = json{{"order", json::array()}, {"pages", json::object()}};
    const json* query = read::member(answer, "query");
    const json* pages = query ? read::member(*query, "pages") : nullptr;
    if (pages && !pages->is_array() && !pages->is_object())
        return unexpected("The answer's `query.pages` is not a list of pages.");
    if (pages) {
        for (const auto& page : *pages) {
            if (!page.is_object()) return unexpected("A page in `query.pages` is not an object.");
            const std::string key = page_key(page);
            json& slot = pending["pages"][key];
            if (slot.is_null()) {
                pending["order"].push_back(key);
                slot = page;
            } else {
                merge_into(slot, page);
            }
        }
    }
    json whole = json::array();
    if (!read::member(answer, "batchcomplete")) return whole;
    for (const auto& key : pending["order"]) whole.push_back(pending["pages"][key.get<std::string>()]);
    pending = json{{"order", json::array()}, {"pages", json::object()}};
    return whole;
}

}  // namespace fw
