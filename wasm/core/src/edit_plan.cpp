#include "fw/edit_plan.hpp"

#include <utility>

#include "json_read.hpp"

namespace fw {

namespace {

Error api_error(const char* code, std::string info, const json& answer) {
    Error error;
    error.category = ErrorCategory::Api;
    error.code = code;
    error.info = std::move(info);
    error.result = answer;
    return error;
}

}  // namespace

json edit_read_params(const std::string& title) {
    return json{{"action", "query"}, {"prop", "revisions"},  {"rvprop", json::array({"content", "timestamp", "ids"})},
                {"titles", title},   {"formatversion", "2"}, {"curtimestamp", true},
                {"rvslots", "main"}};
}

Expected<EditBase> edit_base(const json& answer) {
    const json* query = read::member(answer, "query");
    const json* pages = query ? read::member(*query, "pages") : nullptr;
    if (!pages || !pages->is_array()) return api_error("unknown", "The answer has no pages.", answer);
    if (pages->empty() || !(*pages)[0].is_object() || read::member((*pages)[0], "invalid"))
        return api_error("invalidtitle", "The title is not valid.", answer);
    const json& page = (*pages)[0];
    if (read::truthy(read::member(page, "missing") ? *read::member(page, "missing") : json()))
        return api_error("nocreate-missing", "The page does not exist.", answer);
    const json* revisions = read::member(page, "revisions");
    if (!revisions || !revisions->is_array() || revisions->empty() || !(*revisions)[0].is_object())
        return api_error("unknown", "The page has no revision in the answer.", answer);
    const json& revision = (*revisions)[0];
    EditBase base;
    base.timestamp = read::string_member(revision, "timestamp");
    // rvslots=main puts the content under slots.main; without it (older wikis) it is on the revision.
    const json* slots = read::member(revision, "slots");
    const json* main = slots ? read::member(*slots, "main") : nullptr;
    const json* content = main ? read::member(*main, "content") : read::member(revision, "content");
    base.start_timestamp = read::string_member(answer, "curtimestamp");
    const json* revid = read::member(revision, "revid");
    if (revid && revid->is_number_integer() && revid->get<long long>() > 0) base.revid = revid->get<long long>();
    if (!content || !content->is_string() || base.timestamp.empty() || base.start_timestamp.empty())
        return api_error("unknown", "The revision's content or timestamps are missing from the answer.", answer);
    base.content = content->get<std::string>();
    return base;
}

Expected<json> edit_write_params(const std::string& title, const EditBase& base, const json& transformed,
                                 bool assert_user) {
    json params{{"action", "edit"},
                {"title", title},
                {"formatversion", "2"},
                {"basetimestamp", base.timestamp},
                {"starttimestamp", base.start_timestamp},
                {"nocreate", true}};
    if (base.revid > 0) params["baserevid"] = std::to_string(base.revid);
    if (assert_user) params["assert"] = "user";
    if (transformed.is_string()) {
        params["text"] = transformed;
    } else if (transformed.is_number() || transformed.is_boolean()) {
        params["text"] = transformed.dump();  // String(value), as mw.Api does
    } else if (transformed.is_object()) {
        for (auto it = transformed.begin(); it != transformed.end(); ++it) params[it.key()] = *it;
    } else {
        return usage_error("bad-params", "The edit transform gave neither text nor an object of edit parameters.");
    }
    return params;
}

Expected<json> edit_outcome(const json& answer) {
    const json* edit = read::member(answer, "edit");
    if (!edit || !edit->is_object()) {
        Error error;
        error.category = ErrorCategory::Response;
        error.code = "unexpected-response";
        error.info = "The edit answer has no `edit` result.";
        error.result = answer;
        error.performed = Performed::Maybe;
        return error;
    }
    if (read::string_member(*edit, "result") != "Success")
        return api_error("edit-failure",
                         "The wiki did not save the edit (result: " + read::string_member(*edit, "result") + ").",
                         answer);
    return *edit;
}

}  // namespace fw
