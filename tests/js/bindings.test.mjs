// The embind surface itself (wasm/bindings): JSON in, JSON out through the fetch bridge's imports, and no input can
// abort the module. Exercised on the ES module build's core directly, with a host that records what the bridge asks
// for during each input; the script build links the same objects.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST } from './harness.mjs';
import { body } from './fixtures.mjs';

describe('wasm bindings: the JSON protocol of Engine', () => {
  let Module;
  let engine;
  const fresh = () => ({ requests: [], cancels: [], events: [], timers: [] });
  let seen = fresh();
  const host = {
    fetch: (json) => seen.requests.push(JSON.parse(json)),
    cancel: (id, timedOut) => seen.cancels.push([id, timedOut]),
    setTimer: (deadline) => seen.timers.push(deadline),
    emit: (json) => seen.events.push(JSON.parse(json)),
  };
  /** What the bridge was asked for since the last look. */
  const drain = () => {
    const out = seen;
    seen = fresh();
    return out;
  };
  before(async () => {
    Module = await (await import(pathToFileURL(join(DIST, 'foreign-wasm-core.mjs')).href)).default();
    Module.fwHosts = { 7: host };
    engine = new Module.Engine(7);
  });
  after(() => engine.delete());

  it('addClient: {"ok": id}, or {"error"} for malformed JSON, wrong types and unknown fields', () => {
    const ok = JSON.parse(engine.addClient(JSON.stringify({ apiUrl: 'https://b.example.org/w/api.php', auth: 'anonymous' })));
    assert.equal(typeof ok.ok, 'number');
    for (const [input, code] of [
      ['{', 'bad-json'],
      ['[]', 'bad-json'],
      ['', 'bad-json'],
      ['{"apiUrl": 5}', 'bad-options'],
      ['{"apiUrl": "https://b.example.org/w/api.php", "auth": "kerberos"}', 'bad-options'],
      ['{"apiUrl": "https://b.example.org/w/api.php", "timeoutMs": -1}', 'bad-options'],
      ['{"apiUrl": "https://b.example.org/w/api.php", "apiurl": "x"}', 'bad-options'],
      ['{"apiUrl": "https://b.example.org/w/api.php", "headers": {"x": 1}}', 'bad-options'],
      ['{"apiUrl": "not a url"}', 'bad-url'],
      ['{"apiUrl": "https://b.example.org/w/api.php", "auth": "bearer"}', 'bad-auth'],
    ]) {
      const answer = JSON.parse(engine.addClient(input));
      assert.equal(answer.error?.category, 'usage', input);
      assert.equal(answer.error.code, code, input);
      assert.ok(answer.error.info.length > 0);
    }
  });

  it('a call whose JSON is malformed still gets an id and exactly one failed event with the parse error', () => {
    for (const [input, code] of [['{', 'bad-json'], ['{"client": -1}', 'bad-call'], ['{"client": 1, "params": []}', 'bad-call'], ['{"x": 1}', 'bad-call']]) {
      const id = engine.startAction(input, 0);
      const out = drain();
      assert.deepEqual(out.requests, []);
      assert.equal(out.events.length, 1);
      assert.deepEqual(
        { type: out.events[0].type, call: out.events[0].call, category: out.events[0].error.category, code: out.events[0].error.code },
        { type: 'failed', call: id, category: 'usage', code },
        input,
      );
    }
    const rest = engine.startRest('nope', 0);
    assert.equal(drain().events[0].call, rest);
  });

  it('requests, events and the one timer come out with the documented camelCase fields', () => {
    const client = JSON.parse(engine.addClient(JSON.stringify({ apiUrl: 'https://c.example.org/w/api.php', pageOrigin: 'https://a.example.org' }))).ok;
    const call = engine.startAction(JSON.stringify({ client, method: 'POST', params: { action: 'purge', titles: ['A', 'B'] }, headers: { 'X-Extra': 'y' }, timeoutMs: 5000 }), 10);
    const out = drain();
    assert.deepEqual(out.timers, [5010], 'the request\'s timeout is the driver\'s one timer');
    const [r] = out.requests;
    assert.deepEqual(Object.keys(r).sort(), ['body', 'bodyKind', 'call', 'credentials', 'displayUrl', 'headers', 'id', 'maxBodyBytes', 'maxJsonDepth', 'method', 'noStore', 'purpose', 'timeoutMs', 'url', 'why']);
    assert.deepEqual([r.maxBodyBytes, r.maxJsonDepth], [32 * 1024 * 1024, 32], 'the bounds the transport enforces, with their defaults');
    assert.equal(r.call, call);
    assert.equal(r.purpose, 'call');
    assert.equal(r.bodyKind, 'form');
    assert.equal(r.body, 'titles=A%7CB');
    assert.equal(r.credentials, 'include');
    assert.equal(r.timeoutMs, 5000);
    assert.ok(r.headers.some(([k, v]) => k === 'x-extra' && v === 'y'), 'header names lower-cased, [name, value] pairs');

    // maxlag with Retry-After: the call waits, and the timer is set to the absolute deadline on the driver's clock
    engine.handleResponse(r.id, 200, JSON.stringify([['retry-after', '2'], ['mediawiki-api-error', 'maxlag']]), 'json', JSON.stringify(body.maxlag), '', 100);
    const waiting = drain();
    assert.deepEqual(waiting.events, []);
    assert.deepEqual(waiting.timers, [2100]);
    engine.handleTimer(2100);
    const again = drain();
    const retry = again.requests[0];
    assert.deepEqual(again.timers, [7100]);
    assert.equal(retry.purpose, 'retry');
    engine.handleResponse(retry.id, 200, '[]', 'json', JSON.stringify({ purge: [{ ns: 0, title: 'A', purged: '' }] }), '', 2200);
    const [done] = drain().events;
    assert.deepEqual(Object.keys(done).sort(), ['anonymousFallback', 'call', 'responseOf', 'type', 'warnings']);
    assert.deepEqual([done.type, done.call, done.responseOf], ['completed', call, retry.id]);
  });

  it('malformed response input never aborts: bad headers are dropped, a bad digest becomes a text body', () => {
    const client = JSON.parse(engine.addClient(JSON.stringify({ apiUrl: 'https://d.example.org/w/api.php' }))).ok;
    engine.startAction(JSON.stringify({ client, params: { meta: 'userinfo' } }), 0);
    const [r] = drain().requests;
    engine.handleResponse(r.id, 200, 'not json', 'json', '{"broken', '', 1);
    const [failed] = drain().events;
    assert.equal(failed.type, 'failed');
    assert.equal(failed.error.category, 'response');
    assert.equal(failed.error.code, 'invalidjson');
    // invalid UTF-8 never reaches dump(): a lone surrogate from JS arrives replaced, and answers are still JSON
    engine.startAction(JSON.stringify({ client, params: { meta: 'userinfo' } }), 0);
    const [r2] = drain().requests;
    engine.handleResponse(r2.id, 502, '[]', 'text', '', 'Bad gateway \ud800', 2);
    const [http] = drain().events;
    assert.equal(http.error.category, 'http');
    assert.equal(http.error.status, 502);
    engine.handleFailure(99999, 'weird', 3); // unknown request, unknown kind: ignored
    assert.deepEqual(drain().events, []);
  });

  it('free functions: digestSpec() and normalizeTokenType()', () => {
    const spec = JSON.parse(Module.digestSpec());
    assert.ok(spec.top.includes('error') && spec.top.includes('query'));
    assert.ok(spec.query.includes('tokens'));
    assert.equal(Module.normalizeTokenType('edit'), 'csrf');
    assert.equal(Module.normalizeTokenType('watch'), 'watch');
  });

  it('one schema: what the JS layer sends is exactly what the core reads (protocolSchema())', async () => {
    const schema = JSON.parse(Module.protocolSchema());
    const src = (file) => pathToFileURL(join(DIST, '..', 'src', file)).href;
    const { clientOptions } = await import(src('options.js'));
    const { ForeignApi } = await import(src('ForeignApi.js'));
    const { ForeignRest } = await import(src('ForeignRest.js'));
    const sorted = (keys) => [...keys].sort();
    assert.deepEqual(sorted(Object.keys(clientOptions('https://b.example.org/w/api.php', {}, false))), sorted(schema.clientOptions));
    // The call objects the facades build (captured before anything reaches the engine).
    const built = (instance, start) => {
      let call;
      instance.client.run = (kind, build) => {
        call = build(1, []);
      };
      start(instance);
      return call;
    };
    const action = built(new ForeignApi('https://b.example.org/w/api.php'), (api) => api.postWithToken('csrf', { action: 'purge' }, { timeout: 1, headers: {} }));
    assert.deepEqual(sorted(Object.keys(action)), sorted(schema.actionCall));
    const rest = built(new ForeignRest('https://b.example.org/w/rest.php'), (r) => r.put('/v1/page/{title}', {}, {}, { pathParams: { title: 'A' } }));
    assert.deepEqual(sorted(Object.keys(rest)), sorted(schema.restCall));
  });

  it('the shipped JavaScript never evaluates code (pages whose CSP forbids unsafe-eval can load it)', () => {
    for (const file of ['foreign-wasm-core.mjs', 'foreign-wasm.js']) {
      const code = readFileSync(join(DIST, file), 'utf8');
      assert.ok(!/new Function\s*\(|\beval\s*\(/.test(code), `${file} evaluates code`);
    }
  });
});
