// Anonymous reads (origin=*, no credentials): from the static origin, from a page of wiki A, from an origin no
// wiki lists, and from a page of B itself while logged in there (so there ARE cookies that must not be sent).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LAB } from './lib/lab.mjs';
import { BUILDS, inPage, launch, loginViaRequest, newPage, openHarness, openWikiPage } from './lib/browser.mjs';
import { describe as d } from './lib/netlog.mjs';

let browser;
let ctx; // one context for the file, logged in on B as Tester: cookies for 127.0.0.2 exist, and none may be sent
before(async () => {
  browser = await launch();
  ctx = await newPage(browser);
  await loginViaRequest(ctx.context, LAB.B, LAB.TESTER);
  const cookies = (await ctx.context.cookies(LAB.B)).map((c) => c.name);
  assert.ok(cookies.some((n) => n.endsWith('_session')), `B session cookie in the jar: ${cookies}`);
});
after(async () => {
  await browser?.close();
});

/** One anonymous userinfo|siteinfo read of B; asserts result and wire. */
async function anonymousRead(page, net, where) {
  const mark = net.mark();
  const r = await inPage(
    page,
    (b) => new FW.ForeignApi(b, { anonymous: true }).get({ action: 'query', meta: 'userinfo|siteinfo', siprop: 'general' }),
    LAB.B_API,
  );
  const wire = await net.settle(mark);
  assert.ok(r.ok, `${where}: ${JSON.stringify(r.error)}`);
  assert.equal(r.value.query.userinfo.id, 0, 'anonymous user');
  assert.ok('anon' in r.value.query.userinfo);
  assert.equal(r.value.query.general.sitename, 'Wiki B');
  assert.deepEqual(wire.map(d), ['B GET query meta=userinfo|siteinfo origin=*'], `${where}: one GET with origin=*`);
  const [e] = wire;
  assert.equal(e.cookieHeader || '', '', `${where}: no Cookie header`);
  assert.equal(e.reqHeaders.authorization, undefined);
  assert.equal(e.status, 200);
  assert.equal(e.respHeaders['access-control-allow-origin'], '*');
  assert.equal(e.respHeaders['mediawiki-login-suppressed'], 'true', 'origin=* always runs anonymously on MediaWiki');
  // Playwright's own request log agrees (it has no preflights; there were none).
  assert.deepEqual(
    net.pwSince(mark).map((x) => `${x.event} ${x.method}`),
    ['request GET', 'response GET'],
  );
  return e;
}

for (const build of BUILDS) {
  describe(`anonymous get (${build} build)`, () => {
    test('from the static origin', async () => {
      await openHarness(ctx.page, build);
      await anonymousRead(ctx.page, ctx.net, 'static origin');
    });

    test('from a page of wiki A', async () => {
      await openWikiPage(ctx.page, LAB.A, build);
      await anonymousRead(ctx.page, ctx.net, 'wiki A page');
    });

    test('from an origin no wiki lists (http://localhost:8200): origin=* needs no listing', async () => {
      await openHarness(ctx.page, build, LAB.UNLISTED);
      await anonymousRead(ctx.page, ctx.net, 'unlisted origin');
    });

    test('from a page of B while logged in on B: the session cookies are not sent', async () => {
      await openWikiPage(ctx.page, LAB.B, build);
      assert.equal(await ctx.page.evaluate(() => mw.config.get('wgUserName')), LAB.TESTER.user);
      const e = await anonymousRead(ctx.page, ctx.net, 'wiki B page (same origin, logged in)');
      assert.equal(e.reqHeaders.origin, undefined, 'same-origin GET: no Origin header, yet origin=* keeps it anonymous');
    });
  });
}

test('no uncaught errors in the test pages', (t) => {
  if (!ctx) return t.skip('no pages were opened');
  assert.deepEqual([...ctx.errors], []);
});
