// fuzz_classify: fw::classify_action, fw::classify_rest and fw::retry_after_ms (wasm/core/include/fw/classify.hpp)
// fed any status, headers, body kind and body: JSON of any type and depth (as the driver parses it), or text that
// is not UTF-8 (the start of an HTML page cut anywhere).
// Input: status selector, flags, headers, then the body bytes (JSON text for a Json body).
// Invariants: never crashes or throws; status 0 is a network error; REST 2xx/304 succeed (a write's only with a
// JSON or empty body) and nothing else does
// (except an answer over the bounds); an Action success is a 2xx JSON answer; "certainly not performed" comes with
// an error, and only a write can be performed=maybe (always for status 0 or a 5xx); every string in the result is
// valid UTF-8 (the Wasm build aborts serialising anything else); warnings are {module, code, text} strings;
// Retry-After is read as non-negative seconds only; the same input classifies the same way twice.
#define FW_FUZZ_HARNESS "fuzz_classify"

#include <cmath>
#include <cstdlib>
#include <string>

#include "fw/classify.hpp"
#include "support/bytes.hpp"
#include "support/check.hpp"
#include "support/json_gen.hpp"

using fw::json;
using namespace fwfuzz;

namespace {

void check_classified(const fw::Classified& c, const fw::HttpResponse& r, bool rest, const fw::ClassifyContext& context) {
    if (c.error) {
        const fw::Error& e = *c.error;
        FW_FUZZ_CHECK(!e.code.empty(), "an error without a code");
        FW_FUZZ_CHECK(e.category != fw::ErrorCategory::Usage, "a response classified as a usage error");
        FW_FUZZ_CHECK(is_valid_utf8(e.code) && is_valid_utf8(e.info), "error code/info is not valid UTF-8");
        FW_FUZZ_CHECK(json_is_valid_utf8(e.result), "error.result is not valid UTF-8");
        FW_FUZZ_CHECK(e.status == r.status, "error.status is not the response status");
        // error.hpp: only a write can be Performed::Maybe; status 0 and a 5xx without a certain refusal are Maybe.
        if (!context.write) FW_FUZZ_CHECK(e.performed == fw::Performed::No, "a read classified performed=maybe");
        if (context.write && (r.status == 0 || (r.status >= 500 && !c.retry.not_performed)))
            FW_FUZZ_CHECK(e.performed == fw::Performed::Maybe, "a write's status 0/5xx classified performed=no");
        if (c.retry.not_performed) FW_FUZZ_CHECK(e.performed == fw::Performed::No, "'not performed' but performed=maybe");
    } else {
        FW_FUZZ_CHECK(!c.retry.not_performed, "'not performed' advice on a success");
    }
    if (c.retry.retry_after_ms)
        FW_FUZZ_CHECK(*c.retry.retry_after_ms >= 0 && !std::isnan(*c.retry.retry_after_ms), "negative/NaN retry wait");
    if (r.status == 0)
        FW_FUZZ_CHECK(c.error && c.error->category == fw::ErrorCategory::Network, "status 0 must be a network error");
    FW_FUZZ_CHECK(c.warnings.is_array(), "warnings must be an array");
    for (const auto& w : c.warnings) {
        FW_FUZZ_CHECK(w.is_object() && w.size() == 3, "a warning must be {module, code, text}");
        for (const char* key : {"module", "code", "text"})
            FW_FUZZ_CHECK(w.contains(key) && w[key].is_string() && is_valid_utf8(w[key].get<std::string>()),
                          std::string("warning.") + key + " must be a UTF-8 string");
    }
    const bool ok_status = r.status >= 200 && r.status < 300;
    const bool unread = r.body_kind == fw::ResponseBody::TooLarge || r.body_kind == fw::ResponseBody::TooDeep;
    if (unread) FW_FUZZ_CHECK(c.error.has_value(), "an answer over the bounds counted as a success");
    if (rest) {
        // A REST write answered 2xx with a non-JSON page is not MediaWiki's success either.
        const bool html_write = context.write && ok_status && r.body_kind == fw::ResponseBody::Text;
        const bool rest_ok = (ok_status || r.status == 304) && !unread && !html_write;
        FW_FUZZ_CHECK(rest_ok == !c.error, "REST: 2xx/304 succeed (a write's only with JSON), everything else fails");
    } else if (!c.error) {
        FW_FUZZ_CHECK(ok_status && r.body_kind == fw::ResponseBody::Json, "an Action success must be a 2xx JSON answer");
        // A core module's write succeeds only with its own result (classify.hpp write_result_modules()).
        if (context.write && (context.write_module == "edit" || context.write_module == "options")) {
            const json* result = r.body.is_object() && r.body.contains(context.write_module)
                                     ? &r.body[context.write_module]
                                     : nullptr;
            const bool shaped = result && (context.write_module == "options" ? *result == "success" : result->is_object());
            FW_FUZZ_CHECK(shaped, "a core module's write succeeded without its own result");
        }
    }
}

// Independent reading of Retry-After: optional blanks, digits with at most one '.', optional blanks; seconds → ms.
void check_retry_after(const fw::Headers& headers) {
    const auto got = fw::retry_after_ms(headers);
    std::optional<std::string> value;
    for (const auto& [name, v] : headers)
        if (to_lower(name) == "retry-after") {
            value = v;
            break;
        }
    if (!value) {
        FW_FUZZ_CHECK(!got, "Retry-After read from nowhere");
        return;
    }
    std::string t = *value;
    while (!t.empty() && (t[0] == ' ' || t[0] == '\t')) t.erase(0, 1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    bool digit = false, dot = false, valid = !t.empty();
    for (char c : t) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            valid = false;
        }
    }
    valid = valid && digit;
    FW_FUZZ_CHECK(got.has_value() == valid, "Retry-After \"" + *value + "\" " + (valid ? "refused" : "accepted"));
    if (!valid) return;
    const double expected = std::strtod(t.c_str(), nullptr) * 1000;
    const double diff = std::fabs(*got - expected);
    FW_FUZZ_CHECK(*got >= 0 && (diff <= 1e-6 * expected + 1e-6 || (std::isinf(expected) && std::isinf(*got)) ||
                                (std::isinf(*got) && expected > 1e300)),
                  "Retry-After \"" + *value + "\" read as " + std::to_string(*got));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    static const int kStatuses[] = {200, 0, 201, 204, 304, 400, 401, 403, 404, 429, 500, 502, 503, 301, 299, 199, 600, -1};
    fw::HttpResponse r;
    const std::uint8_t status_selector = in.u8();
    r.status = status_selector < 200 ? kStatuses[status_selector % std::size(kStatuses)]
                                     : static_cast<std::int16_t>(in.u16());
    const std::uint8_t flags = in.u8();
    const std::size_t kind = flags % 5;  // empty, json, text, too-large, too-deep
    r.digest = (flags & 4) != 0;
    fw::ClassifyContext context;
    context.expect_login = (flags & 8) != 0;
    context.write = (flags & 16) != 0;
    static const char* const kModules[] = {"", "edit", "options", "wbeditentity"};  // none, core, core, extension
    if (context.write) context.write_module = kModules[(flags >> 5) & 3];

    static const char* const kHeaderNames[] = {"retry-after", "mediawiki-cors-rejection", "mediawiki-login-suppressed",
                                               "mediawiki-api-error", "Retry-After", "content-type", "x-database-lag"};
    static const char* const kHeaderValues[] = {"5", "true", "Origin mismatch", "Unsupported header requested in preflight",
                                                "120", "0.5", "", " 5 ", "-1", "Wed, 21 Oct 2015 07:28:00 GMT",
                                                "99999999999999999999999999999999999999999", "1e3", "maxlag"};
    for (std::size_t n = in.below(6); n > 0; --n) {
        std::string name = in.u8() < 230 ? std::string(in.pick(kHeaderNames)) : in.str(24);
        // Header values reach the core as JS strings, i.e. valid UTF-8.
        std::string value = in.u8() < 160 ? std::string(in.pick(kHeaderValues)) : make_valid_utf8(in.str(400));
        r.headers.emplace_back(make_valid_utf8(name), value);
    }

    const std::string body = in.rest();
    if (kind == 1) {
        r.body = json::parse(body, nullptr, false);
        r.body_kind = fw::ResponseBody::Json;
        if (r.body.is_discarded()) {  // the driver sends what does not parse as text
            r.body = nullptr;
            r.body_kind = fw::ResponseBody::Text;
            r.text = body;
        }
    } else if (kind == 2) {
        r.body_kind = fw::ResponseBody::Text;
        r.text = body;
    } else if (kind >= 3) {
        r.body_kind = kind == 3 ? fw::ResponseBody::TooLarge : fw::ResponseBody::TooDeep;
    }

    const fw::Classified action = fw::classify_action(r, context);
    check_classified(action, r, false, context);
    const fw::Classified rest = fw::classify_rest(r, context);
    check_classified(rest, r, true, context);
    check_retry_after(r.headers);

    const fw::Classified again = fw::classify_action(r, context);
    FW_FUZZ_CHECK(again.error.has_value() == action.error.has_value() &&
                      (!again.error || (again.error->code == action.error->code && again.error->info == action.error->info)) &&
                      again.retry.not_performed == action.retry.not_performed && again.warnings == action.warnings,
                  "classify_action is not deterministic");
    return 0;
}
