// Token handling: getToken caching and single flight, postWithToken's shared fetch, badtoken retried once
// (anchor B6), badToken(type), legacy type names.
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, wiki, q, form, deferred, until, pause } from './harness.mjs';
import { body, CSRF, CSRF2 } from './fixtures.mjs';

const PAGE = 'https://tools.example.net';
const plain = (value) => JSON.parse(JSON.stringify(value));
const isTokenFetch = (r) => q(r, 'meta') === 'tokens';
const tokenOf = (r) => form(r).find(([k]) => k === 'token')?.[1];

for (const kind of BUILDS) {
  describe(`tokens [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('getToken: concurrent callers share one fetch, later callers get the cached token', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const gate = deferred();
      env.net.reply(async () => {
        await gate.promise;
        return json(body.csrfTokens());
      });
      const api = new lib.ForeignApi(b.api);
      const first = api.getToken('csrf');
      const second = api.getEditToken();
      const third = api.getToken('edit'); // legacy name for csrf
      await until(() => env.net.requests.length > 0);
      await pause();
      assert.equal(env.net.requests.length, 1, 'one fetch while it is in flight');
      gate.resolve();
      assert.deepEqual(await Promise.all([first, second, third]), [CSRF, CSRF, CSRF]);
      assert.equal(await api.getToken('csrf'), CSRF);
      assert.equal(env.net.requests.length, 1, 'served from the cache');
      const [r] = env.net.requests;
      assert.equal(q(r, 'type'), 'csrf');
      assert.equal(q(r, 'origin'), PAGE);
      assert.equal(r.cache, 'no-store');
    });

    it('getToken: a failure is not cached, badToken() forgets a good token', async () => {
      const b = wiki();
      let answer = body.anonTokens; // what origin=* gets: a warning and no token (observed §2)
      env.net.reply(() => json(answer));
      const api = new lib.ForeignApi(b.api);
      await assert.rejects(api.getToken('csrf'), (e) => e instanceof lib.ApiError && e.code === 'token-missing');
      answer = body.csrfTokens();
      assert.equal(await api.getToken('csrf'), CSRF);
      answer = body.csrfTokens(CSRF2);
      api.badToken('csrf');
      assert.equal(await api.getToken('csrf'), CSRF2);
      assert.equal(env.net.requests.length, 3);
    });

    it('postWithToken: concurrent writes wait for one shared token fetch, then each POSTs with it', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const gate = deferred();
      env.net.reply(async (r) => {
        if (isTokenFetch(r)) {
          await gate.promise;
          return json(body.csrfTokens());
        }
        return json(body.optionsSuccess);
      });
      const api = new lib.ForeignApi(b.api);
      const writes = [1, 2, 3].map((n) => api.postWithToken('csrf', { action: 'options', change: `userjs-n=${n}` }));
      await until(() => env.net.requests.length > 0);
      await pause();
      assert.equal(env.net.requests.length, 1);
      gate.resolve();
      const results = await Promise.all(writes);
      assert.deepEqual(plain(results), [body.optionsSuccess, body.optionsSuccess, body.optionsSuccess]);
      const posts = env.net.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 3);
      for (const p of posts) assert.equal(tokenOf(p), CSRF);
      // a second instance for the same wiki and identity shares the engine's cache: no new fetch
      await new lib.ForeignApi(b.api).postWithEditToken({ action: 'options', change: 'userjs-n=4' });
      assert.equal(await api.getToken('csrf'), CSRF, 'getToken() reads the same cache as postWithToken()');
      assert.equal(env.net.requests.filter(isTokenFetch).length, 1);
    });

    it('badtoken: the token is fetched again and the write retried once, with the new token', async () => {
      const b = wiki();
      let tokenFetches = 0;
      env.net.reply((r) => {
        if (isTokenFetch(r)) return json(body.csrfTokens(++tokenFetches === 1 ? CSRF : CSRF2));
        return json(tokenOf(r) === CSRF ? body.badCsrf : body.optionsSuccess);
      });
      const api = new lib.ForeignApi(b.api);
      const result = await api.postWithToken('csrf', { action: 'options', change: 'userjs-x=1' });
      assert.deepEqual(plain(result), body.optionsSuccess);
      const order = env.net.requests.map((r) => (isTokenFetch(r) ? 'token' : `post:${tokenOf(r) === CSRF ? 1 : 2}`));
      assert.deepEqual(order, ['token', 'post:1', 'token', 'post:2']);
    });

    it('badtoken twice: no third attempt, the ApiError carries code, info and the full result', async () => {
      const b = wiki();
      env.net.reply((r) => json(isTokenFetch(r) ? body.csrfTokens() : body.badCsrfPlaintext));
      const api = new lib.ForeignApi(b.api);
      const error = await api.postWithToken('csrf', { action: 'options', change: 'x=1' }).then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.ok(error instanceof lib.ApiError);
      assert.ok(error instanceof lib.ForeignApiError);
      assert.equal(error.name, 'ApiError');
      assert.equal(error.code, 'badtoken');
      assert.equal(error.info, 'Invalid CSRF token.');
      assert.equal(error.status, 200);
      assert.deepEqual(plain(error.result), body.badCsrfPlaintext, 'the full parsed body, not only the digest');
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 2);
    });
  });
}
