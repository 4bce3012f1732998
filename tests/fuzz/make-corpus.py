#!/usr/bin/env python3
"""Regenerates the seed corpus of every harness under tests/fuzz/corpus/<harness>/.

Seeds are real MediaWiki traffic (the bodies, parameters and call shapes of shared/reference/mediawiki-observed.md
and calab-example/transcript.md, as copied into tests/core/support/wiki_responses.hpp and
tests/fuzz/session/answers.cpp), encoded in each harness's input format. The encoders below mirror the decoders in
the harnesses (support/bytes.hpp reads front to back): change both together.

    python3 tests/fuzz/make-corpus.py          # rewrites tests/fuzz/corpus/
"""
import hashlib
import json
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

CSRF = "e649d821b946fa61e9f8997086295ff86b052eb0+\\"
CAT = "5c76749c30ecc02bbc5b7d8fa9b33d8a1"
PAGE = "http://127.0.0.1:8091"
DOCREF = "See http://127.0.0.2:8092/w/api.php for API usage."

# Real answers (status, headers, body) from the transcripts.
ANSWERS = [
    (200, {}, {"centralauthtoken": {"centralauthtoken": CAT}}),
    (200, {"MediaWiki-API-Error": "badtoken"},
     {"error": {"code": "badtoken", "info": "The centralauthtoken is not valid.", "*": DOCREF}}),
    (200, {"MediaWiki-API-Error": "badtoken"},
     {"errors": [{"code": "badtoken", "text": "The centralauthtoken is not valid."}], "docref": DOCREF}),
    (200, {"MediaWiki-API-Error": "notloggedin"},
     {"error": {"code": "notloggedin", "info": "Anonymous users cannot obtain a centralauthtoken.", "*": DOCREF}}),
    (200, {"MediaWiki-Login-Suppressed": "true", "MediaWiki-API-Error": "hascallback"},
     {"error": {"code": "hascallback", "info": "Tokens may not be obtained when the same-origin policy is not applied."}}),
    (200, {}, {"batchcomplete": "", "query": {"tokens": {"csrftoken": CSRF}}}),
    (200, {}, {"batchcomplete": "", "query": {"userinfo": {"id": 1, "name": "Admin"}}}),
    (200, {"MediaWiki-Login-Suppressed": "true"},
     {"batchcomplete": "", "query": {"userinfo": {"id": 0, "name": "127.0.0.1", "anon": ""}}}),
    (200, {}, {"options": "success"}),
    (200, {"MediaWiki-API-Error": "badtoken"}, {"error": {"code": "badtoken", "info": "Invalid CSRF token.", "*": DOCREF}}),
    (200, {"Retry-After": "5", "X-Database-Lag": "-1", "MediaWiki-API-Error": "maxlag"},
     {"error": {"code": "maxlag", "info": "Waiting for a database server: -1 second lagged.", "host": "", "lag": -1,
                "type": "db", "*": DOCREF}}),
    (200, {"Retry-After": "5"},
     {"errors": [{"code": "maxlag", "text": "Waiting for a database server: -1 second lagged.",
                  "data": {"host": "", "lag": -1, "type": "db"}, "module": "main"}], "docref": DOCREF}),
    (200, {"MediaWiki-API-Error": "readonly"},
     {"error": {"code": "readonly", "info": "The wiki is currently in read-only mode.", "readonlyreason": "lab"}}),
    (200, {}, {"batchcomplete": True, "warnings": {"main": {"warnings": "Unrecognized parameter: foo."}}}),
    (200, {}, {"warnings": [{"code": "unrecognizedparams", "text": "Unrecognized parameter: foo.", "module": "main"}]}),
    (200, {}, {"batchcomplete": "", "warnings": {"tokens": {"*": "Tokens may not be obtained when the same-origin policy is not applied."}}}),
    (403, {"Content-Type": "text/html"}, "'origin' parameter does not match Origin header\n"),
    (200, {"MediaWiki-CORS-Rejection": "Origin mismatch"}, {"batchcomplete": "", "query": {"userinfo": {"id": 1, "name": "Admin"}}}),
    (500, {"MediaWiki-API-Error": "internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError"},
     {"error": {"code": "internal_api_error_MediaWiki\\Rest\\HeaderParser\\HeaderParserError",
                "info": "[x] Exception caught: Only a single Origin header field allowed"}}),
    (502, {}, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"),
    (401, {"Vary": "Origin"}, {"messageTranslations": {"en": "Not accessible by anonymous user"}, "httpCode": 401, "httpReason": "Unauthorized"}),
    (403, {}, {"error": "rest-cross-origin-anon-write", "httpCode": 403, "httpReason": "Forbidden"}),
    (400, {}, {"actionModuleErrorCode": "missingparam", "messageTranslations": {"en": "The \"token\" parameter must be set."},
               "httpCode": 400, "httpReason": "Bad Request"}),
    (201, {}, {"id": 2, "title": "Calab REST page", "key": "Calab_REST_page", "latest": {"id": 3}, "content_model": "wikitext"}),
    (200, {}, {"continue": {"apcontinue": "Main_Page", "continue": "-||"}, "query": {"allpages": [{"pageid": 1, "ns": 0, "title": "Main Page"}]}}),
    (200, {}, {"query": {"tokens": 5}}),
    (200, {}, {"centralauthtoken": {"centralauthtoken": 7}}),
    (200, {}, {"query": {"userinfo": "x"}}),
    (200, {}, {"error": "x"}),
    (503, {"Retry-After": "120"}, "<html><body>Service Unavailable</body></html>"),
    (0, {}, ""),
    (200, {}, ""),
]


def jtext(value):
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Enc:
    """Writes bytes the way support/bytes.hpp reads them."""

    def __init__(self):
        self.out = bytearray()

    def u8(self, v):
        self.out.append(v & 0xFF)
        return self

    def u16(self, v):
        self.out += struct.pack("<H", v & 0xFFFF)
        return self

    def raw(self, data):
        self.out += data.encode("utf-8") if isinstance(data, str) else data
        return self

    def str8(self, s):  # Bytes::str: u8 length, then the bytes
        data = s.encode("utf-8") if isinstance(s, str) else s
        assert len(data) < 256
        return self.u8(len(data)).raw(data)

    def str16(self, s):  # Bytes::long_str: u16 length, then the bytes
        data = s.encode("utf-8") if isinstance(s, str) else s
        return self.u16(len(data)).raw(data)

    def bytes(self):
        return bytes(self.out)

    # json_gen.cpp: a string value (kind 0 → scalar → 7 → raw string)
    def json_string(self, s):
        return self.u8(0).u8(7).u8(0).str8(s)

    def json_int8(self, n):
        return self.u8(0).u8(3).u8(n & 0xFF)

    def json_object(self, members, names):  # random_object with a name table
        self.u8(len(members))
        for key, value in members:
            self.u8(0).u8(names.index(key))
            if isinstance(value, int):
                self.json_int8(value)
            else:
                self.json_string(value)
        return self


def write(harness, name, data):
    directory = os.path.join(CORPUS, harness)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# --- fuzz_params: the params object as JSON text ----------------------------------------------------------------
def params_corpus():
    seeds = {
        "userinfo": {"action": "query", "meta": "userinfo", "format": "json"},
        "tokens": {"action": "query", "meta": "tokens", "type": "csrf|watch"},
        "options-with-token": {"action": "options", "change": "userjs-calab-test=calab-1795501744", "token": CSRF},
        "allpages-continue": {"action": "query", "list": "allpages", "aplimit": 1, "apcontinue": "Main_Page", "continue": "-||"},
        "edit-flags": {"action": "edit", "title": "Main Page", "text": "x", "minor": True, "bot": False, "watchlist": None},
        "multi-values": {"titles": ["A", "B|C"], "prop": ["info", "revisions"], "pageids": [1, 2.5]},
        "blob": {"action": "upload", "file": {"$blob": 0}, "filename": "x.png"},
        "numbers": {"maxlag": -2, "formatversion": 2, "curtimestamp": 1.5, "big": 1e21, "neg": -0.0},
        "url-params": {"centralauthtoken": CAT, "origin": PAGE, "crossorigin": True},
        "unicode": {"title": "日本語 Ünïcode", "summary": "+\\ \x1f"},
        "bad-object": {"x": {"y": 1}},
        "not-an-object": ["action", "query"],
    }
    for name, value in seeds.items():
        write("fuzz_params", name + ".json", json.dumps(value, ensure_ascii=False))
    # Structural mode (not JSON): allow_blob, valid_utf8, then an object of random members.
    write("fuzz_params", "structural", Enc().u8(1).u8(1).u8(0).u8(3).u8(0).u8(0).json_string("query")
          .u8(0).u8(2).json_string("a|b").u8(0).u8(7).u8(10).u8(1).u8(5).bytes())


# --- fuzz_requests ------------------------------------------------------------------------------------------------
ACTION_URLS = ["http://127.0.0.2:8092/w/api.php", "https://en.wikipedia.org/w/api.php", "https://x.org/w/api.php?foo=bar",
               "https://x.org/w/api.php?", "https://x.org/w/api.php#frag"]
ACTION_METHODS = ["GET", "POST", "get", "Post", "PUT", "", "HEAD"]
ACTION_NAMES = ["action", "format", "origin", "crossorigin", "centralauthtoken", "token", "csrftoken", "title", "text",
                "meta", "type", "assert", "", "a b", "tok&en"]
ORIGINS = ["", "*", PAGE]
CENTRAL = ["", CAT]
TOKEN_NAMES = ["token", "", "lgtoken", "watchtoken"]
TOKENS = ["", CSRF, "+\\"]


def action_spec(url, method, params, origin, crossorigin, central, token, token_name="token"):
    e = Enc().u8(0)
    e.u8(0).u8(ACTION_URLS.index(url)).u8(0).u8(ACTION_METHODS.index(method)).u8(len(params))
    for name, value in params:
        e.u8(0).u8(ACTION_NAMES.index(name)).u8(0).str8(value).u8(255).u8(255)
    e.u8(0).u8(ORIGINS.index(origin)).u8(1 if crossorigin else 0).u8(0).u8(CENTRAL.index(central))
    e.u8(TOKEN_NAMES.index(token_name)).u8(0).u8(TOKENS.index(token)).u8(0)
    return e.bytes()


REST_BASES = ["http://127.0.0.2:8092/w/rest.php", "https://x.org/w/rest.php/", "https://x.org/w/rest.php?x=1", ""]
REST_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "get", "OPTIONS", ""]
ROUTES = ["/v1/page/{title}", "/v1/page/{title}/history", "/v1/search/title", "/coredev/v0/me/contributions", "/v1/page"]
PATH_NAMES = ["title", "x", "a", "b", ""]
QUERY_NAMES = ["q", "limit", "token", "title"]
HEADER_NAMES = ["if-match", "If-None-Match", "authorization", "Cookie", "content-type", "api-user-agent", "AUTHORIZATION"]


def rest_spec(base, method, route, path_params, query, body_members, headers):
    e = Enc().u8(1)
    e.u8(0).u8(REST_BASES.index(base)).u8(0).u8(REST_METHODS.index(method)).u8(0).u8(ROUTES.index(route))
    e.u8(0)  # valid UTF-8
    e.u8(0).json_object(path_params, PATH_NAMES)
    e.u8(0).json_object(query, QUERY_NAMES)
    if body_members is None:
        e.u8(0)
    else:
        e.u8(1).u8(9).u8(len(body_members))  # kind 9: an object with random names
        for key, value in body_members:
            e.u8(0).str8(key).json_string(value)  # no name table here: random_string directly
    e.u8(len(headers))
    for name, value in headers:
        e.u8(0).u8(HEADER_NAMES.index(name)).str8(value)
    return e.bytes()


def requests_corpus():
    w = lambda name, data: write("fuzz_requests", name, data)
    # transcript #6: GET userinfo with origin and centralauthtoken
    w("action-userinfo-central", action_spec(ACTION_URLS[0], "GET", [("action", "query"), ("meta", "userinfo"), ("format", "json")],
                                             PAGE, False, CAT, ""))
    # transcript #26: POST action=options, CAT in the URL, csrf token last in the body
    w("action-options-post", action_spec(ACTION_URLS[0], "POST", [("action", "options"), ("text", "userjs-calab-test=calab-1")],
                                         PAGE, False, CAT, CSRF))
    # mediawiki-observed §4 #52: a GET with a token must be refused
    w("action-get-with-token", action_spec(ACTION_URLS[1], "GET", [("action", "query"), ("token", CSRF)], "*", False, "", ""))
    w("action-bearer-crossorigin", action_spec(ACTION_URLS[2], "POST", [("action", "edit"), ("title", "Main Page")], "", True, "", CSRF))
    w("action-fragment", action_spec(ACTION_URLS[4], "get", [("meta", "tokens"), ("type", "csrf|watch")], "*", False, "", ""))
    # transcript #41: PUT /v1/page/{title} with a JSON body
    w("rest-put-page", rest_spec(REST_BASES[0], "PUT", ROUTES[0], [("title", "Calab REST page 1")], [],
                                 [("source", "Created via REST"), ("comment", "calab REST write")], []))
    # transcript #37: GET contributions; §5: If-None-Match
    w("rest-get-contributions", rest_spec(REST_BASES[0], "GET", ROUTES[3], [], [("limit", 20)], None, [("If-None-Match", '"3"')]))
    w("rest-history-slash", rest_spec(REST_BASES[1], "GET", ROUTES[1], [("title", "AC/DC")], [("q", "a|b")], None, []))
    w("rest-authorization-refused", rest_spec(REST_BASES[2], "POST", ROUTES[4], [], [], [("source", "x")], [("authorization", "Bearer x")]))
    # helpers: origin_of / mask_secrets / action_wire_auth
    for i, text in enumerate(["http://127.0.0.2:8092/w/api.php?centralauthtoken=" + CAT + "&lgtoken=x",
                              "HTTPS://User:pw@Foreign.Example:443/w/api.php", "http://[::1]:8080/w/rest.php",
                              "token=abc&csrftoken=&x=1#frag"]):
        w("helpers-%d" % i, Enc().u8(2).str8(text).u8(i % 4).u8(1).bytes())


# --- fuzz_classify: status selector, flags, headers, body -----------------------------------------------------------
STATUSES = [200, 0, 201, 204, 304, 400, 401, 403, 404, 429, 500, 502, 503, 301, 299, 199, 600, -1]
CLASSIFY_HEADERS = ["retry-after", "mediawiki-cors-rejection", "mediawiki-login-suppressed", "mediawiki-api-error",
                    "Retry-After", "content-type", "x-database-lag"]


def classify_corpus():
    for i, (status, headers, body) in enumerate(ANSWERS):
        for write_flag in (0, 16):
            kind = 0 if body == "" else (2 if isinstance(body, str) else 1)
            e = Enc().u8(STATUSES.index(status)).u8(kind | 8 | write_flag).u8(len(headers))
            for name, value in headers.items():
                lower = name.lower()
                e.u8(0 if lower in CLASSIFY_HEADERS else 255)
                if lower in CLASSIFY_HEADERS:
                    e.u8(CLASSIFY_HEADERS.index(lower))
                else:
                    e.str8(lower)
                e.u8(200).str8(value)
            e.raw(jtext(body))
            write("fuzz_classify", "answer-%02d%s" % (i, "-write" if write_flag else ""), e.bytes())
    # deep nesting and a body cut inside a UTF-8 character
    write("fuzz_classify", "deep", Enc().u8(0).u8(1).u8(0).raw('{"error":' + "[" * 600 + "]" * 600 + "}").bytes())
    write("fuzz_classify", "cut-utf8", Enc().u8(STATUSES.index(502)).u8(2).u8(0).raw(b"<h1>\xe6\x97").bytes())


# --- fuzz_protocol: JSON texts as the JS layer sends them ----------------------------------------------------------
def protocol_corpus():
    seeds = {
        "options-centralauth": {"apiUrl": "http://127.0.0.2:8092/w/api.php", "pageOrigin": PAGE, "auth": "centralauth",
                                "centralAuthApi": "http://127.0.0.1:8091/w/api.php", "localUser": "Admin",
                                "checkForeignLogin": True, "prefetchMaxAgeMs": 20000, "assert": "user"},
        "options-rest-bearer": {"apiUrl": "https://foreign.example/w/rest.php", "rest": True, "auth": "bearer",
                                "bearerToken": "abc", "headers": {"X-Custom": "1"}, "maxJsonDepth": 3},
        "options-anonymous": {"apiUrl": "http://127.0.0.2:8092/w/api.php", "auth": "anonymous", "parameters": {"maxlag": 5},
                              "userAgent": "fw/1.0", "userAgentOnGet": True, "timeoutMs": 1, "retryBudgetMs": 0},
        "options-bad-type": {"apiUrl": 5, "auth": "kerberos"},
        "call-action": {"client": 1, "method": "POST", "params": {"action": "options", "change": "x=y"}, "tokenType": "csrf",
                        "headers": [["Api-User-Agent", "fw"]], "timeoutMs": 1000},
        "call-rest": {"client": 1, "method": "PUT", "path": "/v1/page/{title}", "pathParams": {"title": "Main Page"},
                      "body": {"source": "x", "comment": "y"}, "headers": {"If-Match": "\"3\""}},
        "call-bad-client": {"client": -1, "method": "GET", "params": []},
        "headers-object": {"Retry-After": "5", "MediaWiki-API-Error": "maxlag"},
        "headers-pairs": [["mediawiki-login-suppressed", "true"], ["content-type", "application/json"]],
    }
    for name, value in seeds.items():
        write("fuzz_protocol", name + ".json", json.dumps(value, ensure_ascii=False))
    for i, (status, headers, body) in enumerate(ANSWERS):
        write("fuzz_protocol", "body-%02d" % i, jtext(body))


# --- fuzz_session: scenarios --------------------------------------------------------------------------------------
def canned_names():
    with open(os.path.join(HERE, "session", "answers.cpp"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("const Canned kCanned[]"):text.index("const std::size_t kCannedCount")]
    return re.findall(r'^\s*\{"([a-z0-9-]+)",', table, re.M)


CANNED = canned_names()
ACTION_CLIENT_URLS = ["http://127.0.0.2:8092/w/api.php", "https://foreign.example/w/api.php", "http://127.0.0.1:8091/w/api.php"]
REST_CLIENT_URLS = ["http://127.0.0.2:8092/w/rest.php", "https://foreign.example/w/rest.php", "https://foreign.example/api/rest_v1"]
MODES = ["centralauth", "cookies", "anonymous", "bearer"]
ACTION_CALL_METHODS = ["GET", "POST", "POST", "GET", "", "post", "PUT"]
ACTION_PARAMS = ["userinfo", "options", "edit", "allpages", "purge", "upload", "bad"]
TOKEN_TYPES = ["", "csrf", "", "edit", "watch", "login", "rollback", "bogus"]
REST_CALL_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "put", "get"]
REST_PATHS = ["/v1/page/{title}", "/coredev/v0/me/contributions", "/v1/page", "/v1/page/{title}/history"]
GET_TOKEN_TYPES = ["csrf", "edit", "watch", "login", "", "patrol", "csrf|watch"]
JUMPS = [0, 1, 4999, 5000, 5001, 20000, 20001, 30000, 60000, 65001, 1e6]
FAILURES = ["network", "timeout", "abort"]


class Scenario(Enc):
    def __init__(self, foreign_logged_in=True):
        super().__init__()
        self.u8(1 if foreign_logged_in else 0)

    def client(self, mode="centralauth", rest=False, url=0, page=0, central="shared", user=0, fallback=False,
               check_login=False, prefetch=0, assertion=0, defaults=4, shape_extra=0):
        shape = (1 if rest else 0) | (2 if fallback else 0) | (4 if check_login else 0) | shape_extra
        self.u8(0).u8(shape).u8(url).u8(page).u8(MODES.index(mode))
        self.u8(["shared", "own", "meta", "target"].index(central))
        if central == "target":
            self.u8(1)
        self.u8(user)
        if mode != "bearer":
            self.u8(255)  # no bearer token for the other modes
        self.u8(0).u8(prefetch).u8(assertion).u8(defaults)
        self.u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)  # timeout, retry budget, readonly wait: the defaults
        return self

    def action(self, client=0, method="GET", params="userinfo", token="", headers=False):
        self.u8(2).u8(client).u8(ACTION_CALL_METHODS.index(method)).u8(ACTION_PARAMS.index(params))
        return self.u8(TOKEN_TYPES.index(token)).u8(1 if headers else 0).u8(0)

    def rest(self, client=0, method="GET", path=0, body=3, headers=2):
        return self.u8(4).u8(client).u8(REST_CALL_METHODS.index(method)).u8(path).u8(1).u8(0).u8(body).u8(headers).u8(0)

    def get_token(self, client=0, type="csrf"):
        return self.u8(5).u8(client).u8(GET_TOKEN_TYPES.index(type))

    def natural(self, index=0, times=1):
        for _ in range(times):
            self.u8(8).u16(index).u8(0)
        return self

    def canned(self, name, index=0):
        return self.u8(8).u16(index).u8(100).u8(CANNED.index(name))

    def fuzzed(self, status, body, index=0, headers=(), kind=0):
        self.u8(8).u16(index).u8(230).u16((status - 200) * 8 + 1 if status >= 200 else 0).u8(len(headers))
        for name, value in headers:
            self.u8(name).u8(value)
        return self.u8(kind).str16(body)

    def fail(self, failure, index=0):
        return self.u8(11).u16(index).u8(FAILURES.index(failure))

    def clock(self, jump):
        return self.u8(12).u8(JUMPS.index(jump))

    def abort(self, call_index=0):
        return self.u8(6).u8(call_index)

    def forget(self, client=0, type="csrf"):
        return self.u8(7).u8(client).u8(GET_TOKEN_TYPES.index(type))

    def remove(self, client=0):
        return self.u8(14).u8(client)

    def settle(self, mode=0):
        return self.u8(mode)


def session_corpus():
    s = {}
    # calab transcript #3 + #6: a CentralAuth read; then the prefetched token for the next one
    s["central-read"] = Scenario().client().action().natural(times=2).action().natural(times=3).settle()
    # #23–#26: csrf token fetched with one centralauthtoken, the POST with another
    s["central-write"] = Scenario().client().action(method="POST", params="options", token="csrf").natural(times=4).settle()
    # #7: a used centralauthtoken is refused; the call retries with a fresh one
    s["central-badtoken"] = (Scenario().client().action().natural().canned("badtoken-central")
                             .natural(times=2).settle())
    s["central-badtoken-fv2"] = Scenario().client().action().natural().canned("badtoken-central-fv2").natural(times=2).settle()
    # #4: not logged in on the local wiki, with and without the anonymous fallback
    s["central-notloggedin"] = Scenario().client().action().canned("central-notloggedin").settle()
    s["central-fallback"] = Scenario().client(fallback=True).action().canned("central-notloggedin").natural().settle()
    s["central-no-extension"] = Scenario().client().action(method="POST", params="edit", token="csrf").canned("central-badvalue").settle()
    # check_foreign_login: the user is (or is not) already logged in on the foreign wiki
    s["login-check"] = Scenario().client(check_login=True).action().natural(times=4).action(method="POST", params="options", token="csrf").natural(times=3).settle()
    s["login-check-anon"] = Scenario(False).client(check_login=True).action().natural(times=4).settle()
    s["login-check-odd"] = Scenario().client(check_login=True).action().canned("odd-userinfo-string").natural(times=3).settle()
    # mediawiki-observed §4: maxlag with Retry-After, readonly, ratelimited, csrf badtoken
    s["maxlag-write"] = Scenario().client("cookies").action(method="POST", params="edit", token="csrf").natural().canned("maxlag").clock(5000).natural().settle()
    s["maxlag-fv2"] = Scenario().client("cookies").action().canned("maxlag-fv2").clock(5001).natural().settle()
    s["readonly-write"] = Scenario().client("cookies").action(method="POST", params="options", token="csrf").natural().canned("readonly").clock(30000).natural().settle()
    s["ratelimited"] = Scenario().client("cookies").action(method="POST", params="edit", token="csrf").natural().canned("ratelimited").settle()
    s["csrf-badtoken"] = Scenario().client("cookies").action(method="POST", params="options", token="csrf").natural().canned("badtoken-csrf").natural(times=2).settle()
    # ambiguous outcomes of a write: 500, 502, status 0, timeout, HTML, empty
    for name in ["http-500-html", "http-502-nginx", "opaque-0", "html-200", "empty-200", "internal-api-error", "cors-rejected"]:
        s["write-" + name] = Scenario().client().action(method="POST", params="options", token="csrf").natural(times=3).canned(name).settle()
    s["write-timeout"] = Scenario().client("cookies").action(method="POST", params="edit", token="csrf").natural().fail("timeout").settle()
    s["write-503-retry-after"] = Scenario().client("cookies").action(method="POST", params="edit", token="csrf").natural().canned("http-503-retry-after").clock(1e6).natural().settle()
    s["read-opaque-central"] = Scenario().client().action().natural().canned("opaque-0").natural(times=2).settle()
    s["origin-mismatch"] = Scenario().client("cookies").action().canned("origin-mismatch").settle()
    # odd-typed answers to each kind of request
    for name in ["odd-tokens-number", "odd-query-number", "odd-csrftoken-number", "odd-tokens-array", "json-string"]:
        s["token-" + name] = Scenario().client("cookies").action(method="POST", params="options", token="csrf").canned(name).settle()
    for name in ["odd-central-number", "odd-central-string", "odd-central-empty", "json-null", "html-200"]:
        s["central-" + name] = Scenario().client().action().canned(name).settle()
    s["fuzzed-deep-body"] = Scenario().client("cookies").action().fuzzed(200, '{"query":' + "[" * 80 + "]" * 80 + "}").settle()
    # REST (transcript #35–#52): CentralAuthToken header, cookie-session csrf in the body, Bearer
    s["rest-central-put"] = Scenario().client(rest=True).rest(method="PUT", body=0).natural(times=2).settle()
    s["rest-central-get-401"] = Scenario().client(rest=True).rest(path=1).natural().canned("rest-401-anon").settle()
    s["rest-cookies-put"] = Scenario().client("cookies", rest=True).rest(method="PUT", body=0).natural(times=2).settle()
    s["rest-bearer"] = Scenario().client("bearer", rest=True, url=1).rest(method="POST", path=2, body=0).natural().get_token().natural().settle()
    s["rest-anon-write-403"] = Scenario().client("anonymous", rest=True).rest(method="PUT", body=0).canned("rest-403-anon-write").settle()
    # tokens: get_token, forget_token, a shared fetch between two clients, a client removed mid-fetch
    s["get-forget-token"] = Scenario().client("cookies").get_token().natural().forget().get_token().natural().settle()
    s["shared-token-fetch"] = (Scenario().client("cookies").client("cookies").action(0, "POST", "options", "csrf")
                               .action(1, "POST", "edit", "csrf").natural(times=3).settle())
    s["abort-in-flight"] = Scenario().client("cookies").action(method="POST", params="edit", token="csrf").natural().abort().settle()
    s["prefetch-expired"] = Scenario().client().action().natural(times=3).clock(20001).action().natural(times=3).settle()
    s["bearer-action"] = Scenario().client("bearer", url=1).action(method="POST", params="edit", token="csrf").natural(times=2).settle()
    s["anonymous-token"] = Scenario().client("anonymous").action(method="POST", params="options", token="csrf").natural().settle()
    s["settle-by-failures"] = Scenario().client().action().action(method="POST", params="options", token="csrf").settle(1)
    s["settle-by-timeouts"] = Scenario().client(rest=True).rest(method="PUT", body=0).settle(2)
    for name, data in s.items():
        write("fuzz_session", name, data.bytes())


# The corpora written here. The others (fuzz_plans, fuzz_oauth1) are committed as they are, and so are the
# fuzzers' findings kept as regression inputs (regression-*) in any corpus: regenerating leaves them alone.
GENERATED = ("fuzz_params", "fuzz_requests", "fuzz_classify", "fuzz_protocol", "fuzz_session")


def main():
    for harness in GENERATED:
        directory = os.path.join(CORPUS, harness)
        for name in os.listdir(directory) if os.path.isdir(directory) else []:
            if not name.startswith("regression-"):
                os.remove(os.path.join(directory, name))
    params_corpus()
    requests_corpus()
    classify_corpus()
    protocol_corpus()
    session_corpus()
    for harness in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, harness))
        size = sum(os.path.getsize(os.path.join(CORPUS, harness, f)) for f in files)
        print("%-14s %3d seeds, %6d bytes" % (harness, len(files), size))


if __name__ == "__main__":
    main()
