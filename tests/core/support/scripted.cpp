#include "scripted.hpp"

namespace fwtest {

HttpResponse response(int status, const std::string& body, Headers headers) {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    if (body.empty()) {
        r.body_kind = fw::ResponseBody::Empty;
        return r;
    }
    auto parsed = fw::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        r.body_kind = fw::ResponseBody::Text;
        r.text = body;
    } else {
        r.body_kind = fw::ResponseBody::Json;
        r.body = std::move(parsed);
    }
    return r;
}

HttpResponse opaque_failure() {
    HttpResponse r;
    r.status = 0;
    return r;
}

Drained drain(fw::Session& session) {
    Drained d;
    while (auto r = session.poll_request()) d.requests.push_back(std::move(*r));
    while (auto c = session.poll_cancel()) d.cancels.push_back(*c);
    while (auto e = session.poll_event()) d.events.push_back(std::move(*e));
    return d;
}

std::string percent_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else if (text[i] == '+') {
            out += ' ';
        } else {
            out += text[i];
        }
    }
    return out;
}

static std::string query_part(const std::string& s) {
    auto q = s.find('?');
    if (q != std::string::npos) return s.substr(q + 1);
    if (s.find("://") != std::string::npos) return "";
    return s;
}

static bool find_param(const std::string& url_or_body, const std::string& name, std::string& value) {
    std::string q = query_part(url_or_body);
    std::size_t pos = 0;
    while (pos <= q.size()) {
        auto amp = q.find('&', pos);
        std::string pair = q.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        auto eq = pair.find('=');
        if (percent_decode(pair.substr(0, eq)) == name) {
            value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
            return true;
        }
        if (amp == std::string::npos) break;
        pos = amp + 1;
    }
    return false;
}

std::string param(const std::string& url_or_body, const std::string& name) {
    std::string v;
    return find_param(url_or_body, name, v) ? v : "<absent>";
}

bool has_param(const std::string& url_or_body, const std::string& name) {
    std::string v;
    return find_param(url_or_body, name, v);
}

}  // namespace fwtest
