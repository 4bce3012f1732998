// ForeignRest: routes, path parameters, JSON bodies, the csrf token of a cookie session, and REST error bodies
// (as MediaWiki 1.39's rest.php applies them).
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, wiki, q } from './harness.mjs';
import { body, CSRF } from './fixtures.mjs';

const PAGE = 'https://tools.example.net';
const plain = (value) => JSON.parse(JSON.stringify(value));

for (const kind of BUILDS) {
  describe(`ForeignRest [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('anonymous GET: path parameters as one segment, query joined, no credentials, no origin parameter', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json({ pages: [] }));
      const rest = new lib.ForeignRest(b.rest, { anonymous: true });
      await rest.get('/v1/page/{title}/history', { filter: 'edits', older_than: 5 }, {}, { pathParams: { title: 'AC/DC?' } });
      const [r] = env.net.requests;
      assert.equal(r.method, 'GET');
      assert.equal(r.u.pathname, new URL(b.rest).pathname + '/v1/page/AC%2FDC%3F/history');
      assert.equal(q(r, 'filter'), 'edits');
      assert.equal(q(r, 'older_than'), '5');
      assert.equal(q(r, 'origin'), null);
      assert.equal(r.credentials, 'omit');
      assert.equal(r.body, null);
    });

    it('cookie session write: csrf token from api.php, JSON body with the token, credentials include', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : body.restPageCreated, { status: q(r, 'meta') ? 200 : 201 }));
      const rest = new lib.ForeignRest(b.rest);
      const result = await rest.put('/v1/page/{title}', { source: 'Text', comment: 'c' }, { 'If-Match': '"3"' }, { pathParams: { title: 'Calab REST page' } });
      assert.deepEqual(plain(result), body.restPageCreated);
      const [token, put] = env.net.requests;
      assert.equal(token.u.origin + token.u.pathname, b.api);
      assert.equal(q(token, 'type'), 'csrf');
      assert.equal(put.method, 'PUT');
      assert.equal(put.u.pathname, new URL(b.rest).pathname + '/v1/page/Calab%20REST%20page');
      assert.equal(put.headers['content-type'], 'application/json');
      assert.equal(put.headers['if-match'], '"3"');
      assert.equal(put.credentials, 'include');
      assert.deepEqual(JSON.parse(put.body), { source: 'Text', comment: 'c', token: CSRF });
    });

    it('a REST error body becomes a RestError with the English message, the status and the full body', async () => {
      const b = wiki();
      env.net.reply(() => json(body.restAnon401, { status: 401 }));
      const error = await new lib.ForeignRest(b.rest, { anonymous: true }).get('/coredev/v0/me/contributions').then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.ok(error instanceof lib.RestError, error.name);
      assert.equal(error.category, 'rest');
      assert.equal(error.info, 'Not accessible by anonymous user');
      assert.equal(error.status, 401);
      assert.deepEqual(plain(error.result), body.restAnon401);
    });

    it('MediaWiki\'s older form (url, foreignActionApi, options) takes the ForeignApi\'s options', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json(body.restContributions));
      const api = new lib.ForeignApi(b.api, { anonymous: true });
      await new lib.ForeignRest(b.rest, api).get('/coredev/v0/me/contributions');
      await new lib.ForeignRest(b.rest, api, { anonymous: false }).get('/coredev/v0/me/contributions');
      const [anonymous, cookies] = env.net.requests;
      assert.equal(anonymous.credentials, 'omit');
      assert.equal(cookies.credentials, 'include');
    });

    it('Bearer: Authorization header, no cookies; a caller\'s own Authorization header is refused', async () => {
      const b = wiki();
      env.net.reply(() => json(body.restContributions));
      const rest = new lib.ForeignRest(b.rest, { bearerToken: 'oauth-access-token' });
      await rest.get('/coredev/v0/me/contributions');
      const [r] = env.net.requests;
      assert.equal(r.headers.authorization, 'Bearer oauth-access-token');
      assert.equal(r.credentials, 'omit');
      await assert.rejects(
        rest.get('/coredev/v0/me/contributions', {}, { Authorization: 'Bearer other' }),
        (e) => e instanceof lib.UsageError && e.code === 'bad-header',
      );
      assert.equal(env.net.requests.length, 1);
    });
  });
}

// REST completeness (issue 13 item 4): text endpoints, response headers, PATCH, mw.Rest's ajax(path, ajaxOptions).
for (const kind of BUILDS) {
  describe(`ForeignRest: text, headers, PATCH, ajax [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('an HTML endpoint resolves with the text; fullResponse gives status and headers (ETag)', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const html = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>Hi</p></body></html>';
      env.net.reply(() => new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', etag: 'W/"42/abc"' } }));
      const rest = new lib.ForeignRest(b.rest, { anonymous: true });
      assert.equal(await rest.get('/v1/page/{title}/html', {}, {}, { pathParams: { title: 'Main Page' } }), html);
      const full = await rest.get('/v1/page/{title}/html', {}, {}, { pathParams: { title: 'Main Page' }, fullResponse: true });
      assert.equal(full.body, html);
      assert.equal(full.status, 200);
      assert.equal(full.headers.get('etag'), 'W/"42/abc"');
    });

    it('patch() and ajax(path, {type, data}) send what mw.Rest sends', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply(() => json({ ok: true }));
      const rest = new lib.ForeignRest(b.rest, { anonymous: true });
      assert.deepEqual(plain(await rest.ajax('/v1/search/page', { data: { q: 'x', limit: 2 } })), { ok: true });
      const [get] = env.net.requests;
      assert.equal(get.method, 'GET');
      assert.equal(q(get, 'q'), 'x');
      assert.equal(q(get, 'limit'), '2');
      env.net.reset();
      await rest.ajax('/v1/thing', { type: 'post', data: { a: 1 } });
      await rest.patch('/v1/thing', { b: 2 });
      const [post, patch] = env.net.requests;
      assert.equal(post.method, 'POST');
      assert.deepEqual(JSON.parse(post.body), { a: 1 });
      assert.equal(patch.method, 'PATCH');
      assert.deepEqual(JSON.parse(patch.body), { b: 2 });
    });
  });
}
