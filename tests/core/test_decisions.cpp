// decide_after_error (decisions.cpp) on its own: a request goes out again only when the server certainly did not
// perform it, or when it is a read; each kind of retry at most once, waits only within the budget.
#include <catch2/catch.hpp>

#include "decisions.hpp"
#include "session_fixture.hpp"

using namespace fwtest;
using fw::CallState;
using fw::detail::decide_after_error;
using fw::detail::Decision;

namespace {

fw::Classified refusal(const char* code, bool not_performed, std::optional<double> retry_after = std::nullopt,
                       fw::ErrorCategory category = fw::ErrorCategory::Api) {
    fw::Classified c;
    fw::Error e;
    e.category = category;
    e.code = code;
    c.error = e;
    c.retry.not_performed = not_performed;
    c.retry.retry_after_ms = retry_after;
    return c;
}

CallState write_call() {
    CallState call;
    call.kind = fw::CallKind::User;
    call.write = true;
    call.token_type = "csrf";
    call.started = 1000;
    return call;
}

}  // namespace

TEST_CASE("decisions after an error, branch by branch", "[decisions]") {
    const fw::ClientOptions options = central_auth_options();
    CallState call = write_call();
    const auto mode = fw::AuthMode::CentralAuth;

    CHECK(decide_after_error(call, options, mode, refusal("badtoken", true), 1000).kind ==
          Decision::Kind::RetryWithFreshToken);
    call.badtoken_retries = 1;
    CHECK(decide_after_error(call, options, mode, refusal("badtoken", true), 1000).kind == Decision::Kind::Fail);

    CHECK(decide_after_error(call, options, mode, refusal("centralauthtoken-rejected", true), 1000).kind ==
          Decision::Kind::RetryWithFreshCentral);

    const auto maxlag = decide_after_error(call, options, mode, refusal("maxlag", true, 5000.0), 2000);
    CHECK(maxlag.kind == Decision::Kind::RetryAfterWait);
    CHECK(maxlag.at == 7000);
    CHECK(decide_after_error(call, options, mode, refusal("maxlag", true, 5000.0), 1000 + 61000).kind ==
          Decision::Kind::Fail);  // beyond the 65 s budget
    const auto readonly = decide_after_error(call, options, mode, refusal("readonly", true), 1000);
    CHECK(readonly.kind == Decision::Kind::RetryAfterWait);
    CHECK(readonly.at == 1000 + options.readonly_wait_ms);
    CHECK(decide_after_error(call, options, mode, refusal("ratelimited", true, 1000.0), 1000).kind ==
          Decision::Kind::Fail);

    // Opaque failures: a read once more with a fresh centralauthtoken, a write never.
    const auto opaque = refusal("network", false, std::nullopt, fw::ErrorCategory::Network);
    CHECK(decide_after_error(call, options, mode, opaque, 1000).kind == Decision::Kind::Fail);
    CallState read;
    read.started = 1000;
    CHECK(decide_after_error(read, options, mode, opaque, 1000).kind == Decision::Kind::RetryWithFreshCentral);
    read.central_retries = 1;
    CHECK(decide_after_error(read, options, mode, opaque, 1000).kind == Decision::Kind::Fail);
    CHECK(decide_after_error(CallState{}, options, fw::AuthMode::Cookies, opaque, 1000).kind == Decision::Kind::Fail);

    // Anything ambiguous about a write ends it.
    CHECK(decide_after_error(write_call(), options, mode, refusal("http", false, 3000.0, fw::ErrorCategory::Http), 1000)
              .kind == Decision::Kind::Fail);
}
