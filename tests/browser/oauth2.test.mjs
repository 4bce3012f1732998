// OAuth 2 in Chromium against the lab's real Extension:OAuth (REL1_39) on wiki B:
//   * the PKCE flow from the static origin: OAuth2Client.authorizeWithPopup, the consent form clicked by the test,
//     the callback page, the code exchange (credentials omitted, no secret); a popup closed by the user;
//   * a Bearer edit on B through ForeignApi (origin=<static origin>, which B lists), attributed to Tester and
//     tagged "OAuth CID: <n>";
//   * a REST PUT from http://localhost:8200, an origin B does not list (rest.php takes a Bearer from any origin);
//   * api.php from that origin: OAuthError oauth-api-origin, and the token never reached B's api.php;
//   * an expired access token (a short lifetime set through B's run-time overrides): refreshed before the call, and,
//     when the client still believes it valid, the refused call repeated once after one refresh; a public client
//     without its secret (1.39 cannot refresh it): OAuthError oauth2-reauthorize, no refresh, no loop.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { LAB, SECRETS, uniqueTitle } from './lib/lab.mjs';
import { inPage, launch, loginInBrowser, newPage, openHarness, readB } from './lib/browser.mjs';
import { describe as d, site } from './lib/netlog.mjs';

const env = LAB.env;
const OAUTH = env.FW_LAB_OAUTH === '1';
const CLIENT = { restUrl: LAB.B_REST, clientId: env.FW_LAB_OAUTH2_PUBLIC_ID, redirectUri: env.FW_LAB_OAUTH2_PUBLIC_REDIRECT };
const runtimeFile = env.FW_LAB_B_RUNTIME_FILE;
const isTokenCall = (e) => /\/oauth2\/access_token$/.test(new URL(e.url).pathname);

/** B's run-time overrides (tests/lab/README.md): read on every request, no restart. Written atomically. */
function overrideB(php) {
  writeFileSync(`${runtimeFile}.tmp`, `<?php\n// tests/browser/oauth2.test.mjs\n${php}\n`);
  renameSync(`${runtimeFile}.tmp`, runtimeFile);
}
const clearOverrides = () => rmSync(runtimeFile, { force: true });

let browser;
let ctx;
let serialized; // Tester's tokens after the PKCE flow
const timings = {};

before(async () => {
  if (!OAUTH) return;
  // REL1_39 keeps refresh tokens one minute (PT1M): this file refreshes later than that after the flow.
  overrideB("$wgOAuth2RefreshTokenTTL = 'P1D';");
  process.once('exit', clearOverrides);
  browser = await launch();
  ctx = await newPage(browser);
  await loginInBrowser(ctx.page, LAB.B, LAB.TESTER);
});
after(async () => {
  clearOverrides();
  await browser?.close();
});

/**
 * Resolves once B refuses `token` (asked from Node, outside the browser): its `exp` passed on B's clock. Asks every
 * 250 ms, at most 15 s (the token lives 2 s).
 */
async function refusedByB(token) {
  const until = Date.now() + 15000;
  while (Date.now() < until) {
    const answer = await fetch(`${LAB.B_REST}/coredev/v0/me/contributions?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status === 403) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('B still accepts the 2-second token after 15 s');
}

function requireOAuth(t) {
  if (OAUTH) return true;
  const message = '!!! Extension:OAuth is NOT in this lab (FW_LAB_OAUTH=0): the OAuth 2 browser tests did NOT run.';
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: this is a failure)`);
  process.stderr.write(`\n${message}\n\n`);
  t.skip(message);
  return false;
}

describe('OAuth 2 (Extension:OAuth REL1_39 on B)', () => {
  test('PKCE flow from the static origin: popup, consent clicked, callback, code exchanged without cookies or secret', async (t) => {
    if (!requireOAuth(t)) return;
    await openHarness(ctx.page, 'esm');
    await ctx.page.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'signin';
      b.textContent = 'Sign in with wiki B';
      document.body.append(b);
    });
    await inPage(ctx.page, (client) => {
      window.oauth = new FW.OAuth2Client({ ...client, storage: sessionStorage });
      document.getElementById('signin').onclick = () => {
        window.flow = fwTry(() => window.oauth.authorizeWithPopup());
      };
    }, CLIENT);
    const t0 = Date.now();
    const start = ctx.net.mark();
    const popupRequests = [];
    const onRequest = (request) => {
      if (request.frame().page() !== ctx.page) popupRequests.push(`${site(request.url())} ${request.method()} ${new URL(request.url()).pathname}`);
    };
    ctx.context.on('request', onRequest);
    const [popup] = await Promise.all([ctx.context.waitForEvent('page'), ctx.page.click('#signin')]);
    await popup.waitForURL(/Special:OAuth\/approve/);
    const approveUrl = new URL(popup.url());
    const consent = popup.locator('#mw-mwoauth-authorize-form [name=accept]');
    await Promise.all([popup.waitForEvent('close'), consent.click()]);
    const r = await ctx.page.evaluate(() => window.flow);
    timings.flowMs = Date.now() - t0;
    ctx.context.off('request', onRequest);
    // the consent round: authorize (307) → Special:OAuth/approve → POST Allow (302) → authorize (302) → callback
    const navigation = popupRequests.filter((x) => !/load\.php|\.(css|js|png|svg|ico)$/.test(x));
    assert.deepEqual(navigation.filter((x) => x.startsWith('B ')).map((x) => x.split(' ')[1]), ['GET', 'GET', 'POST', 'GET'], navigation.join('\n'));
    assert.ok(navigation.includes('S GET /tests/browser/pages/oauth2-callback.html'), navigation.join('\n'));
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.value.refreshToken.length > 0, true);
    assert.equal(r.value.expiresIn, 3600);
    assert.equal(approveUrl.origin, LAB.B);

    const wire = await ctx.net.settle(start);
    const exchange = wire.filter((e) => isTokenCall(e) && !e.preflight);
    assert.equal(exchange.length, 1, wire.map(d).join('\n'));
    assert.equal(exchange[0].method, 'POST');
    assert.equal(exchange[0].status, 200);
    assert.equal(exchange[0].cookieHeader || '', '', 'credentials omitted: no B cookie on the exchange');
    const body = new URLSearchParams(exchange[0].postData);
    assert.equal(body.get('grant_type'), 'authorization_code');
    assert.match(body.get('code_verifier'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(body.get('client_secret'), null);
    timings.exchangeMs = Math.round((exchange[0].end - exchange[0].issued) * 1000);
    serialized = await ctx.page.evaluate(() => window.oauth.serialize());
    const profile = await (await fetch(`${LAB.B_REST}/oauth2/resource/profile`, {
      headers: { authorization: `Bearer ${JSON.parse(serialized).accessToken}` },
    })).json();
    assert.equal(profile.username, LAB.TESTER.user);
    t.diagnostic(`flow ${timings.flowMs} ms: ${navigation.length} popup requests (${navigation.join(', ')}) + 1 exchange (${timings.exchangeMs} ms)`);
  });

  test('the user closes the consent popup: OAuthError oauth2-popup-closed, nothing exchanged', async (t) => {
    if (!requireOAuth(t)) return;
    await inPage(ctx.page, (client) => {
      const c = new FW.OAuth2Client({ ...client, storageKey: 'closed' });
      document.getElementById('signin').onclick = () => {
        window.closedFlow = fwTry(() => c.authorizeWithPopup());
      };
    }, CLIENT);
    const start = ctx.net.mark();
    const [popup] = await Promise.all([ctx.context.waitForEvent('page'), ctx.page.click('#signin')]);
    await popup.waitForURL(/Special:OAuth\/approve/);
    await popup.close();
    const r = await ctx.page.evaluate(() => window.closedFlow);
    assert.equal(r.ok, false);
    assert.equal(r.error.name, 'OAuthError');
    assert.equal(r.error.code, 'oauth2-popup-closed');
    assert.deepEqual((await ctx.net.settle(start)).filter(isTokenCall), []);
  });

  test('Bearer edit on B from the static origin: saved as Tester, tagged OAuth CID, no cookie, origin=S', async (t) => {
    if (!requireOAuth(t)) return;
    assert.ok(serialized, 'the PKCE flow ran');
    const title = uniqueTitle('OAuth2 edit');
    const start = ctx.net.mark();
    const r = await inPage(ctx.page, ({ api, title }) => new FW.ForeignApi(api, { oauth2: window.oauth })
      .postWithToken('csrf', { action: 'edit', title, text: 'Edited with an OAuth 2 Bearer.', summary: 'oauth2 test' }),
    { api: LAB.B_API, title });
    const wire = await ctx.net.settle(start);
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.value.edit.result, 'Success');
    const calls = wire.filter((e) => !e.preflight);
    assert.deepEqual(calls.map(d), ['B GET query meta=tokens type=csrf origin=S', `B POST edit title=${title.slice(0, 40)}${title.length > 40 ? '…' : ''} origin=S`]);
    const bearer = `Bearer ${JSON.parse(serialized).accessToken}`;
    for (const e of calls) {
      assert.equal(e.reqHeaders.authorization, bearer, d(e));
      assert.equal(e.cookieHeader || '', '', `no cookie: ${d(e)}`);
    }
    const back = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user|tags|comment' });
    const rev = back.query.pages[0].revisions[0];
    assert.equal(rev.user, LAB.TESTER.user);
    assert.ok(rev.tags.some((tag) => /^OAuth CID: \d+$/.test(tag)), JSON.stringify(rev.tags));
  });

  test('REST PUT from an origin B does not list (localhost): 201 as Tester, Bearer, no cookies', async (t) => {
    if (!requireOAuth(t)) return;
    const other = await newPage(browser);
    try {
      await openHarness(other.page, 'esm', LAB.UNLISTED);
      const title = uniqueTitle('OAuth2 REST');
      const start = other.net.mark();
      const r = await inPage(other.page, ({ client, tokens, rest, title }) => {
        window.oauth = new FW.OAuth2Client(client);
        window.oauth.deserialize(tokens);
        return new FW.ForeignRest(rest, { oauth2: window.oauth })
          .put('/v1/page/{title}', { source: 'Created with an OAuth 2 Bearer from an unlisted origin.', comment: 'oauth2 rest' }, {}, { pathParams: { title } });
      }, { client: CLIENT, tokens: serialized, rest: LAB.B_REST, title });
      const wire = await other.net.settle(start);
      assert.ok(r.ok, JSON.stringify(r.error));
      const put = wire.filter((e) => !e.preflight);
      assert.equal(put.length, 1, wire.map(d).join('\n'));
      assert.equal(put[0].status, 201);
      assert.equal(put[0].reqHeaders.origin, LAB.UNLISTED);
      assert.equal(put[0].respHeaders['access-control-allow-origin'], '*');
      assert.equal(put[0].cookieHeader || '', '');
      assert.equal(wire.filter((e) => e.preflight).length, 1, 'Authorization and a JSON body: one preflight');
      const back = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user|tags' });
      assert.equal(back.query.pages[0].revisions[0].user, LAB.TESTER.user);

      // api.php from the same page: refused with a named error, and the token never reached B's api.php
      const start2 = other.net.mark();
      const refused = await inPage(other.page, ({ api }) => new FW.ForeignApi(api, { oauth2: window.oauth })
        .get({ meta: 'userinfo' }), { api: LAB.B_API });
      const wire2 = await other.net.settle(start2);
      assert.equal(refused.ok, false);
      assert.equal(refused.error.name, 'OAuthError');
      assert.equal(refused.error.code, 'oauth-api-origin');
      assert.ok(refused.error.classOk);
      assert.match(refused.error.info, /ForeignRest/);
      assert.match(refused.error.info, /MediaWiki 1\.39/);
      const withToken = wire2.filter((e) => e.reqHeaders.authorization);
      assert.ok(withToken.every((e) => e.preflight === false && e.failed), wire2.map(d).join('\n'));
      const preflight = wire2.find((e) => e.preflight);
      assert.ok(preflight && preflight.reqHeaders['access-control-request-headers'] === 'authorization', 'the preflight asked for Authorization');
      assert.deepEqual(wire2.filter((e) => !e.preflight && !e.reqHeaders.authorization).map((e) => new URL(e.url).searchParams.get('origin')).sort(),
        ['*', LAB.UNLISTED].sort(), 'two anonymous probes without the token');
      assert.ok(wire2.every((e) => !/origin=\*/.test(e.url) || !e.reqHeaders.authorization), 'never origin=* with a Bearer');
    } finally {
      await other.context.close();
    }
  });

  test('expired access token: refreshed before the call; believed valid: refused, one refresh, repeated once', async (t) => {
    if (!requireOAuth(t)) return;
    // short-lived access tokens from now on; refresh with the secret MediaWiki issued to the public client (1.39)
    overrideB("$wgOAuth2RefreshTokenTTL = 'P1D';\n$wgOAuth2GrantExpirationInterval = 'PT2S';");
    await inPage(ctx.page, ({ client, tokens, secret, rest }) => {
      window.FW_REST = rest;
      window.oauth2s = new FW.OAuth2Client({ ...client, clientSecret: secret, storageKey: 'short' });
      // Tester's long-lived token, seen by this client as expired: it must refresh before the call
      window.oauth2s.deserialize(JSON.stringify({ ...JSON.parse(tokens), expiresAt: Date.now() - 1000 }));
    }, { client: CLIENT, tokens: serialized, secret: SECRETS.FW_LAB_OAUTH2_PUBLIC_SECRET, rest: LAB.B_REST });

    let start = ctx.net.mark();
    const proactive = await inPage(ctx.page, () =>
      new FW.ForeignRest(window.FW_REST, { oauth2: window.oauth2s }).get('/coredev/v0/me/contributions', { limit: 1, run: 'proactive' }));
    let wire = (await ctx.net.settle(start)).filter((e) => !e.preflight);
    assert.ok(proactive.ok, JSON.stringify(proactive.error));
    assert.deepEqual(wire.map((e) => (isTokenCall(e) ? `refresh ${e.status}` : `${d(e)} ${e.status}`)),
      ['refresh 200', 'B GET rest /coredev/v0/me/contributions +Authorization:Bearer 200']);
    const short = await ctx.page.evaluate(() => JSON.parse(window.oauth2s.serialize()));
    assert.equal(short.expiresIn, 2);

    // wait for B itself to refuse the short token: the event this test needs
    await refusedByB(short.accessToken);
    // the client still believes it valid (a clock behind B's): the call is refused, refreshed once, repeated once
    await ctx.page.evaluate(() => {
      const s = JSON.parse(window.oauth2s.serialize());
      window.oauth2s.deserialize(JSON.stringify({ ...s, expiresAt: Date.now() + 3600e3, expiresIn: 3600 }));
    });
    start = ctx.net.mark();
    const t0 = Date.now();
    const reactive = await inPage(ctx.page, () =>
      new FW.ForeignRest(window.FW_REST, { oauth2: window.oauth2s }).get('/coredev/v0/me/contributions', { limit: 1, run: 'reactive' }));
    timings.refreshAndRepeatMs = Date.now() - t0;
    wire = (await ctx.net.settle(start)).filter((e) => !e.preflight);
    assert.ok(reactive.ok, JSON.stringify(reactive.error));
    assert.deepEqual(wire.map((e) => (isTokenCall(e) ? `refresh ${e.status}` : `${d(e)} ${e.status}`)), [
      'B GET rest /coredev/v0/me/contributions +Authorization:Bearer 403',
      'refresh 200',
      'B GET rest /coredev/v0/me/contributions +Authorization:Bearer 200',
    ]);
    assert.notEqual(wire[0].reqHeaders.authorization, wire[2].reqHeaders.authorization, 'repeated with the new token');
    const refreshBody = new URLSearchParams(wire[1].postData);
    assert.equal(refreshBody.get('refresh_token'), short.refreshToken);
    t.diagnostic(`refused call + refresh + repeat: ${timings.refreshAndRepeatMs} ms`);

    // a public client without its secret (what a tool page has): no refresh is possible on 1.39
    const noSecret = await ctx.page.evaluate(() => {
      const s = JSON.parse(window.oauth2s.serialize());
      return JSON.stringify({ ...s, expiresAt: Date.now() + 3600e3 });
    });
    await refusedByB(JSON.parse(noSecret).accessToken);
    start = ctx.net.mark();
    const reauth = await inPage(ctx.page, ({ client, tokens }) => {
      const c = new FW.OAuth2Client({ ...client, storageKey: 'public' });
      c.deserialize(tokens);
      return new FW.ForeignRest(window.FW_REST, { oauth2: c }).get('/coredev/v0/me/contributions', { limit: 1, run: 'public' })
        .catch((e) => { window.reauthLeft = c.isAuthorized(); throw e; });
    }, { client: CLIENT, tokens: noSecret });
    wire = (await ctx.net.settle(start)).filter((e) => !e.preflight);
    assert.equal(reauth.ok, false);
    assert.equal(reauth.error.name, 'OAuthError');
    assert.equal(reauth.error.code, 'oauth2-reauthorize');
    assert.match(reauth.error.info, /authorize again/);
    assert.deepEqual(wire.map((e) => `${d(e)} ${e.status}`), ['B GET rest /coredev/v0/me/contributions +Authorization:Bearer 403']);
    assert.equal(await ctx.page.evaluate(() => window.reauthLeft), false, 'the dead tokens are forgotten');
    clearOverrides();
    overrideB("$wgOAuth2RefreshTokenTTL = 'P1D';");
  });

  test('no token in any trace entry; no uncaught errors in the test pages', async (t) => {
    if (!requireOAuth(t)) return;
    const traces = JSON.stringify(await ctx.page.evaluate(() => window.fwTrace));
    const tokens = JSON.parse(serialized);
    assert.ok(!traces.includes(tokens.accessToken) && !traces.includes(tokens.refreshToken));
    assert.ok(JSON.parse(traces).some((e) => e.purpose === 'oauth2-code'));
    assert.ok(JSON.parse(traces).some((e) => e.purpose === 'oauth2-refresh'));
    assert.deepEqual(ctx.errors, []);
    assert.ok(site(LAB.B_REST) === 'B');
  });
});
