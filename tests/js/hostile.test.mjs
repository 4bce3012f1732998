// Answers a broken proxy, a misconfigured wiki or an attacker can send, through the real transport and the wasm
// core: every status, every body (empty, cut off, HTML, any JSON type at the top and in the fields the library reads,
// deep nesting, over the size bound, lone surrogates, invalid UTF-8), and a trapped module. Every call settles
// exactly once with a result or a named error, nothing is thrown outside the promise, and a write resolves only on
// MediaWiki's success shape (otherwise performed: 'maybe', never repeated).
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { BUILDS, loadBuild, json, text, wiki } from './harness.mjs';
import { body } from './fixtures.mjs';

const PAGE = 'https://tools.example.net';

// Anything thrown outside a promise the library returned ends a Node process; record it instead.
const escaped = [];
const record = (error) => escaped.push(error);
process.on('uncaughtException', record);
process.on('unhandledRejection', record);

/** Settles `promise` and reports how: {value} or {error}, failing on a second settlement of the jQuery face. */
async function outcome(promise) {
  let settled = 0;
  promise.done(() => (settled += 1)).fail(() => (settled += 1));
  const result = await promise.then((value) => ({ value }), (error) => ({ error }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(settled, 1, 'settled exactly once');
  return result;
}

/** A body stream that sends `first` and then breaks, as a reset connection does. */
function cutOff(first, { status = 200 } = {}) {
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
      setTimeout(() => controller.error(new TypeError('terminated')), 1);
    },
  });
  return new Response(stream, { status, headers: { 'content-type': 'application/json' } });
}

function nested(depth, leaf = '1') {
  return '['.repeat(depth) + leaf + ']'.repeat(depth);
}

/**
 * Makes the next call into the module (any export, e.g. malloc while a string crosses) trap, as an out-of-memory
 * abort or an exhausted stack would: WebAssembly.instantiate of `WA` hands out instances whose exports throw a
 * RuntimeError once armed.
 */
function trappable(WA) {
  const state = { armed: false, instances: 0 };
  const original = WA.instantiate.bind(WA);
  WA.instantiate = async (...args) => {
    const result = await original(...args);
    const instance = result.instance ?? result;
    const exports = {};
    for (const [name, value] of Object.entries(instance.exports)) {
      exports[name] = typeof value !== 'function' ? value : (...a) => {
        if (state.armed) {
          state.armed = false;
          throw new WA.RuntimeError('unreachable (injected trap)');
        }
        return value(...a);
      };
    }
    state.instances += 1;
    const wrapped = { exports };
    return result.instance ? { module: result.module, instance: wrapped } : wrapped;
  };
  return state;
}

for (const kind of BUILDS) {
  describe(`hostile answers [${kind}]`, () => {
    let env;
    let lib;
    let trap;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
      trap = trappable(kind === 'script' ? vm.runInContext('WebAssembly', env.global) : WebAssembly);
    });
    afterEach(() => env.reset());
    after(() => assert.deepEqual(escaped, [], 'nothing escaped the returned promises'));

    /** A cookie-mode write on a fresh wiki, answered by `answer` after the csrf token; returns {outcome, posts}. */
    async function write(answer, options = {}) {
      const b = wiki();
      env.net.reply((r) => (r.method === 'GET' ? json(body.csrfTokens()) : answer(r)));
      const api = new lib.ForeignApi(b.api, options);
      const result = await outcome(api.postWithToken('csrf', { action: 'edit', title: 'A', text: 'x' }));
      return { ...result, posts: env.net.requests.filter((r) => r.method === 'POST').length };
    }

    it('a write resolves only on its module\'s result; every other 2xx is performed: maybe, and never repeated', async () => {
      env.setPage({ origin: PAGE });
      const odd = ['{"error":"boom"}', '{"error":1}', '{"errors":{}}', '{"errors":[]}', '[1,2]', '"saved"', '5', 'true',
        'null', '{}', '[]', '{"warnings":{"main":{"*":"x"}}}', '<html>Saved!</html>', '', '{"query":{}}', '{"saved":true}',
        '{"edit":5}', '{"edit":null}', '{"upload":{"result":"Success"}}'];
      for (const answer of odd) {
        env.net.reset();
        const { error, posts } = await write(() => new Response(answer, { status: 200 }));
        assert.ok(error instanceof lib.ForeignApiError, `${answer}: ${error}`);
        assert.equal(posts, 1, `${answer}: not repeated`);
        assert.equal(error.performed, 'maybe', answer);
      }
      env.net.reset();
      const ok = await write(() => json({ edit: { result: 'Success', pageid: 1 } }));
      assert.deepEqual(JSON.parse(JSON.stringify(ok.value)), { edit: { result: 'Success', pageid: 1 } });
      env.net.reset();
      const refused = await write(() => json({ error: { code: 'protectedpage', info: 'This page has been protected.' } }));
      assert.equal(refused.error.code, 'protectedpage');
      assert.equal(refused.error.performed, 'no', 'a MediaWiki refusal is certain');
    });

    it('every status settles once with a result or a named error, for reads and writes', async () => {
      env.setPage({ origin: PAGE });
      const statuses = [200, 201, 202, 204, 206, 299, 301, 304, 400, 401, 403, 404, 409, 413, 418, 429, 500, 502, 503, 504, 599];
      for (const status of statuses) {
        const bodyless = status === 204 || status === 304;
        for (const payload of ['', '<h1>x</h1>', '{"error":{"code":"x","info":"y"}}', '{"query":{}}', '{"edit":{"result":"Success"}}']) {
          if (bodyless && payload) continue;
          env.net.reply(() => new Response(payload || null, { status }));
          const api = new lib.ForeignApi(wiki().api);
          const read = await outcome(api.get({ meta: 'siteinfo' }));
          if (read.error) assert.ok(read.error instanceof lib.ForeignApiError, `${status} ${payload}: ${read.error}`);
          else assert.ok(status >= 200 && status < 300 && payload.startsWith('{"'), `${status} ${payload} resolved`);
          env.net.reset();
          const w = await write(() => new Response(payload || null, { status }));
          // The edit's own result in a 2xx is the one success shape of action=edit.
          if (w.error) assert.ok(w.error instanceof lib.ForeignApiError, `write ${status} ${payload}: ${w.error}`);
          else assert.ok(status >= 200 && status < 300 && payload.startsWith('{"edit"'), `write ${status} ${payload} resolved`);
          assert.equal(w.posts, 1);
          env.net.reset();
        }
      }
    });

    it('a body cut off mid-way is a NetworkError; for a write, performed: maybe', async () => {
      env.setPage({ origin: PAGE });
      env.net.reply(() => cutOff('{"query":{"userinfo":'));
      const read = await outcome(new lib.ForeignApi(wiki().api).get({ meta: 'userinfo' }));
      assert.ok(read.error instanceof lib.NetworkError, String(read.error));
      assert.equal(read.error.performed, 'no');
      env.net.reset();
      const w = await write(() => cutOff('{"edit":{"result":"Succ'));
      assert.ok(w.error instanceof lib.NetworkError);
      assert.equal(w.error.performed, 'maybe');
      assert.equal(w.posts, 1);
    });

    it('an answer over maxBodyBytes is not read: ResponseError response-too-large, with or without Content-Length', async () => {
      env.setPage({ origin: PAGE });
      const big = JSON.stringify({ query: { pages: 'x'.repeat(5000) } });
      for (const headers of [{}, { 'content-length': String(big.length) }]) {
        env.net.reply(() => new Response(big, { headers }));
        const api = new lib.ForeignApi(wiki().api, { maxBodyBytes: 1000 });
        const { error } = await outcome(api.get({ meta: 'siteinfo' }));
        assert.ok(error instanceof lib.ResponseError, String(error));
        assert.equal(error.code, 'response-too-large');
      }
      env.net.reply(() => new Response(big));
      const { value } = await outcome(new lib.ForeignApi(wiki().api).get({ meta: 'siteinfo' }));
      assert.equal(value.query.pages.length, 5000, 'the default bound (32 MiB) lets it through');
    });

    it('deep nesting where the library reads is response-too-deep; elsewhere the caller gets it whole', async () => {
      env.setPage({ origin: PAGE });
      env.net.reply(() => new Response(`{"error":{"code":"x","info":${nested(100000)}}}`));
      const deep = await outcome(new lib.ForeignApi(wiki().api).get({ meta: 'siteinfo' }));
      assert.ok(deep.error instanceof lib.ResponseError, String(deep.error));
      assert.equal(deep.error.code, 'response-too-deep');
      env.net.reply(() => new Response(`{"parse":{"text":${nested(5000, '"x"')}}}`));
      const { value } = await outcome(new lib.ForeignApi(wiki().api).get({ action: 'parse' }));
      assert.ok(Array.isArray(value.parse.text), 'the full body, not the digest');
      env.net.reply(() => new Response(`{"warnings":${nested(40, '{"main":{"*":"w"}}')},"query":{}}`));
      const strict = await outcome(new lib.ForeignApi(wiki().api, { maxJsonDepth: 8 }).get({ meta: 'siteinfo' }));
      assert.equal(strict.error.code, 'response-too-deep');
    });

    it('lone surrogates and invalid UTF-8 reach the core replaced, and the call goes on', async () => {
      env.setPage({ origin: PAGE });
      const warnings = [];
      env.net.reply(() => new Response('{"warnings":{"main":{"*":"half \\ud800 pair \\udc00"}},"query":{"userinfo":{"id":1,"name":"A\\udfff"}}}'));
      const api = new lib.ForeignApi(wiki().api, { onWarnings: (w) => warnings.push(...w) });
      const { value } = await outcome(api.get({ meta: 'userinfo' }));
      assert.equal(value.query.userinfo.name, 'A\udfff', 'the caller gets the body as parsed');
      assert.equal(warnings[0].text, 'half \ufffd pair \ufffd');
      env.net.reply(() => new Response(new Uint8Array([0x7b, 0x22, 0x65, 0x72, 0x72, 0x6f, 0x72, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])));
      const bad = await outcome(api.get({ meta: 'userinfo' }));
      assert.equal(bad.error.code, 'unknown', '{"error":"\\xff\\xfe"}: an error of unknown shape');
    });

    it('odd token and centralauthtoken answers fail the call by name and send nothing with them', async () => {
      env.setPage({ origin: PAGE });
      for (const tokens of [5, [], { csrftoken: 5 }, { csrftoken: 'a\r\nb' }, { csrftoken: '' }]) {
        env.net.reply((r) => (r.method === 'GET' ? json({ query: { tokens } }) : json({ edit: { result: 'Success' } })));
        const api = new lib.ForeignApi(wiki().api);
        const { error } = await outcome(api.postWithToken('csrf', { action: 'edit', title: 'A', text: 'x' }));
        assert.equal(error.code, 'token-missing', JSON.stringify(tokens));
        assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 0);
        env.net.reset();
      }
      const a = wiki('a');
      for (const answer of [{ centralauthtoken: { centralauthtoken: 7 } }, { centralauthtoken: 'x' }, [], { centralauthtoken: { centralauthtoken: 'a&b=c' } }]) {
        env.net.reply(() => json(answer));
        const api = new lib.ForeignApi(wiki().api, { centralAuth: a.api, localUser: 'Admin' });
        const { error } = await outcome(api.get({ meta: 'userinfo' }));
        assert.ok(error instanceof lib.CentralAuthError, JSON.stringify(answer));
        assert.equal(env.net.requests.length, 1, 'only the token request went out');
        env.net.reset();
      }
    });

    it('a trapped module fails the pending calls with EngineError; the next call gets a new engine', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      let release;
      const held = new Promise((resolve) => (release = resolve));
      env.net.reply(async (r) => {
        if (r.u.searchParams.get('meta') === 'siteinfo') await held;
        return r.method === 'GET' ? json(body.userinfoAdmin) : json({ edit: { result: 'Success' } });
      });
      const api = new lib.ForeignApi(b.api);
      await api.get({ meta: 'userinfo' }); // the engine is up
      const before = trap.instances;
      const pending = outcome(api.get({ meta: 'siteinfo' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      trap.armed = true; // the answer's strings cross into the module: the trap hits inside handleResponse
      release();
      const { error } = await pending;
      assert.ok(error instanceof lib.EngineError, String(error));
      assert.equal(error.code, 'wasm-trap');
      assert.equal(error.performed, 'no');
      assert.ok(error.cause instanceof env.builtin('Error'), 'the trap is the cause');
      // The same instance keeps working, on a new engine.
      const again = await outcome(api.get({ meta: 'userinfo' }));
      assert.equal(again.value.query.userinfo.name, 'Admin');
      assert.equal(trap.instances, before + 1, 'a fresh module instance');
      // A trap while a call starts rejects that call too.
      trap.armed = true;
      const started = await outcome(api.get({ meta: 'userinfo' }));
      assert.ok(started.error instanceof lib.EngineError);
      assert.equal((await outcome(api.get({ meta: 'userinfo' }))).value.query.userinfo.id, 1);
    });
  });
}
