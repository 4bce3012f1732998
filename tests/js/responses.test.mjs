// How answers come back: named Error classes per core category, warnings, waits the server asks for, and the
// trace hook (which must never carry a token).
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, text, wiki, q } from './harness.mjs';
import { body, CSRF, CENTRAL, ORIGIN_MISMATCH_TEXT } from './fixtures.mjs';

const PAGE = 'https://tools.example.net';
const plain = (value) => JSON.parse(JSON.stringify(value));

async function failure(promise) {
  return promise.then(
    () => assert.fail('resolved'),
    (e) => e,
  );
}

for (const kind of BUILDS) {
  describe(`answers and errors [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('each failure is its named class with code, info, status and result', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const cases = [
        [() => text(ORIGIN_MISMATCH_TEXT, { status: 403 }), lib.CorsError, 'origin-mismatch', 403],
        [() => json(body.userinfoAdmin, { headers: { 'mediawiki-cors-rejection': 'Origin mismatch' } }), lib.CorsError, 'cors-rejected', 200],
        [() => json(body.userinfoAnon, { headers: { 'mediawiki-login-suppressed': 'true' } }), lib.LoginSuppressedError, 'login-suppressed', 200],
        [() => text('<html>Bad gateway</html>', { status: 502 }), lib.HttpError, 'http', 502],
        [() => text('<html>maintenance</html>'), lib.ResponseError, 'invalidjson', 200],
        [() => json({}), lib.ResponseError, 'ok-but-empty', 200],
        [() => Promise.reject(new TypeError('Failed to fetch')), lib.NetworkError, 'network', 0],
        [() => json(body.assertUserFailed), lib.ApiError, 'assertuserfailed', 200],
      ];
      const api = new lib.ForeignApi(b.api);
      for (const [answer, Class, code, status] of cases) {
        env.net.reply(answer);
        const error = await failure(api.get({ meta: 'userinfo' }));
        assert.ok(error instanceof Class, `${code}: got ${error.name}`);
        assert.ok(error instanceof lib.ForeignApiError);
        assert.ok(error instanceof env.builtin('Error'), 'a real Error of the library\'s realm');
        assert.equal(error.code, code);
        assert.equal(error.status, status, code);
        assert.equal(typeof error.info, 'string');
        assert.ok(error.info.length > 0);
        assert.equal(error.message, error.info);
      }
      env.net.reply(() => json(body.assertUserFailed));
      const api2 = await failure(api.get({ meta: 'userinfo' }));
      assert.deepEqual(plain(api2.result), body.assertUserFailed);
      assert.equal(api2.category, 'api');
    });

    it('a big answer reaches the caller whole, while the core decides from its digest', async () => {
      const b = wiki();
      const big = { batchcomplete: '', query: { pages: Array.from({ length: 2000 }, (_, i) => ({ pageid: i, title: `Page ${i}` })) } };
      env.net.reply(() => json(big));
      const result = await new lib.ForeignApi(b.api).get({ list: 'allpages' });
      assert.equal(result.query.pages.length, 2000);
      assert.equal(result.query.pages[1999].title, 'Page 1999');
      // {"parse": …} digests to {}: still not "ok-but-empty", because something was left out
      env.net.reply(() => json({ parse: { title: 'X', text: '<p>hi</p>' } }));
      const parsed = await new lib.ForeignApi(b.api).get({ action: 'parse', page: 'X' });
      assert.equal(parsed.parse.text, '<p>hi</p>');
    });

    it('warnings go to onWarnings, normalised, and the call still succeeds', async () => {
      const b = wiki();
      const seen = [];
      env.net.reply(() => json(body.warningsFv2));
      const api = new lib.ForeignApi(b.api, { onWarnings: (warnings) => seen.push(...plain(warnings)) });
      const result = await api.get({ meta: 'userinfo', foo: 1 });
      assert.deepEqual(plain(result), body.warningsFv2);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].module, 'main');
      assert.equal(seen[0].text, 'Unrecognized parameter: foo.');
    });

    it('maxlag with Retry-After: waits and repeats; with no retry budget it fails with the server\'s code', async () => {
      const b = wiki();
      let n = 0;
      env.net.reply(() => (++n === 1 ? json(body.maxlag, { headers: { 'retry-after': '0.05', 'x-database-lag': '-1' } }) : json(body.userinfoAdmin)));
      const started = Date.now();
      assert.deepEqual(plain(await new lib.ForeignApi(b.api).get({ meta: 'userinfo', maxlag: 5 })), body.userinfoAdmin);
      assert.ok(Date.now() - started >= 45, 'waited for Retry-After');
      assert.equal(env.net.requests.length, 2);

      env.net.reply(() => json(body.maxlag, { headers: { 'retry-after': '5' } }));
      const error = await failure(new lib.ForeignApi(b.api, { retryBudgetMs: 0 }).get({ meta: 'userinfo', maxlag: 5 }));
      assert.ok(error instanceof lib.ApiError);
      assert.equal(error.code, 'maxlag');
    });

    it('trace: every request and its end, with purposes and masked URLs, never a token', async () => {
      const a = wiki('a');
      const b = wiki();
      env.setPage({ origin: a.origin });
      const entries = [];
      const stop = lib.onTrace((entry) => entries.push(plain(entry)));
      let minted = 0;
      env.net.reply((r) => {
        if (q(r, 'action') === 'centralauthtoken') return json(body.centralToken(CENTRAL[minted++]));
        return json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : body.optionsSuccess);
      });
      const api = new lib.ForeignApi(b.api, { centralAuth: a.api, localUser: 'Admin', prefetch: 0 });
      await api.postWithToken('csrf', { action: 'options', change: 'x=1' });
      stop();
      await new lib.ForeignApi(b.api, { anonymous: true }).get({ meta: 'siteinfo' }).catch(() => {});
      const requests = entries.filter((e) => e.phase === 'request');
      const ends = entries.filter((e) => e.phase === 'response');
      assert.equal(requests.length, 4);
      assert.equal(ends.length, 4);
      assert.deepEqual(requests.map((e) => e.purpose).sort(), ['call', 'centralauthtoken', 'centralauthtoken', 'token']);
      for (const e of ends) {
        assert.equal(e.status, 200);
        assert.ok(e.endMs >= e.startMs);
        assert.ok(['omit', 'include'].includes(e.credentials));
        assert.equal(typeof e.why, 'string');
      }
      const call = requests.find((e) => e.purpose === 'call');
      assert.equal(call.method, 'POST');
      assert.ok(call.call > 0);
      assert.match(call.displayUrl, /centralauthtoken=(•|%E2%80%A2)/);
      const all = JSON.stringify(entries);
      for (const secret of [CSRF, 'e649d821', ...CENTRAL]) assert.ok(!all.includes(secret), `trace leaked ${secret}`);
      assert.ok(entries.every((e) => e.phase !== 'request' || !e.displayUrl.includes('siteinfo')), 'unsubscribed');
    });
  });
}
