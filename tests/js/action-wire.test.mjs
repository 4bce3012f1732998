// What goes on the wire for the Action API, rule by rule (as MediaWiki 1.39 applies them).
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, wiki, q, form, fakeMw } from './harness.mjs';
import { body, CSRF } from './fixtures.mjs';

const PAGE = 'https://tools.example.net';
const plain = (value) => JSON.parse(JSON.stringify(value));

for (const kind of BUILDS) {
  describe(`Action API wire rules [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('anonymous: origin=* in the URL and no credentials', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json(body.userinfoAnon, { headers: { 'mediawiki-login-suppressed': 'true' } }));
      const api = new lib.ForeignApi(b.api, { anonymous: true });
      const result = await api.get({ action: 'query', meta: 'userinfo' });
      assert.deepEqual(plain(result), body.userinfoAnon);
      const [r] = env.net.requests;
      assert.equal(r.method, 'GET');
      assert.equal(q(r, 'origin'), '*');
      assert.equal(r.credentials, 'omit');
      assert.equal(r.body, null);
      assert.equal(r.u.origin + r.u.pathname, b.api);
    });

    it('cookies from another origin: origin=<page origin> and credentials include', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json(body.userinfoAdmin));
      await new lib.ForeignApi(b.api).get({ meta: 'userinfo' });
      const [r] = env.net.requests;
      assert.equal(q(r, 'origin'), PAGE);
      assert.equal(r.credentials, 'include');
      // action and format come first, then origin (a preflight must be able to read them; T421288)
      assert.deepEqual([...r.u.searchParams.keys()].slice(0, 3), ['action', 'format', 'origin']);
      assert.equal(q(r, 'action'), 'query');
      assert.equal(q(r, 'format'), 'json');
    });

    it('same origin: no origin parameter at all', async () => {
      const b = wiki();
      env.setPage({ origin: b.origin });
      env.net.reply(() => json(body.userinfoAdmin));
      await new lib.ForeignApi(b.api).get({ meta: 'userinfo' });
      const [r] = env.net.requests;
      assert.equal(q(r, 'origin'), null);
      assert.equal(r.credentials, 'include');
    });

    it('relative URL resolves against the page, as mw.ForeignApi does', async () => {
      const b = wiki();
      env.setPage({ origin: b.origin });
      env.net.reply(() => json(body.userinfoAdmin));
      const api = new lib.ForeignApi('/w/api.php');
      assert.equal(api.apiUrl, b.api);
      await api.get({ meta: 'userinfo' });
      assert.equal(env.net.requests[0].u.origin, b.origin);
    });

    it('POST: action, format and origin in the URL, the rest in the body, token last and never in a URL', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : body.optionsSuccess));
      const api = new lib.ForeignApi(b.api);
      const result = await api.postWithToken('csrf', { action: 'options', change: 'userjs-x=1', token: 'ignored' });
      assert.deepEqual(plain(result), body.optionsSuccess);
      const [tokenFetch, post] = env.net.requests;
      assert.equal(tokenFetch.method, 'GET');
      assert.equal(q(tokenFetch, 'meta'), 'tokens');
      assert.equal(q(tokenFetch, 'type'), 'csrf');
      assert.equal(tokenFetch.cache, 'no-store', 'token answers must never come from the HTTP cache');
      assert.equal(post.method, 'POST');
      assert.equal(q(post, 'action'), 'options');
      assert.equal(q(post, 'origin'), PAGE);
      assert.equal(q(post, 'change'), null, 'module parameters go in the body of a POST');
      assert.equal(post.headers['content-type'], 'application/x-www-form-urlencoded');
      const fields = form(post);
      assert.deepEqual(fields.at(-1), ['token', CSRF]);
      assert.equal(fields.filter(([k]) => k === 'token').length, 1);
      assert.ok(post.body.endsWith('token=e649d821b946fa61e9f8997086295ff86b052eb0%2B%5C'), post.body);
      for (const r of env.net.requests) assert.ok(!r.url.includes('e649d821'), `token leaked into ${r.url}`);
    });

    it('GET with a token parameter is refused locally: nothing is sent', async () => {
      const b = wiki();
      env.net.reply(() => json(body.optionsSuccess));
      const api = new lib.ForeignApi(b.api);
      const error = await api.get({ action: 'options', token: CSRF }).then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.ok(error instanceof lib.UsageError, error.name);
      assert.equal(error.code, 'token-in-url');
      assert.equal(env.net.requests.length, 0);
    });

    it('bearer: Authorization header, no cookies; origin=<page origin> (1.39), crossorigin only when asked (>= 1.44)', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json(body.userinfoAdmin));
      await new lib.ForeignApi(b.api, { bearerToken: 'oauth-access-token' }).get({ meta: 'userinfo' });
      await new lib.ForeignApi(b.api, { bearerToken: 'oauth-access-token', crossorigin: true }).get({ meta: 'userinfo' });
      const [r, modern] = env.net.requests;
      assert.equal(r.headers.authorization, 'Bearer oauth-access-token');
      assert.equal(q(r, 'crossorigin'), null);
      assert.equal(q(r, 'origin'), PAGE); // never origin=*: MediaWiki would drop the token
      assert.equal(r.credentials, 'omit');
      assert.notEqual(q(modern, 'crossorigin'), null);
      assert.equal(q(modern, 'origin'), null);
    });

    it('Node without location: no origin parameter, cookies mode, anonymous still origin=*', async () => {
      assert.equal(env.global.location, undefined);
      const b = wiki();
      env.net.reply(() => json(body.userinfoAnon));
      await new lib.ForeignApi(b.api).get({ meta: 'userinfo' });
      await new lib.ForeignApi(b.api, { anonymous: true }).get({ meta: 'userinfo' });
      const [plainCall, anonymous] = env.net.requests;
      assert.equal(q(plainCall, 'origin'), null);
      assert.equal(plainCall.credentials, 'include');
      assert.equal(q(anonymous, 'origin'), '*');
      assert.equal(anonymous.credentials, 'omit');
    });

    it('parameters: defaults merged, arrays joined, true as 1, false/null dropped, Api-User-Agent only on POST', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json(body.optionsSuccess));
      const api = new lib.ForeignApi(b.api, { parameters: { uselang: 'de' }, userAgent: 'MyTool/1.0 (User:Me)' });
      await api.get({ meta: ['userinfo', 'siteinfo'], curtimestamp: true, redirects: false, continue: null });
      await api.post({ action: 'purge', titles: ['A', 'B|C'] });
      const [get, post] = env.net.requests;
      assert.equal(q(get, 'meta'), 'userinfo|siteinfo');
      assert.equal(q(get, 'curtimestamp'), '1');
      assert.equal(q(get, 'redirects'), null);
      assert.equal(q(get, 'continue'), null);
      assert.equal(q(get, 'uselang'), 'de');
      assert.equal(get.headers['api-user-agent'], undefined, 'a custom header on GET would force a preflight');
      assert.equal(post.headers['api-user-agent'], 'MyTool/1.0 (User:Me)');
      // an element containing '|' switches the whole value to U+001F separators
      assert.deepEqual(form(post).find(([k]) => k === 'titles'), ['titles', '\x1fA\x1fB|C']);
    });

    it('userAgentOnGet and ajax.headers: headers on every request when asked for', async () => {
      const b = wiki();
      env.net.reply(() => json(body.userinfoAdmin));
      const api = new lib.ForeignApi(b.api, { userAgent: 'MyTool/1.0', userAgentOnGet: true, ajax: { headers: { 'X-Instance': 'i' } } });
      await api.get({ meta: 'userinfo' }, { headers: { 'X-Call': 'c' } });
      const [r] = env.net.requests;
      assert.equal(r.headers['api-user-agent'], 'MyTool/1.0');
      assert.equal(r.headers['x-instance'], 'i');
      assert.equal(r.headers['x-call'], 'c');
    });

    it('a Blob parameter makes the POST multipart, with the caller\'s Blob and no hand-written Content-Type', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json({ upload: { result: 'Success' } }));
      const file = new Blob(['GIF89a'], { type: 'image/gif' });
      await new lib.ForeignApi(b.api).post({ action: 'upload', filename: 'X.gif', file });
      const [r] = env.net.requests;
      assert.ok(r.form, 'FormData body');
      assert.equal(r.headers['content-type'], undefined, 'fetch must write the multipart boundary itself');
      const entries = Object.fromEntries(r.form);
      assert.equal(entries.filename, 'X.gif');
      assert.ok(entries.file instanceof Blob);
      assert.equal(await entries.file.text(), 'GIF89a');
      assert.equal(q(r, 'action'), 'upload');
    });

    it('on a wiki page with a logged-in user, CentralAuth is the default (the local api.php from mw.config)', async () => {
      const a = wiki('a');
      const b = wiki();
      env.setPage({ origin: a.origin, mw: fakeMw({ wgServer: a.origin, wgScriptPath: '/w', wgUserName: 'Admin' }) });
      env.net.reply((r) => json(q(r, 'action') === 'centralauthtoken' ? body.centralToken('5c76749c30ecc02bbc5b7d8fa9b33d8a1') : body.userinfoAdmin));
      await new lib.ForeignApi(b.api, { prefetch: 0 }).get({ meta: 'userinfo' });
      const [token, call] = env.net.requests;
      assert.equal(token.u.origin + token.u.pathname, a.api);
      assert.equal(q(token, 'action'), 'centralauthtoken');
      assert.equal(q(call, 'centralauthtoken'), '5c76749c30ecc02bbc5b7d8fa9b33d8a1');
      assert.equal(env.net.requests.length, 2);
    });

    it('on a wiki page with an anonymous user, cookies are used (no centralauthtoken)', async () => {
      const a = wiki('a');
      const b = wiki();
      env.setPage({ origin: a.origin, mw: fakeMw({ wgServer: a.origin, wgScriptPath: '/w', wgUserName: null }) });
      env.net.reply(() => json(body.userinfoAnon));
      await new lib.ForeignApi(b.api).get({ meta: 'userinfo' });
      assert.equal(env.net.requests.length, 1);
      const [r] = env.net.requests;
      assert.equal(q(r, 'origin'), a.origin);
      assert.equal(r.credentials, 'include');
      assert.equal(q(r, 'centralauthtoken'), null);
    });

    it('a URL that is not a string or URL throws at once, like mw.ForeignApi', () => {
      assert.throws(() => new lib.ForeignApi({ url: 'x' }), (e) => e instanceof lib.UsageError && e.code === 'bad-url');
    });

    it('a non-absolute URL off the web fails every call with a UsageError, sending nothing', async () => {
      const api = new lib.ForeignApi('/w/api.php');
      await assert.rejects(api.get({ meta: 'userinfo' }), (e) => e instanceof lib.UsageError && e.code === 'bad-url');
      assert.equal(env.net.requests.length, 0);
    });
  });
}
