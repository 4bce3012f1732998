#include "fw/upload_plan.hpp"

#include <algorithm>
#include <utility>

#include "json_read.hpp"

namespace fw {

namespace {

// About two minutes of polls (0.5, 1, 2, then every 4 s) before the caller is told to check later.
constexpr int kMaxPolls = 32;
constexpr double kFirstPollMs = 500;
constexpr double kMaxPollMs = 4000;

UploadStep fail(Error error) {
    UploadStep step;
    step.kind = UploadStep::Kind::Fail;
    step.error = std::move(error);
    return step;
}

UploadStep unexpected(const char* info, const json& answer, Performed performed) {
    Error error;
    error.category = ErrorCategory::Response;
    error.code = "unexpected-response";
    error.info = info;
    error.result = answer;
    error.performed = performed;
    return fail(std::move(error));
}

UploadStep done(const json& upload) {
    UploadStep step;
    step.kind = UploadStep::Kind::Done;
    step.result = upload;
    return step;
}

// An integer, or the digit string ApiUpload puts in a stashfailed error's extra data.
std::optional<std::uint64_t> offset_member(const json& value) {
    const json* offset = read::member(value, "offset");
    if (offset && offset->is_number_integer() && offset->get<long long>() >= 0)
        return static_cast<std::uint64_t>(offset->get<long long>());
    if (!offset || !offset->is_string()) return std::nullopt;
    const std::string& text = offset->get_ref<const std::string&>();
    if (text.empty() || text.size() > 15) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

UploadStep chunk_request(ChunkedUpload& upload) {
    upload.phase = UploadPhase::Chunk;
    UploadStep step;
    step.kind = UploadStep::Kind::Request;
    step.params = json{{"action", "upload"},
                       {"formatversion", "2"},
                       {"stash", true},
                       {"filename", upload.filename},
                       {"filesize", std::to_string(upload.size)},
                       {"offset", std::to_string(upload.offset)}};
    if (upload.offset > 0) step.params["filekey"] = upload.filekey;
    if (upload.ignore_warnings) step.params["ignorewarnings"] = true;
    if (upload.async) step.params["async"] = true;
    step.has_chunk = true;
    step.chunk_start = upload.offset;
    step.chunk_end = std::min(upload.size, upload.offset + upload.chunk_size);
    return step;
}

UploadStep status_request(ChunkedUpload& upload, UploadPhase phase) {
    upload.phase = phase;
    UploadStep step;
    step.kind = UploadStep::Kind::Request;
    step.params =
        json{{"action", "upload"}, {"formatversion", "2"}, {"checkstatus", true}, {"filekey", upload.filekey}};
    if (phase == UploadPhase::Poll) {
        if (upload.polls >= kMaxPolls) {
            Error error;
            error.category = ErrorCategory::Timeout;
            error.code = "upload-poll-timeout";
            error.info =
                "The wiki was still processing the upload after " + std::to_string(kMaxPolls) + " status checks.";
            error.performed = upload.published_async ? Performed::Maybe : Performed::No;
            return fail(std::move(error));
        }
        double wait = kFirstPollMs;
        for (int i = 0; i < upload.polls && wait < kMaxPollMs; ++i) wait *= 2;
        step.wait_ms = std::min(wait, kMaxPollMs);
        ++upload.polls;
    }
    return step;
}

UploadStep publish_request(ChunkedUpload& upload) {
    upload.phase = UploadPhase::Publish;
    UploadStep step;
    step.kind = UploadStep::Kind::Request;
    step.params = upload.publish.is_object() ? upload.publish : json::object();
    step.params["action"] = "upload";
    step.params["formatversion"] = "2";
    step.params["filekey"] = upload.filekey;
    step.params["filename"] = upload.filename;
    if (upload.async) step.params["async"] = true;
    return step;
}

bool take_filekey(ChunkedUpload& upload, const json& result) {
    auto key = read::token_member(result, "filekey");
    if (!key) return false;
    upload.filekey = *key;
    return true;
}

// The stash holds the whole file: publish it, or hand it to the caller.
UploadStep stashed(ChunkedUpload& upload, const json& result) {
    if (upload.stash_only) {
        upload.phase = UploadPhase::Done;
        return done(result);
    }
    return publish_request(upload);
}

// A publish answered with warnings (exists, duplicate, badfilename…): mw.Api's failure code is the first warning's
// name. The file stays in the stash under `filekey`, so the caller can publish it with ignorewarnings. A hostile
// answer's empty name would leave the failure unnamed, so it is skipped.
UploadStep warned(const json& answer, const json& warnings) {
    Error error;
    error.category = ErrorCategory::Api;
    error.code = "unknown";
    if (warnings.is_object())
        for (auto it = warnings.begin(); it != warnings.end(); ++it)
            if (!it.key().empty()) {
                error.code = it.key();
                break;
            }
    error.info = "The wiki did not publish the file because of a warning (" + error.code + ").";
    error.result = answer;
    return fail(std::move(error));
}

// checkstatus answers, for a stashed chunk session or an async job (ApiUpload.php: the session's progress array).
UploadStep after_status(ChunkedUpload& upload, const json& answer, const json& result) {
    const std::string outcome = read::string_member(result, "result");
    if (outcome == "Continue" && !upload.published_async) {
        auto offset = offset_member(result);
        if (!offset || *offset > upload.size)
            return unexpected("The upload status has no valid offset.", answer, Performed::No);
        upload.offset = *offset;
        return chunk_request(upload);
    }
    if (outcome == "Poll") return status_request(upload, UploadPhase::Poll);
    if (outcome == "Success") {
        if (upload.published_async) {
            upload.phase = UploadPhase::Done;
            return done(result);
        }
        take_filekey(upload, result);  // the assembled file has a new key; without one the old key stands
        return stashed(upload, result);
    }
    if (outcome == "Warning" && upload.published_async)
        return warned(answer, read::member(result, "warnings") ? *read::member(result, "warnings") : json());
    return unexpected("The upload status is neither Continue, Poll nor Success.", answer,
                      upload.published_async ? Performed::Maybe : Performed::No);
}

bool spend(ChunkedUpload& upload) {
    if (upload.resend_budget <= 0) return false;
    --upload.resend_budget;
    return true;
}

}  // namespace

const char* to_string(UploadPhase phase) {
    switch (phase) {
        case UploadPhase::Chunk: return "chunk";
        case UploadPhase::Status: return "status";
        case UploadPhase::Poll: return "poll";
        case UploadPhase::Publish: return "publish";
        case UploadPhase::Done: return "done";
    }
    return "done";
}

Expected<ChunkedUpload> chunked_upload_from_json(const json& object) {
    if (!object.is_object()) return usage_error("bad-params", "The upload plan is not an object.");
    ChunkedUpload upload;
    auto number = [&](const char* key, std::uint64_t& out) {
        const json* v = read::member(object, key);
        if (!v) return true;
        if (!v->is_number_integer() || v->get<long long>() < 0) return false;
        out = static_cast<std::uint64_t>(v->get<long long>());
        return true;
    };
    std::uint64_t budget = static_cast<std::uint64_t>(upload.resend_budget), polls = 0;
    if (!number("size", upload.size) || !number("chunkSize", upload.chunk_size) || !number("offset", upload.offset) ||
        !number("resendBudget", budget) || !number("polls", polls) || upload.chunk_size == 0)
        return usage_error("bad-params", "size, chunkSize, offset and resendBudget must be non-negative integers.");
    upload.resend_budget = static_cast<int>(std::min<std::uint64_t>(budget, 1000));
    upload.polls = static_cast<int>(std::min<std::uint64_t>(polls, kMaxPolls));
    upload.filename = read::string_member(object, "filename");
    upload.filekey = read::string_member(object, "filekey");
    auto flag = [&](const char* key) {
        const json* v = read::member(object, key);
        return v && v->is_boolean() && v->get<bool>();
    };
    upload.stash_only = flag("stashOnly");
    upload.async = flag("async");
    upload.ignore_warnings = flag("ignoreWarnings");
    upload.published_async = flag("publishedAsync");
    if (const json* publish = read::member(object, "publish")) {
        if (!publish->is_object())
            return usage_error("bad-params", "The upload's publish parameters are not an object.");
        upload.publish = *publish;
    }
    const std::string phase = read::string_member(object, "phase");
    if (phase.empty() || phase == "chunk")
        upload.phase = UploadPhase::Chunk;
    else if (phase == "status")
        upload.phase = UploadPhase::Status;
    else if (phase == "poll")
        upload.phase = UploadPhase::Poll;
    else if (phase == "publish")
        upload.phase = UploadPhase::Publish;
    else if (phase == "done")
        upload.phase = UploadPhase::Done;
    else
        return usage_error("bad-params", "Unknown upload phase: " + phase);
    if (upload.filename.empty()) return usage_error("bad-params", "An upload needs a filename.");
    if (upload.offset > upload.size) return usage_error("bad-params", "The upload's offset is past its size.");
    return upload;
}

json to_json(const ChunkedUpload& upload) {
    return json{{"size", upload.size},
                {"chunkSize", upload.chunk_size},
                {"filename", upload.filename},
                {"stashOnly", upload.stash_only},
                {"async", upload.async},
                {"publish", upload.publish},
                {"ignoreWarnings", upload.ignore_warnings},
                {"resendBudget", upload.resend_budget},
                {"phase", to_string(upload.phase)},
                {"offset", upload.offset},
                {"filekey", upload.filekey},
                {"publishedAsync", upload.published_async},
                {"polls", upload.polls}};
}

UploadStep upload_start(ChunkedUpload& upload) {
    // Publishing a stashed file (uploadFromStash): nothing to send but the publish.
    if (upload.phase == UploadPhase::Publish && !upload.filekey.empty()) return publish_request(upload);
    // Resuming from a filekey: ask where the server stands instead of assuming.
    if (!upload.filekey.empty()) return status_request(upload, UploadPhase::Status);
    upload.offset = 0;
    return chunk_request(upload);
}

UploadStep upload_answer(ChunkedUpload& upload, const json& answer) {
    const json* found = read::member(answer, "upload");
    const Performed performed =
        upload.phase == UploadPhase::Publish || upload.published_async ? Performed::Maybe : Performed::No;
    if (!found || !found->is_object())
        return unexpected("The upload answer has no `upload` result.", answer, performed);
    const json& result = *found;
    const std::string outcome = read::string_member(result, "result");
    switch (upload.phase) {
        case UploadPhase::Chunk: {
            if (!take_filekey(upload, result))
                return unexpected("The chunk's answer has no filekey.", answer, Performed::No);
            if (outcome == "Continue") {
                auto offset = offset_member(result);
                if (!offset || *offset <= upload.offset || *offset > upload.size)
                    return unexpected("The chunk's answer moves the offset nowhere useful.", answer, Performed::No);
                upload.offset = *offset;
                return chunk_request(upload);
            }
            if (outcome == "Success") {
                upload.offset = upload.size;
                return stashed(upload, result);
            }
            if (outcome == "Poll") return status_request(upload, UploadPhase::Poll);
            return unexpected("The chunk's answer is neither Continue, Success nor Poll.", answer, Performed::No);
        }
        case UploadPhase::Status:
        case UploadPhase::Poll: return after_status(upload, answer, result);
        case UploadPhase::Publish: {
            if (outcome == "Success") {
                upload.phase = UploadPhase::Done;
                return done(result);
            }
            if (outcome == "Warning")
                return warned(answer, read::member(result, "warnings") ? *read::member(result, "warnings") : json());
            if (outcome == "Poll") {
                upload.published_async = true;
                upload.polls = 0;
                return status_request(upload, UploadPhase::Poll);
            }
            return unexpected("The publish answer is neither Success, Warning nor Poll.", answer, Performed::Maybe);
        }
        case UploadPhase::Done: break;
    }
    return unexpected("The upload had already finished.", answer, Performed::No);
}

UploadStep upload_failure(ChunkedUpload& upload, const Error& error) {
    if (error.category == ErrorCategory::Abort || error.category == ErrorCategory::Usage) return fail(error);
    switch (upload.phase) {
        case UploadPhase::Chunk: {
            // MediaWiki refused the chunk and said where it stands (ApiUpload.php: stashfailed with `offset`).
            const json* body_error = read::member(error.result, "error");
            auto server_offset = body_error ? offset_member(*body_error) : std::nullopt;
            if (error.category == ErrorCategory::Api && error.code == "stashfailed" && server_offset &&
                *server_offset <= upload.size && !upload.filekey.empty() && spend(upload)) {
                upload.offset = *server_offset;
                return chunk_request(upload);
            }
            if (error.category == ErrorCategory::Api || error.category == ErrorCategory::Rest) return fail(error);
            if (!spend(upload)) return fail(error);
            // The first chunk has no filekey yet: sending it again only starts a new stash entry.
            if (upload.offset == 0) return chunk_request(upload);
            if (error.performed == Performed::No) return chunk_request(upload);
            return status_request(upload, UploadPhase::Status);
        }
        case UploadPhase::Status:
        case UploadPhase::Poll: {
            if (error.category == ErrorCategory::Api || error.category == ErrorCategory::Rest) return fail(error);
            if (!spend(upload)) return fail(error);
            return status_request(upload, upload.phase);
        }
        case UploadPhase::Publish:
        case UploadPhase::Done: break;
    }
    return fail(error);  // the publish is never repeated: the error keeps its `performed`
}

}  // namespace fw
