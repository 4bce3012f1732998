// CentralAuth: single-use centralauthtokens from the local wiki (as measured on the lab of tests/lab), fetched in
// parallel with the csrf token, in the URL for the Action API and in `Authorization: CentralAuthToken` for REST.
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, wiki, q, form, deferred, until, pause, networkError } from './harness.mjs';
import { body, CSRF, CENTRAL } from './fixtures.mjs';

const plain = (value) => JSON.parse(JSON.stringify(value));
const isCentral = (r) => q(r, 'action') === 'centralauthtoken';

for (const kind of BUILDS) {
  describe(`CentralAuth [${kind}]`, () => {
    let env;
    let lib;
    let a;
    let b;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    function setup(extra = {}) {
      a = wiki('a');
      b = wiki();
      env.setPage({ origin: a.origin });
      return { centralAuth: a.api, localUser: 'Admin', ...extra };
    }

    it('cold write: two centralauthtoken fetches in parallel, one for the csrf token and one for the POST', async () => {
      const options = setup({ prefetch: 0 });
      const gate = deferred();
      let minted = 0;
      env.net.reply(async (r) => {
        if (isCentral(r)) {
          const token = CENTRAL[minted++];
          await gate.promise;
          return json(body.centralToken(token));
        }
        return json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : body.optionsSuccess);
      });
      const api = new lib.ForeignApi(b.api, options);
      const write = api.postWithToken('csrf', { action: 'options', change: 'userjs-calab=1' });
      await until(() => env.net.requests.length >= 2);
      await pause();
      assert.equal(env.net.requests.length, 2, 'nothing goes to the foreign wiki before a token is in hand');
      for (const r of env.net.requests) {
        assert.ok(isCentral(r));
        assert.equal(r.u.origin + r.u.pathname, a.api);
        assert.equal(r.credentials, 'include', 'the local wiki knows the user by its cookies');
        assert.equal(r.cache, 'no-store');
        assert.equal(q(r, 'origin'), null, 'same origin as the page');
      }
      gate.resolve();
      assert.deepEqual(plain(await write), body.optionsSuccess);
      const [tokenFetch, post] = env.net.requests.slice(2);
      assert.equal(q(tokenFetch, 'meta'), 'tokens');
      assert.equal(post.method, 'POST');
      const used = [q(tokenFetch, 'centralauthtoken'), q(post, 'centralauthtoken')];
      assert.notEqual(used[0], used[1], 'a centralauthtoken is single use');
      assert.deepEqual([...used].sort(), CENTRAL.slice(0, 2).sort());
      for (const r of [tokenFetch, post]) {
        assert.equal(r.u.origin + r.u.pathname, b.api);
        assert.equal(q(r, 'origin'), a.origin);
        assert.equal(r.credentials, 'omit', 'the token is the identity: no cookies');
      }
      assert.equal(form(post).at(-1)[0], 'token');
      assert.equal(form(post).at(-1)[1], CSRF);
      assert.ok(!form(post).some(([k]) => k === 'centralauthtoken'), 'centralauthtoken only in the URL');
      assert.equal(env.net.requests.length, 4);
    });

    it('read, then a prefetched token serves the next call without a round trip to the local wiki first', async () => {
      const options = setup();
      let minted = 0;
      env.net.reply((r) => json(isCentral(r) ? body.centralToken(CENTRAL[minted++]) : body.userinfoAdmin));
      const api = new lib.ForeignApi(b.api, options);
      assert.deepEqual(plain(await api.get({ meta: 'userinfo' })), body.userinfoAdmin);
      await until(() => env.net.requests.length === 3); // the prefetch after the first call
      assert.ok(isCentral(env.net.requests[2]));
      await pause();
      await api.get({ meta: 'userinfo' });
      const [, first, prefetch, ...rest] = env.net.requests;
      assert.ok(!isCentral(first) && isCentral(prefetch));
      assert.equal(q(first, 'centralauthtoken'), CENTRAL[0]);
      // The second call took the pocket's token and minted its replacement beside itself, not before it.
      assert.equal(rest.length, 2);
      const second = rest.find((r) => !isCentral(r));
      assert.equal(q(second, 'centralauthtoken'), CENTRAL[1]);
      assert.equal(rest.filter(isCentral).length, 1, 'one replacement: at most one spare');
    });

    it('prefetch: 0 mints no token ahead', async () => {
      const options = setup({ prefetch: 0 });
      let minted = 0;
      env.net.reply((r) => json(isCentral(r) ? body.centralToken(CENTRAL[minted++]) : body.userinfoAdmin));
      await new lib.ForeignApi(b.api, options).get({ meta: 'userinfo' });
      await pause(30);
      assert.equal(env.net.requests.length, 2);
    });

    it('REST: Authorization: CentralAuthToken, no cookies, no origin parameter', async () => {
      const options = setup({ prefetch: 0 });
      env.net.reply((r) => (isCentral(r) ? json(body.centralToken(CENTRAL[0])) : json(body.restContributions, { headers: { vary: 'Origin' } })));
      const rest = new lib.ForeignRest(b.rest, options);
      const result = await rest.get('/coredev/v0/me/contributions');
      assert.deepEqual(plain(result), body.restContributions);
      const [token, call] = env.net.requests;
      assert.ok(isCentral(token));
      assert.equal(call.url, `${b.rest}/coredev/v0/me/contributions`);
      assert.equal(call.headers.authorization, `CentralAuthToken ${CENTRAL[0]}`);
      assert.equal(call.credentials, 'omit', 'cookies on REST cause errors (T391180)');
      assert.equal(q(call, 'origin'), null);
    });

    it('the local wiki gives no token: CentralAuthError, nothing sent to the foreign wiki', async () => {
      const options = setup({ prefetch: 0 });
      env.net.reply(() => json(body.centralNotLoggedIn));
      const error = await new lib.ForeignApi(b.api, options).get({ meta: 'userinfo' }).then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.ok(error instanceof lib.CentralAuthError, error.name);
      assert.equal(error.code, 'centralauthtoken-unavailable');
      assert.match(error.info, /notloggedin/);
      assert.equal(env.net.requests.length, 1);
    });

    it('anonymousFallback: continues anonymously (origin=*) and says so through onNotice', async () => {
      const notices = [];
      const options = setup({ prefetch: 0, anonymousFallback: true, onNotice: (n) => notices.push(n.code) });
      env.net.reply((r) => json(isCentral(r) ? body.centralNotLoggedIn : body.userinfoAnon));
      const result = await new lib.ForeignApi(b.api, options).get({ meta: 'userinfo' });
      assert.deepEqual(plain(result), body.userinfoAnon);
      const call = env.net.requests[1];
      assert.equal(q(call, 'origin'), '*');
      assert.equal(call.credentials, 'omit');
      assert.equal(q(call, 'centralauthtoken'), null);
      assert.deepEqual(notices, ['anonymous-fallback']);
    });

    it('a used or expired token looks like a network failure: a read is retried once with a fresh token', async () => {
      const options = setup({ prefetch: 0 });
      let minted = 0;
      let foreign = 0;
      env.net.reply((r) => {
        if (isCentral(r)) return json(body.centralToken(CENTRAL[minted++]));
        // calab #7: no CORS headers on the badtoken answer, so the browser reports a failed fetch
        return ++foreign === 1 ? networkError() : json(body.userinfoAdmin);
      });
      const result = await new lib.ForeignApi(b.api, options).get({ meta: 'userinfo' });
      assert.deepEqual(plain(result), body.userinfoAdmin);
      const onB = env.net.requests.filter((r) => !isCentral(r)).map((r) => q(r, 'centralauthtoken'));
      assert.deepEqual(onB, [CENTRAL[0], CENTRAL[1]]);
    });

    it('a write that fails without an answer is not repeated: NetworkError', async () => {
      const options = setup({ prefetch: 0 });
      let minted = 0;
      env.net.reply((r) => {
        if (isCentral(r)) return json(body.centralToken(CENTRAL[minted++]));
        return q(r, 'meta') === 'tokens' ? json(body.csrfTokens()) : networkError();
      });
      const error = await new lib.ForeignApi(b.api, options).postWithToken('csrf', { action: 'options', change: 'x=1' }).then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.ok(error instanceof lib.NetworkError, error.name);
      assert.equal(error.status, 0);
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 1);
    });
  });
}
