// The embind surface: one class, Engine, wrapping fw::Session. Everything crosses as JSON text or plain numbers so
// the JS side needs no embind value types and the C++ side owns no JS objects. JS owns each Engine and must call
// .delete() on it. Ids are uint64 in the core and doubles here: exact up to 2^53, far beyond any session's count.
#include <emscripten/bind.h>

#include <map>
#include <string>

#include "fw/session.hpp"
#include "protocol.hpp"

namespace {

using fw::json;

json error_result(const fw::Error& error) {
    json j = json::object();
    j["error"] = fwb::error_to_json(error);
    return j;
}

class Engine {
public:
    // '{"ok":id}' or '{"error":{category,code,info,status,result}}'.
    std::string addClient(const std::string& options_json) {
        json object;
        fw::ClientOptions options;
        auto error = fwb::parse_object(options_json, "options", object);
        if (!error) error = fwb::client_options_from_json(object, options);
        if (error) return fwb::dump(error_result(*error));
        auto id = session_.add_client(options);
        if (!id) return fwb::dump(error_result(id.error()));
        json ok = json::object();
        ok["ok"] = id.value();
        return fwb::dump(ok);
    }

    void removeClient(double client) { session_.remove_client(static_cast<fw::ClientId>(client)); }

    double startAction(const std::string& call_json, double now) {
        json object;
        fw::ActionCall call;
        auto error = fwb::parse_object(call_json, "call", object);
        if (!error) error = fwb::action_call_from_json(object, call);
        if (error) return reject(*error, now);
        return static_cast<double>(session_.start_action(call, now));
    }

    double startRest(const std::string& call_json, double now) {
        json object;
        fw::RestCall call;
        auto error = fwb::parse_object(call_json, "call", object);
        if (!error) error = fwb::rest_call_from_json(object, call);
        if (error) return reject(*error, now);
        return static_cast<double>(session_.start_rest(call, now));
    }

    // mw.Api's getToken: a call that completes with {"token": …} from the engine's cache or one shared fetch.
    double getToken(double client, const std::string& type, double now) {
        return static_cast<double>(session_.get_token(static_cast<fw::ClientId>(client), type, now));
    }

    void abort(double call, double now) { session_.abort(static_cast<fw::CallId>(call), now); }

    void forgetToken(double client, const std::string& type) {
        session_.forget_token(static_cast<fw::ClientId>(client), type);
    }

    void handleResponse(double request, int status, const std::string& headers_json, const std::string& body_kind,
                        const std::string& digest_json, const std::string& text, double now) {
        fw::HttpResponse response;
        response.status = status;
        response.headers = fwb::response_headers_from_json(headers_json);
        fwb::response_body_from_json(body_kind, digest_json, text, response);
        session_.handle_response(static_cast<fw::RequestId>(request), response, now);
    }

    void handleFailure(double request, const std::string& kind, double now) {
        session_.handle_failure(static_cast<fw::RequestId>(request), fwb::failure_from_string(kind), now);
    }

    void handleTimeout(double now) { session_.handle_timeout(now); }

    // Everything the session has to say after an input, in one string:
    // {"requests":[…],"cancels":[…],"events":[…],"timeout":<absolute ms on the driver's clock>|null}.
    std::string drain() {
        json out = json::object();
        out["requests"] = json::array();
        out["cancels"] = json::array();
        out["events"] = json::array();
        while (auto request = session_.poll_request()) out["requests"].push_back(fwb::request_to_json(*request));
        while (auto cancel = session_.poll_cancel()) out["cancels"].push_back(*cancel);
        while (auto event = session_.poll_event()) {
            json j = fwb::event_to_json(*event);
            // A call whose JSON never parsed: report the parse error, not the core's "unknown client".
            if (event->kind == fw::Event::Kind::Failed) {
                auto it = rejected_.find(event->failed.call);
                if (it != rejected_.end()) {
                    j["error"] = fwb::error_to_json(it->second);
                    rejected_.erase(it);
                }
            }
            out["events"].push_back(std::move(j));
        }
        auto timeout = session_.next_timeout();
        out["timeout"] = timeout ? json(*timeout) : json(nullptr);
        return fwb::dump(out);
    }

private:
    // Invalid call JSON still gets a real CallId and exactly one Failed event, like every other misuse: the core is
    // handed a call for client 0 (never issued), which it fails at once, and drain() swaps in the real reason.
    double reject(const fw::Error& error, double now) {
        fw::ActionCall invalid;
        invalid.client = 0;
        const fw::CallId id = session_.start_action(invalid, now);
        rejected_[id] = error;
        return static_cast<double>(id);
    }

    fw::Session session_;
    std::map<fw::CallId, fw::Error> rejected_;
};

std::string digestSpec() { return fwb::dump(fw::digest_spec()); }

std::string normalizeTokenType(const std::string& type) { return fw::Session::normalize_token_type(type); }

}  // namespace

EMSCRIPTEN_BINDINGS(foreign_wasm) {
    emscripten::class_<Engine>("Engine")
        .constructor<>()
        .function("addClient", &Engine::addClient)
        .function("removeClient", &Engine::removeClient)
        .function("startAction", &Engine::startAction)
        .function("startRest", &Engine::startRest)
        .function("getToken", &Engine::getToken)
        .function("abort", &Engine::abort)
        .function("forgetToken", &Engine::forgetToken)
        .function("handleResponse", &Engine::handleResponse)
        .function("handleFailure", &Engine::handleFailure)
        .function("handleTimeout", &Engine::handleTimeout)
        .function("drain", &Engine::drain);
    emscripten::function("digestSpec", &digestSpec);
    emscripten::function("normalizeTokenType", &normalizeTokenType);
}
