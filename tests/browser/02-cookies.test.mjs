// Cookie authentication for a user logged in on B (Tester), not on A: mode 'cookies' (no centralAuth option).
//
// What the lab shows: B (127.0.0.2) is cross-site for the static origin and for A (127.0.0.1), and MediaWiki's
// cookies carry no SameSite attribute, so Chromium treats them as Lax and never attaches them to a cross-site
// fetch (and third-party cookies are blocked as well). From a cross-site page a cookie login on B is therefore
// invisible: the read comes back anonymous, exactly as it would with MediaWiki's own mw.ForeignApi. The suite
// records this, checks that asking for the login (assert=user) or writing fails loudly, and runs the cookie path
// where the cookies are first-party: a page of B.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LAB, uniqueTitle } from './lib/lab.mjs';
import { BUILDS, inPage, launch, loginInBrowser, newPage, openHarness, openWikiPage, readB } from './lib/browser.mjs';
import { describe as d } from './lib/netlog.mjs';

let browser;
let ctx;
before(async () => {
  browser = await launch();
  ctx = await newPage(browser);
  await loginInBrowser(ctx.page, LAB.B, LAB.TESTER); // in the browser, on a page of B
});
after(async () => {
  await browser?.close();
});

for (const build of BUILDS) {
  describe(`cookies, user logged in on B only (${build} build)`, () => {
    test('cross-site page (static origin): B cookies are withheld by Chromium; the read is anonymous', async () => {
      await openHarness(ctx.page, build);
      const mark = ctx.net.mark();
      const r = await inPage(ctx.page, (b) => new FW.ForeignApi(b).get({ action: 'query', meta: 'userinfo' }), LAB.B_API);
      const wire = await ctx.net.settle(mark);
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.deepEqual(wire.map(d), ['B GET query meta=userinfo origin=S']);
      const [e] = wire;
      assert.equal(e.cookieHeader || '', '', 'no Cookie header reached B');
      // Why: every B cookie is listed as blocked, SameSite unspecified → Lax (and third-party cookie blocking).
      assert.ok(e.cookiesBlocked.length >= 3, `blocked cookies recorded: ${e.cookiesBlocked}`);
      assert.ok(e.cookiesBlocked.every((c) => /SameSiteUnspecifiedTreatedAsLax/.test(c)), e.cookiesBlocked.join(' '));
      assert.equal(e.respHeaders['access-control-allow-origin'], LAB.STATIC);
      assert.equal(e.respHeaders['access-control-allow-credentials'], 'true');
      // The same as mw.ForeignApi would get: B answers for an anonymous user (nothing says a login was expected).
      assert.equal(r.value.query.userinfo.id, 0);
    });

    test('cross-site page, assert=user: fails as ApiError assertuserfailed, never an anonymous result', async () => {
      await openHarness(ctx.page, build);
      const r = await inPage(
        ctx.page,
        (b) => new FW.ForeignApi(b, { assert: 'user' }).get({ action: 'query', meta: 'userinfo' }),
        LAB.B_API,
      );
      assert.equal(r.ok, false);
      assert.equal(r.error.name, 'ApiError');
      assert.ok(r.error.classOk);
      assert.equal(r.error.code, 'assertuserfailed');
    });

    test('cross-site page, postWithToken: fails as ApiError notloggedin (no cookie, no write)', async () => {
      await openHarness(ctx.page, build);
      const mark = ctx.net.mark();
      const r = await inPage(
        ctx.page,
        (b) => new FW.ForeignApi(b).postWithToken('csrf', { action: 'options', change: 'userjs-fwtest-crosssite=1' }),
        LAB.B_API,
      );
      const wire = await ctx.net.settle(mark);
      assert.equal(r.ok, false);
      assert.equal(r.error.name, 'ApiError');
      assert.equal(r.error.code, 'notloggedin');
      assert.deepEqual(wire.map(d), ['B GET query meta=tokens type=csrf origin=S', 'B POST options change=userjs-fwtest-crosssite=1 origin=S']);
      assert.ok(wire.every((e) => !e.cookieHeader));
    });

    test('REST with cookies for a user B does not see as logged in: ACAO * + credentials → NetworkError; anonymous: works', async () => {
      // Shared with mw.ForeignRest (always credentialed): B answers an anonymous REST request with
      // Access-Control-Allow-Origin: *, which a credentialed fetch may not read.
      await openHarness(ctx.page, build);
      const mark = ctx.net.mark();
      // A query unique to the run keeps Chromium's HTTP cache (B sends max-age=5) out of the observation.
      const q = { fwrun: `${build}-${Date.now()}` };
      const r = await inPage(ctx.page, ({ b, q }) => new FW.ForeignRest(b).get('/v1/page/Main_Page/bare', q), { b: LAB.B_REST, q });
      const anonymous = await inPage(ctx.page, ({ b, q }) => new FW.ForeignRest(b, { anonymous: true }).get('/v1/page/Main_Page/bare', q), { b: LAB.B_REST, q });
      const wire = await ctx.net.settle(mark);
      assert.equal(r.ok, false);
      assert.equal(r.error.name, 'NetworkError');
      assert.equal(r.error.code, 'network');
      assert.equal(wire[0].corsError, 'WildcardOriginNotAllowed');
      assert.equal(wire[0].respHeaders['access-control-allow-origin'], '*');
      assert.ok(anonymous.ok, JSON.stringify(anonymous.error));
      assert.equal(anonymous.value.title, 'Main Page');
      assert.equal(wire[1].cookieHeader || '', '');
    });

    test('page of B (first-party cookies): get, postWithToken (options, edit) as Tester, read back', async () => {
      await openWikiPage(ctx.page, LAB.B, build);
      const value = `${build}-${Date.now()}`;
      const title = uniqueTitle(`Fwtest cookies ${build}`);
      const mark = ctx.net.mark();
      const r = await inPage(
        ctx.page,
        async ({ api, value, title }) => {
          const fa = new FW.ForeignApi(api);
          const me = await fa.get({ action: 'query', meta: 'userinfo' });
          const opt = await fa.postWithToken('csrf', { action: 'options', change: `userjs-fwtest-cookies=${value}` });
          const edit = await fa.postWithToken('csrf', { action: 'edit', title, text: `cookie edit ${value}`, summary: 'fwtest' });
          const back = await fa.get({ action: 'query', meta: 'userinfo', uiprop: 'options' });
          return { me: me.query.userinfo, opt, edit: edit.edit, option: back.query.userinfo.options['userjs-fwtest-cookies'] };
        },
        { api: LAB.B_API, value, title },
      );
      const wire = await ctx.net.settle(mark);
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.equal(r.value.me.name, LAB.TESTER.user);
      assert.deepEqual(r.value.opt, { options: 'success' });
      assert.equal(r.value.edit.result, 'Success');
      assert.equal(r.value.option, value);
      // Same origin: no origin parameter, cookies sent, one csrf token fetch shared by both writes.
      const seq = wire.map(d);
      assert.equal(seq.length, 5, seq.join('\n'));
      assert.equal(seq[0], 'B GET query meta=userinfo');
      assert.equal(seq[1], 'B GET query meta=tokens type=csrf');
      assert.match(seq[2], /^B POST options change=userjs-fwtest-cookies=/);
      assert.match(seq[3], /^B POST edit title=Fwtest cookies/);
      assert.equal(seq[4], 'B GET query meta=userinfo');
      assert.ok(wire.every((e) => /fwlab_bwiki_session=/.test(e.cookieHeader || '')), 'B session cookie on every request');
      // Read back from outside the browser.
      const rev = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user|content', rvslots: 'main' });
      const revision = rev.query.pages[0].revisions[0];
      assert.equal(revision.user, LAB.TESTER.user);
      assert.equal(revision.slots.main.content, `cookie edit ${value}`);
    });

    test('page of B: REST PUT with cookies gets the csrf token from api.php into the JSON body; 201 as Tester', async () => {
      await openWikiPage(ctx.page, LAB.B, build);
      const title = uniqueTitle(`Fwtest cookie REST ${build}`).replace(/ /g, '_');
      const mark = ctx.net.mark();
      const r = await inPage(
        ctx.page,
        ({ rest, title }) => new FW.ForeignRest(rest).put('/v1/page/{title}', { source: 'cookie REST', comment: 'fwtest' }, {}, { pathParams: { title } }),
        { rest: LAB.B_REST, title },
      );
      const wire = await ctx.net.settle(mark);
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.equal(r.value.source, 'cookie REST');
      assert.deepEqual(wire.map(d), ['B GET query meta=tokens type=csrf', `B PUT rest /v1/page/${title}`]);
      assert.equal(wire[1].status, 201);
      assert.ok('token' in JSON.parse(wire[1].postData), 'the csrf token is in the body');
      assert.equal(wire[1].reqHeaders.authorization, undefined);
      const h = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user' });
      assert.equal(h.query.pages[0].revisions[0].user, LAB.TESTER.user);
    });

    test('page of B: a user origin=* parameter makes B drop the login → LoginSuppressedError', async () => {
      await openWikiPage(ctx.page, LAB.B, build);
      const mark = ctx.net.mark();
      const r = await inPage(ctx.page, (b) => new FW.ForeignApi(b).get({ action: 'query', meta: 'userinfo', origin: '*' }), LAB.B_API);
      const wire = await ctx.net.settle(mark);
      assert.equal(r.ok, false, 'never an anonymous result');
      assert.equal(r.error.name, 'LoginSuppressedError');
      assert.ok(r.error.classOk);
      assert.equal(r.error.code, 'login-suppressed');
      assert.equal(wire.length, 1);
      assert.equal(wire[0].respHeaders['mediawiki-login-suppressed'], 'true');
      assert.match(wire[0].cookieHeader, /fwlab_bwiki_session=/, 'the cookies were sent, and ignored');
    });
  });
}

test('no uncaught errors in the test pages', (t) => {
  if (!ctx) return t.skip('no pages were opened');
  assert.deepEqual([...ctx.errors], []);
});
