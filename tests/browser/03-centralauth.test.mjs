// CentralAuth: Admin logged in on A only. From the static origin (options centralAuth + localUser) and from a
// page of wiki A (defaults from mw.config), with both builds: B sees the global user; writes (action=options, an
// edit) and REST (GET /coredev/v0/me/contributions, PUT /v1/page/{title}) succeed as Admin and are read back.
// On the wire: every centralauthtoken that was minted by A is sent at most once, only to B, B never gets a
// cookie, and REST carries `Authorization: CentralAuthToken …` (preflighted) with no cookies.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LAB, requireCentralAuth, uniqueTitle } from './lib/lab.mjs';
import { BUILDS, inPage, launch, loginInBrowser, newPage, openHarness, openWikiPage, readB } from './lib/browser.mjs';
import { centralTokenOf, describe as d, site, tokenLedger } from './lib/netlog.mjs';

let browser;
let ctx;
before(async () => {
  if (!LAB.CENTRALAUTH) return;
  browser = await launch();
  ctx = await newPage(browser);
  await loginInBrowser(ctx.page, LAB.A, LAB.ADMIN);
});
after(async () => {
  await browser?.close();
});

/** The wire rules every CentralAuth exchange must follow. */
function assertCentralAuthWire(wire, what) {
  const ledger = tokenLedger(wire);
  assert.deepEqual(ledger.reused, [], `${what}: a centralauthtoken was sent twice`);
  assert.deepEqual(ledger.sentOutsideB, [], `${what}: a centralauthtoken went somewhere else than B`);
  assert.deepEqual(ledger.usedButNotMinted, [], `${what}: a token was sent that A did not mint in this exchange`);
  for (const e of wire) {
    if (site(e.url) === 'B') assert.equal(e.cookieHeader || '', '', `${what}: Cookie sent to B: ${d(e)}`);
    if (site(e.url) === 'A' && !e.preflight) {
      assert.match(e.url, /action=centralauthtoken/, `${what}: only centralauthtoken requests go to A`);
      assert.match(e.cookieHeader || '', /fwlab_awiki_session=/, `${what}: A's session cookie on the token request`);
    }
    if (site(e.url) === 'B' && !e.preflight) {
      assert.equal(centralTokenOf(e).length, 1, `${what}: every B request carries exactly one token: ${d(e)}`);
    }
  }
  return ledger;
}

const LOCATIONS = [
  {
    name: 'static origin',
    open: (page, build) => openHarness(page, build),
    options: { centralAuth: LAB.A_API, localUser: LAB.ADMIN.user },
    origin: 'S',
  },
  { name: 'page of wiki A', open: (page, build) => openWikiPage(page, LAB.A, build), options: {}, origin: 'A' },
];

for (const loc of LOCATIONS) {
  for (const build of BUILDS) {
    describe(`CentralAuth from the ${loc.name} (${build} build)`, () => {
      let start;
      const api = (x) => ({ api: LAB.B_API, rest: LAB.B_REST, options: loc.options, ...x });

      test('get meta=userinfo on B returns the global user', async (t) => {
        if (!requireCentralAuth(t)) return;
        await loc.open(ctx.page, build);
        start = ctx.net.mark();
        const r = await inPage(
          ctx.page,
          ({ api, options }) => new FW.ForeignApi(api, options).get({ action: 'query', meta: 'userinfo' }),
          api(),
        );
        const wire = await ctx.net.settle(start);
        assert.ok(r.ok, JSON.stringify(r.error));
        assert.deepEqual(r.value.query.userinfo, { id: 1, name: LAB.ADMIN.user });
        assert.equal(d(wire[0]), `A GET centralauthtoken${loc.origin === 'S' ? ' origin=S' : ''}`, 'same-origin on A: no origin');
        assert.equal(d(wire[1]), `B GET query meta=userinfo origin=${loc.origin} +cat`);
        assert.equal(wire[1].respHeaders['access-control-allow-origin'], loc.origin === 'S' ? LAB.STATIC : LAB.A);
        assert.equal(wire.filter((e) => e.preflight).length, 0, 'no preflight for an api.php GET');
        assertCentralAuthWire(wire, 'userinfo');
      });

      test('postWithToken action=options and an edit succeed as Admin, read back on B', async (t) => {
        if (!requireCentralAuth(t)) return;
        const value = `${loc.origin}-${build}-${Date.now()}`;
        const title = uniqueTitle(`Fwtest CA ${loc.origin} ${build}`);
        const mark = ctx.net.mark();
        const r = await inPage(
          ctx.page,
          async ({ api, options, value, title }) => {
            const fa = new FW.ForeignApi(api, options);
            const opt = await fa.postWithToken('csrf', { action: 'options', change: `userjs-fwtest-ca=${value}` });
            const edit = await fa.postWithToken('csrf', { action: 'edit', title, text: `CentralAuth edit ${value}`, summary: 'fwtest CA' });
            const back = await fa.get({ action: 'query', meta: 'userinfo', uiprop: 'options' });
            return { opt, edit: edit.edit, option: back.query.userinfo.options['userjs-fwtest-ca'] };
          },
          api({ value, title }),
        );
        const wire = await ctx.net.settle(mark);
        assert.ok(r.ok, JSON.stringify(r.error));
        assert.deepEqual(r.value.opt, { options: 'success' });
        assert.equal(r.value.edit.result, 'Success');
        assert.equal(r.value.option, value, 'the option reads back through the library');
        const rev = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user|content', rvslots: 'main' });
        assert.equal(rev.query.pages[0].revisions[0].user, LAB.ADMIN.user, 'the edit is by Admin');
        assert.equal(rev.query.pages[0].revisions[0].slots.main.content, `CentralAuth edit ${value}`);
        const toB = wire.filter((e) => site(e.url) === 'B').map(d);
        assert.deepEqual(toB.map((x) => x.replace(/ (change|title)=.*? origin/, ' origin')), [
          `B GET query meta=tokens type=csrf origin=${loc.origin} +cat`,
          `B POST options origin=${loc.origin} +cat`,
          `B POST edit origin=${loc.origin} +cat`,
          `B GET query meta=userinfo origin=${loc.origin} +cat`,
        ], 'one csrf token fetch serves both writes');
        // The csrf token goes last in the POST body, never in the URL.
        for (const e of wire.filter((x) => x.method === 'POST')) {
          assert.ok(!new URL(e.url).searchParams.has('token'));
          assert.match(e.postData, /&token=[0-9a-f]+%2B%5C$/);
        }
        assertCentralAuthWire(wire, 'writes');
      });

      test('REST: GET /coredev/v0/me/contributions is 200 and PUT /v1/page/{title} edits as Admin', async (t) => {
        if (!requireCentralAuth(t)) return;
        const title = uniqueTitle(`Fwtest REST ${loc.origin} ${build}`).replace(/ /g, '_');
        const mark = ctx.net.mark();
        const r = await inPage(
          ctx.page,
          async ({ rest, options, title }) => {
            const fr = new FW.ForeignRest(rest, options);
            const me = await fr.get('/coredev/v0/me/contributions');
            const put = await fr.put('/v1/page/{title}', { source: 'REST with a CentralAuthToken', comment: 'fwtest REST' }, {}, { pathParams: { title } });
            return { contributions: Array.isArray(me.contributions), n: me.contributions.length, put: { title: put.title, source: put.source } };
          },
          api({ title }),
        );
        const wire = await ctx.net.settle(mark);
        assert.ok(r.ok, JSON.stringify(r.error));
        assert.equal(r.value.contributions, true);
        assert.ok(r.value.n >= 1, 'Admin has contributions on B');
        assert.equal(r.value.put.source, 'REST with a CentralAuthToken');
        const hist = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user|comment' });
        assert.equal(hist.query.pages[0].revisions[0].user, LAB.ADMIN.user, 'the REST edit is by Admin');
        const calls = wire.filter((e) => site(e.url) === 'B' && !e.preflight);
        assert.deepEqual(calls.map((e) => `${e.method} ${e.status}`), ['GET 200', 'PUT 201']);
        for (const e of calls) {
          assert.match(e.reqHeaders.authorization, /^CentralAuthToken [0-9a-f]+$/);
          assert.ok(!new URL(e.url).searchParams.has('centralauthtoken'), 'REST: the token is a header only');
          assert.equal(e.respHeaders['access-control-allow-credentials'], 'true');
        }
        const preflights = wire.filter((e) => e.preflight);
        assert.ok(preflights.length >= 1, 'the Authorization header is preflighted');
        for (const p of preflights) {
          assert.equal(p.method, 'OPTIONS');
          assert.match(p.reqHeaders['access-control-request-headers'], /authorization/);
          assert.equal(p.cookieHeader || '', '');
        }
        assertCentralAuthWire(wire, 'REST');
      });

      if (loc.origin === 'A') {
        test('install(): a gadget written for mw.ForeignApi (jQuery-style .done) runs on foreign-wasm unchanged', async (t) => {
          if (!requireCentralAuth(t)) return;
          const mark = ctx.net.mark();
          const r = await inPage(
            ctx.page,
            ({ api, rest }) => {
              const restore = FW.install(mw);
              const traced = fwTrace.length;
              const done = new Promise((resolve, reject) => {
                // Old-style gadget code: mw.ForeignApi, mw.ForeignRest(url, foreignApi), .done/.fail.
                const fa = new mw.ForeignApi(api);
                fa.get({ action: 'query', meta: 'userinfo' })
                  .done((data) => {
                    new mw.ForeignRest(rest, fa)
                      .get('/coredev/v0/me/contributions')
                      .done((r2) => resolve({ name: data.query.userinfo.name, n: r2.contributions.length, ours: fwTrace.length > traced }))
                      .fail((code) => reject(new Error('rest ' + code)));
                  })
                  .fail((code) => reject(new Error(code)));
              });
              return done.finally(restore);
            },
            api(),
          );
          const wire = await ctx.net.settle(mark);
          assert.ok(r.ok, JSON.stringify(r.error));
          assert.deepEqual(r.value, { name: LAB.ADMIN.user, n: r.value.n, ours: true });
          assert.ok(r.value.n >= 1);
          assertCentralAuthWire(wire, 'install()');
        });
      }

      test('over the whole run: tokens unique, only to B, B never saw a cookie', async (t) => {
        if (!requireCentralAuth(t)) return;
        const wire = await ctx.net.settle(start);
        const ledger = assertCentralAuthWire(wire, 'whole run');
        const uses = ledger.uses.length;
        assert.equal(uses, loc.origin === 'A' ? 9 : 7, `tokens used: ${uses} (1 read, 4 for the writes, 2 REST${loc.origin === 'A' ? ', 2 install()' : ''})`);
        // Minted but never used = prefetched tokens thrown away (never sent anywhere).
        t.diagnostic(`centralauthtokens minted ${ledger.minted.length}, used ${uses}, discarded unused ${ledger.mintedUnused.length}`);
      });

      if (loc.origin === 'S') {
        test('checkForeignLogin: the cookie check of B runs beside the first call, never in front of it', async (t) => {
          if (!requireCentralAuth(t)) return;
          const mark = ctx.net.mark();
          const r = await inPage(
            ctx.page,
            async ({ api, options }) => {
              const notices = [];
              const stop = FW.onTrace((e) => e.phase === 'notice' && notices.push(e.code));
              const fa = new FW.ForeignApi(api, { ...options, checkForeignLogin: true });
              const a = await fa.get({ action: 'query', meta: 'userinfo' });
              const b = await fa.get({ action: 'query', meta: 'userinfo' });
              stop();
              return { names: [a.query.userinfo.name, b.query.userinfo.name], notices };
            },
            api(),
          );
          const wire = await ctx.net.settle(mark);
          assert.ok(r.ok, JSON.stringify(r.error));
          assert.deepEqual(r.value.names, [LAB.ADMIN.user, LAB.ADMIN.user]);
          // B's cookies are withheld cross-site, so the check finds no login and the calls keep using tokens.
          assert.ok(r.value.notices.includes('no-foreign-login'), r.value.notices.join());
          const check = wire.find((e) => /meta=userinfo%7Ctokens|meta=userinfo\|tokens/.test(e.url));
          assert.ok(check, wire.map(d).join('\n'));
          assert.deepEqual(centralTokenOf(check), [], 'the check carries no token');
          const first = wire.find((e) => site(e.url) === 'A');
          assert.ok(check.issued <= first.end, 'issued before the first token request ended: in parallel');
          assertCentralAuthWire(wire.filter((e) => e !== check), 'checkForeignLogin');
        });
      }
    });
  }
}

test('no uncaught errors in the test pages', (t) => {
  if (!ctx) return t.skip('no pages were opened');
  assert.deepEqual([...ctx.errors], []);
});
