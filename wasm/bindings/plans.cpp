#include "plans.hpp"

#include "fw/continuation.hpp"
#include "fw/edit_plan.hpp"
#include "fw/options_plan.hpp"
#include "fw/upload_plan.hpp"
#include "json_read.hpp"
#include "protocol.hpp"

namespace fwb {

namespace {

using fw::json;

// Answers were bounded on arrival (maxJsonDepth); this bounds what a caller hands back in.
constexpr int kMaxInputDepth = 64;

json ok(json value) { return json{{"ok", std::move(value)}}; }
json err(const fw::Error& error) { return json{{"error", error_to_json(error)}}; }

fw::ErrorCategory category_from(const std::string& name) {
    static const fw::ErrorCategory all[] = {fw::ErrorCategory::Usage,       fw::ErrorCategory::Api,
                                            fw::ErrorCategory::Rest,        fw::ErrorCategory::Http,
                                            fw::ErrorCategory::Response,    fw::ErrorCategory::Network,
                                            fw::ErrorCategory::Cors,        fw::ErrorCategory::LoginSuppressed,
                                            fw::ErrorCategory::CentralAuth, fw::ErrorCategory::Timeout,
                                            fw::ErrorCategory::Abort};
    for (auto category : all)
        if (name == fw::to_string(category)) return category;
    return fw::ErrorCategory::Network;
}

fw::Error error_from(const json& j) {
    fw::Error error;
    error.category = category_from(fw::read::string_member(j, "category"));
    error.code = fw::read::string_member(j, "code");
    error.info = fw::read::string_member(j, "info");
    if (const json* result = fw::read::member(j, "result")) error.result = *result;
    error.performed = fw::read::string_member(j, "performed") == "maybe" ? fw::Performed::Maybe : fw::Performed::No;
    return error;
}

json step_to_json(const fw::ChunkedUpload& upload, const fw::UploadStep& step) {
    json j{{"plan", fw::to_json(upload)}};
    switch (step.kind) {
        case fw::UploadStep::Kind::Request:
            j["request"] = json{{"params", step.params}, {"waitMs", step.wait_ms}};
            if (step.has_chunk) j["request"]["chunk"] = json::array({step.chunk_start, step.chunk_end});
            break;
        case fw::UploadStep::Kind::Done: j["done"] = step.result; break;
        case fw::UploadStep::Kind::Fail: j["fail"] = error_to_json(step.error); break;
    }
    return j;
}

json upload(const json& in) {
    auto plan = fw::chunked_upload_from_json(fw::read::member(in, "plan") ? *fw::read::member(in, "plan") : json());
    if (!plan) return err(plan.error());
    fw::ChunkedUpload& state = plan.value();
    if (const json* answer = fw::read::member(in, "answer"))
        return ok(step_to_json(state, fw::upload_answer(state, *answer)));
    if (const json* failure = fw::read::member(in, "failure"))
        return ok(step_to_json(state, fw::upload_failure(state, error_from(*failure))));
    return ok(step_to_json(state, fw::upload_start(state)));
}

json dispatch(const std::string& kind, const json& in) {
    static const json null_json;
    auto field = [&](const char* key) -> const json& {
        const json* v = fw::read::member(in, key);
        return v ? *v : null_json;
    };
    if (kind == "continue") {
        auto next = fw::next_query_params(field("original"), field("current"), field("answer"));
        if (!next) return err(next.error());
        return ok(next.value() ? *next.value() : json());
    }
    if (kind == "mergePages") {
        json pending = field("pending");
        auto whole = fw::merge_query_pages(pending, field("answer"));
        if (!whole) return err(whole.error());
        return ok(json{{"pending", std::move(pending)}, {"pages", std::move(whole.value())}});
    }
    if (kind == "editRead") return ok(fw::edit_read_params(fw::read::string_member(in, "title")));
    if (kind == "editBase") {
        auto base = fw::edit_base(field("answer"));
        if (!base) return err(base.error());
        return ok(json{{"content", base.value().content},
                       {"timestamp", base.value().timestamp},
                       {"startTimestamp", base.value().start_timestamp},
                       {"revid", base.value().revid}});
    }
    if (kind == "editWrite") {
        fw::EditBase base;
        base.timestamp = fw::read::string_member(field("base"), "timestamp");
        base.start_timestamp = fw::read::string_member(field("base"), "startTimestamp");
        const json* revid = fw::read::member(field("base"), "revid");
        if (revid && revid->is_number_integer()) base.revid = revid->get<long long>();
        const json* assert_user = fw::read::member(in, "assertUser");
        auto params = fw::edit_write_params(fw::read::string_member(in, "title"), base, field("transformed"),
                                            assert_user && assert_user->is_boolean() && assert_user->get<bool>());
        if (!params) return err(params.error());
        return ok(std::move(params.value()));
    }
    if (kind == "editOutcome") {
        auto outcome = fw::edit_outcome(field("answer"));
        if (!outcome) return err(outcome.error());
        return ok(std::move(outcome.value()));
    }
    if (kind == "options") {
        auto requests = fw::options_requests(field("options"));
        if (!requests) return err(requests.error());
        return ok(json(requests.value()));
    }
    if (kind == "upload") return upload(in);
    return err(fw::usage_error("bad-call", "Unknown plan: " + kind));
}

}  // namespace

std::string run_plan(const std::string& kind, const std::string& input_json) {
    const json in = parse_json(input_json);
    if (in.is_discarded() || !in.is_object() || fw::read::deeper_than(in, kMaxInputDepth))
        return dump(err(fw::usage_error("bad-json", "The plan input is not a JSON object within the bounds.")));
    return dump(dispatch(kind, in));
}

}  // namespace fwb
