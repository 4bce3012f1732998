// fuzz_plans: the helpers' decisions (wasm/core/include/fw/{continuation,edit_plan,options_plan,upload_plan}.hpp)
// fed hostile answers: a chunked upload driven by a random sequence of answers and failures, continuation and
// whole-page merging over random batches, edit and options over random values.
// Input: a selector, then the plan's parameters and a sequence of (kind, answer | failure) events.
// Invariants: never crashes or throws; the upload machine only ever asks for a chunk at its own offset, within the
// file; after an ambiguous failure of a chunk past the first it asks the server (checkstatus) before sending a
// chunk again, unless the server's refusal named its offset; a publish is never followed by another request after a
// failure; the plan survives its JSON round trip at every step; the number of requests stays bounded. A continued
// query only ever adds continuation parameters and never repeats the request it answers.
#define FW_FUZZ_HARNESS "fuzz_plans"

#include <string>

#include "fw/continuation.hpp"
#include "fw/edit_plan.hpp"
#include "fw/options_plan.hpp"
#include "fw/upload_plan.hpp"
#include "support/bytes.hpp"
#include "support/check.hpp"
#include "support/json_gen.hpp"

using fw::json;
using namespace fwfuzz;

namespace {

const char* const kUploadNames[] = {"result", "offset", "filekey", "warnings", "stage", "imageinfo", "filename"};
const char* const kResults[] = {"Continue", "Success", "Poll", "Warning", "Failure", ""};
const char* const kContinueNames[] = {"continue", "plcontinue", "amfrom", "sroffset", "action", "token", "origin",
                                      "titles", "gapcontinue", "centralauthtoken"};

json upload_answer(Bytes& in, const JsonShape& shape) {
    if (in.below(8) == 0) return random_json(in, shape);  // anything at all
    json upload = random_object(in, shape, kUploadNames, sizeof kUploadNames / sizeof *kUploadNames, 5);
    if (in.flag()) upload["result"] = in.pick(kResults);
    if (in.flag()) upload["offset"] = in.flag() ? json(in.u32() % (12u << 20)) : json(std::to_string(in.u32() % (12u << 20)));
    if (in.flag()) upload["filekey"] = in.flag() ? std::string("1d4kszsri2ww.x4csrk.3.txt") : random_string(in, true);
    return json{{"upload", upload}};
}

fw::Error failure(Bytes& in, const JsonShape& shape) {
    static const fw::ErrorCategory categories[] = {fw::ErrorCategory::Network, fw::ErrorCategory::Timeout,
                                                   fw::ErrorCategory::Api,     fw::ErrorCategory::Http,
                                                   fw::ErrorCategory::Response, fw::ErrorCategory::Abort};
    fw::Error e;
    e.category = in.pick(categories);
    e.code = in.flag() ? "stashfailed" : random_string(in, true);
    if (e.code.empty()) e.code = "http";  // the session always names its errors
    e.performed = in.flag() ? fw::Performed::Maybe : fw::Performed::No;
    if (in.flag()) e.result = json{{"error", json{{"code", e.code}, {"offset", std::to_string(in.u32() % (12u << 20))}}}};
    else if (in.flag()) e.result = random_json(in, shape);
    return e;
}

void fuzz_upload(Bytes& in) {
    const JsonShape shape;
    fw::ChunkedUpload upload;
    upload.size = in.u32() % (10u << 20);
    upload.chunk_size = 1 + in.u32() % (3u << 20);
    upload.filename = in.flag() ? "Fuzz.txt" : random_string(in, true);
    upload.stash_only = in.flag();
    upload.async = in.flag();
    upload.resend_budget = static_cast<int>(in.below(5));
    if (in.flag()) upload.filekey = "1d4kszsri2ww.x4csrk.3.txt";
    if (upload.filename.empty()) upload.filename = "F.txt";
    const std::uint64_t chunks = upload.size / upload.chunk_size + 2;
    const int budget = upload.resend_budget;

    fw::UploadStep step = fw::upload_start(upload);
    int requests = 0;
    bool last_was_publish = false;
    for (int i = 0; i < 400 && step.kind == fw::UploadStep::Kind::Request; ++i) {
        ++requests;
        FW_FUZZ_CHECK(static_cast<std::uint64_t>(requests) <= chunks * static_cast<std::uint64_t>(budget + 2) + 130,
                      "the upload machine keeps asking");
        auto back = fw::chunked_upload_from_json(fw::to_json(upload));
        FW_FUZZ_CHECK(back.ok() && fw::to_json(back.value()) == fw::to_json(upload), "the plan does not survive JSON");
        FW_FUZZ_CHECK(json_is_valid_utf8(step.params), "request parameters are not valid UTF-8");
        if (step.has_chunk) {
            FW_FUZZ_CHECK(step.chunk_start == upload.offset, "a chunk not at the machine's offset");
            FW_FUZZ_CHECK(step.chunk_start <= step.chunk_end && step.chunk_end <= upload.size, "a chunk outside the file");
            FW_FUZZ_CHECK(step.chunk_end - step.chunk_start <= upload.chunk_size, "a chunk over the chunk size");
        }
        last_was_publish = upload.phase == fw::UploadPhase::Publish;
        const bool was_chunk = step.has_chunk;
        const std::uint64_t offset_before = upload.offset;
        if (in.flag()) {
            step = fw::upload_answer(upload, upload_answer(in, shape));
        } else {
            const fw::Error e = failure(in, shape);
            const bool named_offset = e.code == "stashfailed" && e.category == fw::ErrorCategory::Api;
            step = fw::upload_failure(upload, e);
            if (last_was_publish) FW_FUZZ_CHECK(step.kind == fw::UploadStep::Kind::Fail, "a publish was repeated");
            if (was_chunk && offset_before > 0 && e.performed == fw::Performed::Maybe && !named_offset &&
                step.kind == fw::UploadStep::Kind::Request)
                FW_FUZZ_CHECK(!step.has_chunk, "a chunk sent again after an ambiguous failure without asking the server");
        }
        if (in.empty()) break;
    }
    if (step.kind == fw::UploadStep::Kind::Fail) FW_FUZZ_CHECK(!step.error.code.empty(), "a failure without a code");
}

void fuzz_continuation(Bytes& in) {
    const JsonShape shape;
    json original{{"action", "query"}, {"list", "allpages"}, {"aplimit", "50"}};
    json current = original;
    json pending;
    for (int i = 0; i < 20 && !in.empty(); ++i) {
        json answer = in.below(4) == 0
                          ? random_json(in, shape)
                          : json{{"continue", random_object(in, shape, kContinueNames,
                                                            sizeof kContinueNames / sizeof *kContinueNames, 4)},
                                 {"query", json{{"pages", random_json(in, shape)}}}};
        if (answer.is_object() && in.flag()) answer["batchcomplete"] = true;
        auto merged = fw::merge_query_pages(pending, answer);
        if (merged.ok()) FW_FUZZ_CHECK(merged.value().is_array(), "whole pages are not an array");
        auto next = fw::next_query_params(original, current, answer);
        if (!next.ok() || !next.value()) break;
        const json& n = *next.value();
        FW_FUZZ_CHECK(n != current, "a continued query repeats the request it answers");
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (original.contains(it.key()) && original[it.key()] == *it) continue;
            const std::string& k = it.key();
            const bool continuation = k == "continue" || (k.size() >= 4 && (k.rfind("continue") == k.size() - 8 ||
                                                                            k.rfind("from") == k.size() - 4 ||
                                                                            k.rfind("offset") == k.size() - 6));
            FW_FUZZ_CHECK(continuation, "a continued query changed a parameter that is not a continuation: " + k);
            FW_FUZZ_CHECK(it->is_string(), "a continuation value that is not a string");
        }
        current = n;
    }
}

void fuzz_edit_and_options(Bytes& in) {
    const JsonShape shape;
    auto base = fw::edit_base(random_json(in, shape));
    if (base.ok()) {
        auto params = fw::edit_write_params("T", base.value(), random_json(in, shape), in.flag());
        if (params.ok()) {
            FW_FUZZ_CHECK(params.value().is_object(), "edit parameters are not an object");
            FW_FUZZ_CHECK(json_is_valid_utf8(params.value()), "edit parameters are not valid UTF-8");
        }
    }
    auto outcome = fw::edit_outcome(random_json(in, shape));
    if (outcome.ok()) FW_FUZZ_CHECK(outcome.value().is_object(), "an edit outcome that is not an object");
    auto options = fw::options_requests(random_json(in, shape));
    if (options.ok())
        for (const auto& r : options.value()) FW_FUZZ_CHECK(r.value("action", "") == "options", "not an options request");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    switch (in.below(3)) {
        case 0: fuzz_upload(in); break;
        case 1: fuzz_continuation(in); break;
        default: fuzz_edit_and_options(in); break;
    }
    return 0;
}
