// The helpers' decisions (continuation.cpp, edit_plan.cpp, upload_plan.cpp, options_plan.cpp) on answers recorded
// from the lab's wiki B by tests/core/fixtures/record-helper-answers.mjs.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "fw/continuation.hpp"
#include "fw/edit_plan.hpp"
#include "fw/options_plan.hpp"
#include "fw/upload_plan.hpp"

using fw::json;

namespace {

const json& recorded(const char* name) {
    static const json all = [] {
        std::ifstream in(FW_FIXTURES_DIR "/helper-answers.json");
        std::stringstream text;
        text << in.rdbuf();
        return json::parse(text.str());
    }();
    return all.at(name);
}

fw::Error network_maybe() {
    fw::Error error;
    error.category = fw::ErrorCategory::Network;
    error.code = "http";
    error.performed = fw::Performed::Maybe;
    return error;
}

fw::Error api_refusal(const json& answer) {
    fw::Error error;
    error.category = fw::ErrorCategory::Api;
    error.code = answer["error"]["code"].get<std::string>();
    error.result = answer;
    return error;
}

}  // namespace

TEST_CASE("continuation follows `continue` from the original parameters", "[helpers][continuation]") {
    const json original{{"action", "query"}, {"prop", "links"}, {"titles", "Seed"}, {"pllimit", 50}};
    auto second = fw::next_query_params(original, original, recorded("linksFirst"));
    REQUIRE(second.ok());
    REQUIRE(second.value());
    CHECK((*second.value())["plcontinue"] == recorded("linksFirst")["continue"]["plcontinue"]);
    CHECK((*second.value())["continue"] == "||");
    CHECK((*second.value())["titles"] == "Seed");

    auto third = fw::next_query_params(original, *second.value(), recorded("linksSecond"));
    REQUIRE(third.ok());
    REQUIRE(third.value());
    CHECK((*third.value())["plcontinue"] == recorded("linksSecond")["continue"]["plcontinue"]);

    auto end = fw::next_query_params(original, *third.value(), recorded("linksLast"));
    REQUIRE(end.ok());
    CHECK_FALSE(end.value());
}

TEST_CASE("continuation refuses what is not a continuation", "[helpers][continuation]") {
    const json original{{"action", "query"}, {"list", "allpages"}};
    for (const char* hostile :
         {R"({"continue":{"action":"delete"}})", R"({"continue":{"token":"x"}})", R"({"continue":{"origin":"*"}})",
          R"({"continue":{"centralauthtoken":"a"}})", R"({"continue":{"apcontinue":{"x":1}}})",
          R"({"continue":"apcontinue"})", R"({"continue":{}})"}) {
        auto next = fw::next_query_params(original, original, json::parse(hostile));
        REQUIRE_FALSE(next.ok());
        CHECK(next.error().code == "unexpected-response");
    }
    // A `continue` that leads back to the request it answers would never end.
    const json current{{"action", "query"}, {"list", "allpages"}, {"apcontinue", "B"}, {"continue", "-||"}};
    auto loop =
        fw::next_query_params(original, current, json::parse(R"({"continue":{"apcontinue":"B","continue":"-||"}})"));
    REQUIRE_FALSE(loop.ok());
    // Continuation names of other shapes MediaWiki uses: amfrom, sroffset (an integer).
    auto ok =
        fw::next_query_params(original, original, json::parse(R"({"continue":{"sroffset":20,"continue":"-||"}})"));
    REQUIRE(ok.ok());
    CHECK((*ok.value())["sroffset"] == "20");
}

TEST_CASE("whole pages: a page's links over three batches come out once, at batchcomplete", "[helpers][continuation]") {
    json pending;
    auto first = fw::merge_query_pages(pending, recorded("linksFirst"));
    REQUIRE(first.ok());
    CHECK(first.value().empty());
    auto second = fw::merge_query_pages(pending, recorded("linksSecond"));
    REQUIRE(second.ok());
    CHECK(second.value().empty());
    auto last = fw::merge_query_pages(pending, recorded("linksLast"));
    REQUIRE(last.ok());
    REQUIRE(last.value().size() == 1);
    const json& links = last.value()[0]["links"];
    REQUIRE(links.size() == 120);
    CHECK(links[0]["title"] == "Link target 0000");
    CHECK(links[119]["title"] == "Link target 0119");
    CHECK(last.value()[0]["title"] == recorded("linksFirst")["query"]["pages"][0]["title"]);
    // The accumulator starts over.
    auto again = fw::merge_query_pages(pending, recorded("linksLast"));
    REQUIRE(again.value().size() == 1);
    CHECK(again.value()[0]["links"].size() == 20);
}

TEST_CASE("edit: the read, the revision, the write with its conflict guards", "[helpers][edit]") {
    const json read = fw::edit_read_params("Some page");
    CHECK(read["curtimestamp"] == true);
    CHECK(read["formatversion"] == "2");

    auto base = fw::edit_base(recorded("editRead"));
    REQUIRE(base.ok());
    CHECK(base.value().content == "first text");
    CHECK(base.value().timestamp == recorded("editRead")["query"]["pages"][0]["revisions"][0]["timestamp"]);
    CHECK(base.value().start_timestamp == recorded("editRead")["curtimestamp"]);
    CHECK(base.value().revid == recorded("editRead")["query"]["pages"][0]["revisions"][0]["revid"].get<long long>());

    auto text = fw::edit_write_params("Some page", base.value(), "new text", true);
    REQUIRE(text.ok());
    CHECK(text.value()["text"] == "new text");
    CHECK(text.value()["nocreate"] == true);
    CHECK(text.value()["assert"] == "user");
    CHECK(text.value()["basetimestamp"] == base.value().timestamp);
    CHECK(text.value()["starttimestamp"] == base.value().start_timestamp);
    CHECK(text.value()["baserevid"] == std::to_string(base.value().revid));

    auto params =
        fw::edit_write_params("Some page", base.value(), json{{"appendtext", "x"}, {"nocreate", false}}, false);
    REQUIRE(params.ok());
    CHECK(params.value()["appendtext"] == "x");
    CHECK(params.value()["nocreate"] == false);  // the transform's parameters win, as in mw.Api
    CHECK_FALSE(params.value().contains("assert"));
    CHECK_FALSE(params.value().contains("text"));

    CHECK_FALSE(fw::edit_write_params("P", base.value(), json(), true).ok());
    CHECK_FALSE(fw::edit_write_params("P", base.value(), json::array(), true).ok());
}

TEST_CASE("edit: missing and invalid pages are mw.Api's codes", "[helpers][edit]") {
    auto missing = fw::edit_base(recorded("editReadMissing"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "nocreate-missing");
    auto invalid = fw::edit_base(recorded("editReadInvalid"));
    REQUIRE_FALSE(invalid.ok());
    CHECK(invalid.error().code == "invalidtitle");
    CHECK(fw::edit_base(json::parse(R"({"batchcomplete":true})")).error().code == "unknown");
    CHECK(fw::edit_base(json::parse(R"({"query":{"pages":[{"title":"X","revisions":[{}]}]}})")).error().code ==
          "unknown");
}

TEST_CASE("edit: the outcome", "[helpers][edit]") {
    auto saved = fw::edit_outcome(recorded("editSuccess"));
    REQUIRE(saved.ok());
    CHECK(saved.value()["newrevid"] == recorded("editSuccess")["edit"]["newrevid"]);
    auto refused = fw::edit_outcome(json::parse(R"({"edit":{"result":"Failure","captcha":{"type":"image"}}})"));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "edit-failure");
    CHECK(refused.error().performed == fw::Performed::No);
    auto odd = fw::edit_outcome(json::parse(R"({"edit":[]})"));
    REQUIRE_FALSE(odd.ok());
    CHECK(odd.error().performed == fw::Performed::Maybe);
}

TEST_CASE("options: one bundle, and single requests where a bundle cannot carry the name or value",
          "[helpers][options]") {
    auto requests = fw::options_requests(json::parse(R"({"a":"1","b":null,"c|d":"x|y","e=f":"g","n":3,"t":true})"));
    REQUIRE(requests.ok());
    REQUIRE(requests.value().size() == 2);
    CHECK(requests.value()[0]["optionname"] == "e=f");
    CHECK(requests.value()[0]["optionvalue"] == "g");
    const json& bundle = requests.value()[1]["change"];
    CHECK(bundle == json::parse(R"(["a=1","b","c|d=x|y","n=3","t=true"])"));
    CHECK(fw::options_requests(json::parse(R"({"a":{}})")).error().code == "bad-param-value");
    CHECK(fw::options_requests(json::array()).error().code == "bad-params");
}

namespace {

fw::ChunkedUpload three_chunks() {
    fw::ChunkedUpload upload;
    upload.size = 2450;
    upload.chunk_size = 1024;
    upload.filename = "Helper.txt";
    upload.publish = json{{"comment", "fixture"}};
    return upload;
}

// Three chunks sent and stashed on the recorded answers: the machine is at the publish.
fw::ChunkedUpload at_the_publish() {
    auto upload = three_chunks();
    fw::upload_start(upload);
    fw::upload_answer(upload, recorded("chunkFirst"));
    fw::upload_answer(upload, recorded("chunkSecond"));
    fw::upload_answer(upload, recorded("chunkLast"));
    REQUIRE(upload.phase == fw::UploadPhase::Publish);
    return upload;
}

}  // namespace

TEST_CASE("chunked upload: chunks, the stash, the publish, on the recorded answers", "[helpers][upload]") {
    auto upload = three_chunks();
    auto step = fw::upload_start(upload);
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.chunk_start == 0);
    CHECK(step.chunk_end == 1024);
    CHECK_FALSE(step.params.contains("filekey"));
    CHECK(step.params["filesize"] == "2450");

    step = fw::upload_answer(upload, recorded("chunkFirst"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.chunk_start == 1024);
    CHECK(step.chunk_end == 2048);
    CHECK(step.params["filekey"] == recorded("chunkFirst")["upload"]["filekey"]);
    CHECK(step.params["offset"] == "1024");

    step = fw::upload_answer(upload, recorded("chunkSecond"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.chunk_start == 2048);
    CHECK(step.chunk_end == 2450);

    step = fw::upload_answer(upload, recorded("chunkLast"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK_FALSE(step.has_chunk);
    CHECK(upload.phase == fw::UploadPhase::Publish);
    CHECK(step.params["filekey"] == recorded("chunkLast")["upload"]["filekey"]);  // the assembled file's new key
    CHECK(step.params["comment"] == "fixture");
    CHECK(step.params["filename"] == "Helper.txt");

    step = fw::upload_answer(upload, recorded("publish"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Done);
    CHECK(step.result["filename"] == recorded("publish")["upload"]["filename"]);
}

TEST_CASE("chunked upload: after an ambiguous chunk failure, the server's offset decides", "[helpers][upload]") {
    auto upload = three_chunks();
    fw::upload_start(upload);
    fw::upload_answer(upload, recorded("chunkFirst"));
    // The second chunk's fate is unknown: ask, never guess.
    auto step = fw::upload_failure(upload, network_maybe());
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.params["checkstatus"] == true);
    CHECK_FALSE(step.has_chunk);
    // The server has 1,024 bytes: the second chunk was not taken, so it goes again.
    step = fw::upload_answer(upload, recorded("checkStatus"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.chunk_start == 1024);
    CHECK(step.chunk_end == 2048);

    // The server refuses a chunk at the wrong offset and says where it stands (offset as a string).
    auto wrong = three_chunks();
    fw::upload_start(wrong);
    fw::upload_answer(wrong, recorded("chunkFirst"));
    wrong.offset = 2048;  // as if we had believed a chunk was taken
    step = fw::upload_failure(wrong, api_refusal(recorded("chunkBadOffset")));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.chunk_start == 1024);
}

TEST_CASE("chunked upload: a lost first chunk is sent again; the budget bounds re-sends", "[helpers][upload]") {
    auto upload = three_chunks();
    upload.resend_budget = 2;
    fw::upload_start(upload);
    auto step = fw::upload_failure(upload, network_maybe());
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.chunk_start == 0);
    step = fw::upload_failure(upload, network_maybe());
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    step = fw::upload_failure(upload, network_maybe());
    REQUIRE(step.kind == fw::UploadStep::Kind::Fail);
    CHECK(step.error.code == "http");
}

TEST_CASE("chunked upload: the publish is never repeated; warnings are mw.Api's codes", "[helpers][upload]") {
    auto upload = at_the_publish();
    auto lost = upload;
    auto step = fw::upload_failure(lost, network_maybe());
    REQUIRE(step.kind == fw::UploadStep::Kind::Fail);
    CHECK(step.error.performed == fw::Performed::Maybe);

    step = fw::upload_answer(upload, recorded("publishDuplicate"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Fail);
    CHECK(step.error.code == "duplicate");
    CHECK(step.error.performed == fw::Performed::No);
    CHECK(step.error.result["upload"]["filekey"] == recorded("publishDuplicate")["upload"]["filekey"]);
}

TEST_CASE("chunked upload: a warning without a name still fails with a named error", "[helpers][upload][hostile]") {
    // Found by tests/fuzz/fuzz_plans.cpp: {"": …} as the warnings of a publish left the failure's code empty.
    for (const char* warnings : {R"({"": "x"})", R"({"": 1, "exists": "F.txt"})", R"([])", R"({})"}) {
        auto upload = at_the_publish();
        auto answer = recorded("publishDuplicate");
        answer["upload"]["warnings"] = fw::json::parse(warnings);
        auto step = fw::upload_answer(upload, answer);
        INFO(warnings);
        REQUIRE(step.kind == fw::UploadStep::Kind::Fail);
        CHECK(step.error.code == (std::string(warnings).find("exists") != std::string::npos ? "exists" : "unknown"));
        CHECK(step.error.performed == fw::Performed::No);
    }
}

TEST_CASE("chunked upload: stash only, resume from a filekey, hostile answers", "[helpers][upload]") {
    auto stash = three_chunks();
    stash.stash_only = true;
    fw::upload_start(stash);
    fw::upload_answer(stash, recorded("chunkFirst"));
    fw::upload_answer(stash, recorded("chunkSecond"));
    auto step = fw::upload_answer(stash, recorded("chunkLast"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Done);
    CHECK(step.result["filekey"] == recorded("chunkLast")["upload"]["filekey"]);

    auto resume = three_chunks();
    resume.filekey = recorded("chunkFirst")["upload"]["filekey"].get<std::string>();
    step = fw::upload_start(resume);
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.params["checkstatus"] == true);
    step = fw::upload_answer(resume, recorded("checkStatus"));
    CHECK(step.chunk_start == 1024);

    // The session is gone (the assembled file replaced it): a named failure, not a loop.
    step = fw::upload_answer(resume, recorded("chunkSecond"));
    auto after_last = resume;
    after_last.phase = fw::UploadPhase::Status;
    step = fw::upload_failure(after_last, api_refusal(recorded("checkStatusAfterLast")));
    REQUIRE(step.kind == fw::UploadStep::Kind::Fail);
    CHECK(step.error.code == "missingresult");

    for (const char* hostile :
         {R"({"upload":{"result":"Continue","offset":1024,"filekey":"k"}})",
          R"({"upload":{"result":"Continue","offset":99999,"filekey":"k"}})",
          R"({"upload":{"result":"Continue","filekey":"k"}})", R"({"upload":[]})", R"({"upload":{"result":"Success"}})",
          R"({"upload":{"result":"Continue","offset":2000,"filekey":"bad key with spaces"}})", "[]", "null"}) {
        auto h = three_chunks();
        fw::upload_start(h);
        fw::upload_answer(h, recorded("chunkFirst"));
        auto s = fw::upload_answer(h, json::parse(hostile));
        INFO(hostile);
        CHECK(s.kind == fw::UploadStep::Kind::Fail);
    }
}

TEST_CASE("chunked upload: the plan crosses as JSON and comes back the same", "[helpers][upload]") {
    auto upload = three_chunks();
    fw::upload_start(upload);
    fw::upload_answer(upload, recorded("chunkFirst"));
    auto back = fw::chunked_upload_from_json(fw::to_json(upload));
    REQUIRE(back.ok());
    CHECK(fw::to_json(back.value()) == fw::to_json(upload));
    CHECK_FALSE(fw::chunked_upload_from_json(json::parse(R"({"size":-1,"filename":"a"})")).ok());
    CHECK_FALSE(fw::chunked_upload_from_json(json::parse(R"({"size":10,"chunkSize":0,"filename":"a"})")).ok());
    CHECK_FALSE(fw::chunked_upload_from_json(json::parse(R"({"size":10})")).ok());
}

TEST_CASE("chunked upload: publishing a stashed file starts with the publish", "[helpers][upload]") {
    auto upload = three_chunks();
    upload.phase = fw::UploadPhase::Publish;
    upload.filekey = recorded("chunkLast")["upload"]["filekey"].get<std::string>();
    auto step = fw::upload_start(upload);
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK_FALSE(step.has_chunk);
    CHECK(step.params["filekey"] == upload.filekey);
    CHECK_FALSE(step.params.contains("checkstatus"));
    step = fw::upload_answer(upload, recorded("publish"));
    CHECK(step.kind == fw::UploadStep::Kind::Done);
}

TEST_CASE("chunked upload, async: Poll answers are polled with growing waits until Success", "[helpers][upload]") {
    // ApiUpload.php with async=1: the last chunk answers Poll (stage queued) and the assembly runs in a job; the
    // publish answers Poll too. checkstatus reports the session's progress.
    auto upload = three_chunks();
    upload.async = true;
    fw::upload_start(upload);
    fw::upload_answer(upload, recorded("chunkFirst"));
    fw::upload_answer(upload, recorded("chunkSecond"));
    auto step = fw::upload_answer(
        upload, json::parse(R"({"upload":{"result":"Poll","stage":"queued","filekey":"1d4kszsri2ww.x4csrk.3.txt"}})"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(step.params["checkstatus"] == true);
    CHECK(step.wait_ms == 500);
    step = fw::upload_answer(upload, json::parse(R"({"upload":{"result":"Poll","stage":"assembling"}})"));
    CHECK(step.wait_ms == 1000);
    step = fw::upload_answer(
        upload, json::parse(R"({"upload":{"result":"Success","stage":"assembling","filekey":"1d4new.key.3.txt"}})"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(upload.phase == fw::UploadPhase::Publish);
    CHECK(step.params["filekey"] == "1d4new.key.3.txt");
    CHECK(step.params["async"] == true);
    step = fw::upload_answer(upload, json::parse(R"({"upload":{"result":"Poll","stage":"queued"}})"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Request);
    CHECK(upload.published_async);
    CHECK(step.wait_ms == 500);
    step = fw::upload_answer(
        upload, json::parse(R"({"upload":{"result":"Success","stage":"publish","filename":"Helper.txt"}})"));
    REQUIRE(step.kind == fw::UploadStep::Kind::Done);
    CHECK(step.result["filename"] == "Helper.txt");

    // A wiki that never finishes: a named timeout after the polls, the publish's fate unknown.
    auto stuck = three_chunks();
    stuck.async = true;
    stuck.phase = fw::UploadPhase::Publish;
    stuck.filekey = "1d4new.key.3.txt";
    fw::upload_start(stuck);
    step = fw::upload_answer(stuck, json::parse(R"({"upload":{"result":"Poll","stage":"queued"}})"));
    double waited = 0;
    int polls = 0;
    while (step.kind == fw::UploadStep::Kind::Request && polls < 100) {
        waited += step.wait_ms;
        ++polls;
        step = fw::upload_answer(stuck, json::parse(R"({"upload":{"result":"Poll","stage":"publish"}})"));
    }
    REQUIRE(step.kind == fw::UploadStep::Kind::Fail);
    CHECK(step.error.code == "upload-poll-timeout");
    CHECK(step.error.performed == fw::Performed::Maybe);
    CHECK(polls == 32);
    CHECK(waited < 150000);
}
