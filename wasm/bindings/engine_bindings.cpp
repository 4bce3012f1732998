// The embind surface: one class, Engine, wrapping fw::Driver, whose Bridge is the JS half in fetch_bridge.js
// (Module.fwHosts[handle], set up by js/src/engine.js). Each input is one crossing into the module that also does
// everything it implies: the driver sends requests, cancels, arms the timer and hands events out through the
// bridge's imports before the input returns. Everything crosses as JSON text or plain numbers, so the JS side needs
// no embind value types and the C++ side owns no JS objects. JS owns each Engine and must call .delete() on it.
// Ids are uint64 in the core and doubles here: exact up to 2^53, far beyond any session's count.
#include <emscripten/bind.h>

#include <string>

#include "driver.hpp"
#include "fw/session.hpp"
#include "plans.hpp"
#include "protocol.hpp"

extern "C" {
// Imports from fetch_bridge.js; `engine` is the handle the Engine was constructed with.
void fw_bridge_fetch(double engine, const char* request_json);
void fw_bridge_cancel(double engine, double request, int timed_out);
void fw_bridge_set_timer(double engine, double deadline);  // < 0: no timer
void fw_bridge_emit(double engine, const char* event_json);
}

namespace {

using fw::json;

json error_result(const fw::Error& error) {
    json j = json::object();
    j["error"] = fwb::error_to_json(error);
    return j;
}

class JsBridge final : public fw::Bridge {
public:
    explicit JsBridge(double handle) : handle_(handle) {}

    void fetch(const fw::HttpRequest& request) override {
        const std::string text = fwb::dump(fwb::request_to_json(request));
        fw_bridge_fetch(handle_, text.c_str());
    }
    void cancel(fw::RequestId request, fw::CancelReason reason) override {
        fw_bridge_cancel(handle_, static_cast<double>(request), reason == fw::CancelReason::Timeout ? 1 : 0);
    }
    void set_timer(std::optional<fw::TimeMs> deadline) override {
        fw_bridge_set_timer(handle_, deadline ? *deadline : -1);
    }
    void emit(const fw::Event& event) override {
        const std::string text = fwb::dump(fwb::event_to_json(event));
        fw_bridge_emit(handle_, text.c_str());
    }

private:
    double handle_;
};

class Engine {
public:
    explicit Engine(double handle) : bridge_(handle), driver_(bridge_) {}

    // '{"ok":id}' or '{"error":{category,code,info,status,result}}'.
    std::string addClient(const std::string& options_json) {
        json object;
        fw::ClientOptions options;
        auto error = fwb::parse_object(options_json, "options", object);
        if (!error) error = fwb::client_options_from_json(object, options);
        if (error) return fwb::dump(error_result(*error));
        auto id = driver_.add_client(options);
        if (!id) return fwb::dump(error_result(id.error()));
        json ok = json::object();
        ok["ok"] = id.value();
        return fwb::dump(ok);
    }

    void removeClient(double client, double now) { driver_.remove_client(static_cast<fw::ClientId>(client), now); }

    double startAction(const std::string& call_json, double now) {
        json object;
        fw::ActionCall call;
        auto error = fwb::parse_object(call_json, "call", object);
        if (!error) error = fwb::action_call_from_json(object, call);
        if (error) return static_cast<double>(driver_.reject(*error, now));
        return static_cast<double>(driver_.start_action(call, now));
    }

    double startRest(const std::string& call_json, double now) {
        json object;
        fw::RestCall call;
        auto error = fwb::parse_object(call_json, "call", object);
        if (!error) error = fwb::rest_call_from_json(object, call);
        if (error) return static_cast<double>(driver_.reject(*error, now));
        return static_cast<double>(driver_.start_rest(call, now));
    }

    // mw.Api's getToken(type, assert): a call that completes with {"token": …} from the engine's cache or one shared
    // fetch; empty assert / assertuser: the client's.
    double getToken(double client, const std::string& type, const std::string& assert_, const std::string& assertuser,
                    double now) {
        return static_cast<double>(
            driver_.get_token(static_cast<fw::ClientId>(client), type, now, assert_, assertuser));
    }

    void abort(double call, double now) { driver_.abort(static_cast<fw::CallId>(call), now); }

    void forgetToken(double client, const std::string& type) {
        driver_.forget_token(static_cast<fw::ClientId>(client), type);
    }

    void handleResponse(double request, int status, const std::string& headers_json, const std::string& body_kind,
                        const std::string& digest_json, const std::string& text, double now) {
        fw::HttpResponse response;
        response.status = status;
        response.headers = fwb::response_headers_from_json(headers_json);
        fwb::response_body_from_json(body_kind, digest_json, text, response);
        driver_.handle_response(static_cast<fw::RequestId>(request), response, now);
    }

    void handleFailure(double request, const std::string& kind, double now) {
        driver_.handle_failure(static_cast<fw::RequestId>(request), fwb::failure_from_string(kind), now);
    }

    void handleTimer(double now) { driver_.handle_timer(now); }

private:
    JsBridge bridge_;
    fw::Driver driver_;
};

std::string digestSpec() { return fwb::dump(fw::digest_spec()); }

std::string protocolSchema() { return fwb::dump(fwb::protocol_schema()); }

std::string plan(const std::string& kind, const std::string& input_json) { return fwb::run_plan(kind, input_json); }

std::string normalizeTokenType(const std::string& type) { return fw::Session::normalize_token_type(type); }

}  // namespace

EMSCRIPTEN_BINDINGS(foreign_wasm) {
    emscripten::class_<Engine>("Engine")
        .constructor<double>()
        .function("addClient", &Engine::addClient)
        .function("removeClient", &Engine::removeClient)
        .function("startAction", &Engine::startAction)
        .function("startRest", &Engine::startRest)
        .function("getToken", &Engine::getToken)
        .function("abort", &Engine::abort)
        .function("forgetToken", &Engine::forgetToken)
        .function("handleResponse", &Engine::handleResponse)
        .function("handleFailure", &Engine::handleFailure)
        .function("handleTimer", &Engine::handleTimer);
    emscripten::function("digestSpec", &digestSpec);
    emscripten::function("normalizeTokenType", &normalizeTokenType);
    emscripten::function("protocolSchema", &protocolSchema);
    emscripten::function("plan", &plan);
}
