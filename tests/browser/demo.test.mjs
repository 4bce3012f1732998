// The demo page (demo/) in headless Chromium against the real-wiki lab: it clicks the ready-made calls, checks what
// the page says (results, named errors and their fixes) and the request waterfall it draws from onTrace(), and takes
// screenshots at laptop (1280×800) and phone (390×844) widths into build/screenshots/.
//   FW_DEMO_SCREENSHOT=1  also copies the laptop screenshot to demo/screenshot.png (the README's picture)
//
// Run: bash tests/browser/run.sh tests/browser/demo.test.mjs   (or node --test tests/browser/demo.test.mjs with
// the lab up and js/dist built: bash demo/start.sh does both)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { recordWire } from './lib/wire-record.mjs';
import { LAB, REPO, makeBReadOnly, requireCentralAuth, uniqueTitle } from './lib/lab.mjs';
import { loginViaRequest } from './lib/browser.mjs';

const SHOTS = join(REPO, 'build', 'screenshots');
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const DEMO = `${LAB.STATIC}/demo/`;

let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = recordWire(await chromium.launch({
    executablePath: process.env.FW_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  }));
});

after(async () => {
  await browser?.close();
});

/* ------------------------------------------------------------------------------------------------ helpers */

/** A fresh browser context (own cookies) on the demo; resolves once the page checked the local login. */
async function openDemo(query = '', { viewport = LAPTOP, origin } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = origin ? `${origin}/demo/${query}` : `${DEMO}${query}`;
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForFunction(() => {
    const state = document.querySelector('#login-status').dataset.state;
    return state && state !== 'checking';
  });
  return { context, page, errors };
}

/** Logs in on wiki A with the page's lab helper button. */
async function labLogin(page, user = LAB.ADMIN.user) {
  await page.click(`#lab-login-buttons button[data-user="${user}"]`);
  await page.waitForSelector('#login-status[data-state="in"]');
  assert.match(await page.textContent('#login-status'), new RegExp(`as ${user}`));
}

/** Picks a ready-made call, fills its fields, runs it and waits until the result (and its explanation) is shown. */
async function runCall(page, scenario, fields = {}, { timeout = 30000 } = {}) {
  await page.click(`.tab[data-scenario="${scenario}"]`);
  for (const [name, value] of Object.entries(fields)) {
    const selector = `#f-${scenario}-${name}`;
    if ((await page.$eval(selector, (e) => e.tagName)) === 'SELECT') await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
  await page.click('#run');
  await page.waitForFunction(() => {
    const box = document.querySelector('#result');
    return box.dataset.state === 'ok' || (box.dataset.state === 'error' && box.dataset.explained === '1');
  }, null, { timeout });
  const box = await page.$('#result');
  return {
    state: await box.getAttribute('data-state'),
    errorName: await box.getAttribute('data-error-name'),
    errorCode: await box.getAttribute('data-error-code'),
    text: await box.innerText(),
  };
}

/** The waterfall rows as drawn: [{purpose, method, status, credentials, wiki, after, diag, url, why}]. */
async function rows(page) {
  return page.$$eval('#waterfall .wf-row[data-purpose]', (list) => list.map((r) => ({
    purpose: r.dataset.purpose,
    method: r.dataset.method,
    status: r.dataset.status,
    credentials: r.dataset.credentials,
    wiki: r.dataset.wiki,
    after: r.dataset.after === '1',
    diag: r.dataset.diag === '1',
    url: r.querySelector('.wf-url').getAttribute('title'),
    why: r.querySelector('.wf-why').textContent,
  })));
}

/**
 * Clicks Run and waits until this run's own call has its first answer (HTTP 200: readonly is refused with 200).
 * Rows of earlier runs stay drawn until the next render, so the row must carry a call id not seen before the click.
 */
async function runUntilAnswered(page) {
  const earlier = await page.$$eval('#waterfall .wf-row[data-call]', (list) => list.map((r) => r.dataset.call));
  await page.click('#run');
  await page.waitForFunction((seen) => [...document.querySelectorAll('#waterfall .wf-row[data-purpose="call"]')]
    .some((r) => r.dataset.status === '200' && !seen.includes(r.dataset.call)), earlier);
}

/** Waits until no drawn request is still pending (a prefetch may follow the call). */
async function settledRows(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('#waterfall .wf-row[data-purpose]')].some((r) => r.dataset.status === 'pending'));
  return rows(page);
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function readOnB(title) {
  const url = `${LAB.B_API}?action=query&prop=revisions&rvprop=content&rvslots=main&format=json&formatversion=2&titles=${encodeURIComponent(title)}`;
  const data = await (await fetch(url)).json();
  return data.query.pages[0].revisions?.[0]?.slots?.main?.content ?? null;
}

/* ------------------------------------------------------------------------------------------------ tests */

test('the page loads with the lab wikis and shows the code it runs', async () => {
  const { context, page, errors } = await openDemo();
  try {
    assert.equal(await page.inputValue('#foreign-api'), LAB.B_API);
    assert.equal(await page.inputValue('#local-api'), LAB.A_API);
    assert.equal(await page.$eval('input[name=auth]:checked', (e) => e.value), 'centralauth');
    assert.equal(await page.getAttribute('#login-status', 'data-state'), 'out', 'a fresh browser is not logged in on A');
    const code = await page.textContent('#code');
    assert.match(code, new RegExp(`new ForeignApi\\('${LAB.B_API.replace(/[.]/g, '\\.')}'`));
    assert.match(code, /centralAuth: 'http:\/\/127\.0\.0\.1:8201\/w\/api\.php'/);
    assert.match(code, /api\.get\(\{ action: 'query', meta: 'userinfo'/);
    // Another wiki pair from the URL query: the form follows it.
    await page.goto(`${DEMO}?foreign=${encodeURIComponent('https://commons.wikimedia.org/w/api.php')}&auth=anonymous`);
    await page.waitForSelector('body[data-ready="1"]');
    assert.equal(await page.inputValue('#foreign-api'), 'https://commons.wikimedia.org/w/api.php');
    assert.equal(await page.inputValue('#foreign-rest'), 'https://commons.wikimedia.org/w/rest.php');
    assert.equal(await page.$eval('input[name=auth]:checked', (e) => e.value), 'anonymous');
    assert.equal(await page.isHidden('#local-box'), true, 'no local wiki in anonymous mode');
    assert.match(await page.textContent('#code'), /anonymous: true/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('CentralAuth without a local login: named error, the fix, and the login helper', async (t) => {
  if (!requireCentralAuth(t)) return;
  const { context, page, errors } = await openDemo();
  try {
    const result = await runCall(page, 'whoami');
    assert.equal(result.state, 'error');
    assert.equal(result.errorName, 'CentralAuthError');
    assert.equal(result.errorCode, 'centralauthtoken-unavailable');
    assert.match(result.text, /Log in on wiki A first/);
    const list = await rows(page);
    assert.equal(list.length, 1, JSON.stringify(list));
    assert.equal(list[0].purpose, 'centralauthtoken');
    assert.equal(list[0].wiki, 'local');
    assert.equal(list[0].credentials, 'include');
    assert.equal(list[0].status, '200');

    // The fix offered on the error: log in on A (lab helper), then the same call works.
    await page.click('#result button:has-text("Log in on wiki A as Admin")');
    await page.waitForSelector('#login-status[data-state="in"]');
    const again = await runCall(page, 'whoami');
    assert.equal(again.state, 'ok', again.text);
    assert.match(again.text, /On wiki B you are Admin \(user id \d+\)/);
    const wf = await settledRows(page);
    const own = wf.filter((r) => !r.after);
    assert.deepEqual(own.map((r) => r.purpose), ['centralauthtoken', 'call']);
    assert.deepEqual(own.map((r) => [r.wiki, r.method, r.credentials, r.status]), [
      ['local', 'GET', 'include', '200'],
      ['foreign', 'GET', 'omit', '200'],
    ]);
    assert.match(own[1].url, /centralauthtoken=•••/, 'the token is masked');
    assert.match(own[1].url, /origin=http%3A%2F%2F127\.0\.0\.1%3A8200/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('CentralAuth write: centralauthtoken + token + call rows, read back on B, screenshots', async (t) => {
  if (!requireCentralAuth(t)) return;
  const { context, page, errors } = await openDemo('?call=edit');
  try {
    await labLogin(page);
    const title = uniqueTitle('Demo sandbox');
    const marker = `demo-test ${Date.now()}`;
    const result = await runCall(page, 'edit', { title, text: marker });
    assert.equal(result.state, 'ok', result.text);
    assert.match(result.text, /Saved revision \d+ of/);
    assert.match(await readOnB(title), new RegExp(marker), 'the text is on wiki B');

    const wf = await settledRows(page);
    const own = wf.filter((r) => !r.after);
    const purposes = own.map((r) => r.purpose);
    assert.equal(purposes.filter((p) => p === 'centralauthtoken').length, 2, `one for the token fetch, one for the call: ${purposes}`);
    assert.deepEqual(own.filter((r) => r.purpose !== 'centralauthtoken').map((r) => [r.purpose, r.method, r.wiki, r.credentials, r.status]), [
      ['token', 'GET', 'foreign', 'omit', '200'],
      ['call', 'POST', 'foreign', 'omit', '200'],
    ]);
    for (const r of own.filter((x) => x.purpose === 'centralauthtoken')) {
      assert.deepEqual([r.method, r.wiki, r.credentials, r.status], ['GET', 'local', 'include', '200']);
    }
    assert.ok(own.every((r) => r.why.length > 0), 'every row says why');
    assert.ok(purposes.indexOf('token') < purposes.indexOf('call'));
    // After the call, the library fills its pocket with the next call's centralauthtoken: drawn, and marked as such.
    const later = wf.filter((r) => r.after);
    assert.ok(later.some((r) => r.purpose === 'centralauthtoken' && /pocket/.test(r.why)), JSON.stringify(later));
    assert.equal(await page.$$eval('#waterfall .wf-settled', (l) => l.length > 0), true, 'the settle line is drawn');

    // No csrf or centralauthtoken value anywhere on the page.
    const html = await page.content();
    assert.doesNotMatch(html, /centralauthtoken=[0-9a-f]{8}/);
    assert.doesNotMatch(html, /[0-9a-f]{32}\+\\/);

    assert.equal(await noHorizontalScroll(page), true, 'no horizontal scrolling at 1280 px');
    await page.screenshot({ path: join(SHOTS, 'demo-laptop.png'), fullPage: true });
    if (process.env.FW_DEMO_SCREENSHOT === '1') copyFileSync(join(SHOTS, 'demo-laptop.png'), join(REPO, 'demo', 'screenshot.png'));

    // The second write reuses the csrf token and the pocket's centralauthtoken: just the call, and beside it the
    // pocket's replacement (which the call does not wait for).
    const second = await runCall(page, 'edit', { title, text: `${marker} again` });
    assert.equal(second.state, 'ok', second.text);
    const all2 = await settledRows(page);
    const wf2 = all2.filter((r) => !r.after);
    assert.deepEqual(wf2.map((r) => r.purpose), ['call'], JSON.stringify(wf2));
    const pocket = all2.filter((r) => r.after && r.purpose === 'centralauthtoken' && /pocket/.test(r.why));
    assert.equal(pocket.length, 1, 'one spare, for the next call');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('phone width (390×844): one column, no horizontal scrolling, the waterfall still readable', async (t) => {
  if (!requireCentralAuth(t)) return;
  const { context, page, errors } = await openDemo('?call=option', { viewport: PHONE });
  try {
    assert.equal(await page.$eval('#connection', (d) => d.open), false, 'the connection panel is folded on phones');
    assert.match(await page.textContent('#conn-line'), /wiki B · CentralAuth/);
    await page.click('.conn-summary');
    await labLogin(page);
    await page.click('.conn-summary');
    const value = `phone ${Date.now()}`;
    const result = await runCall(page, 'option', { value });
    assert.equal(result.state, 'ok', result.text);
    assert.match(result.text, new RegExp(`userjs-foreign-wasm-demo = "${value}" ✓`));
    const wf = await settledRows(page);
    assert.ok(wf.some((r) => r.purpose === 'token'));
    assert.equal(wf.filter((r) => r.purpose === 'call').length, 2, 'the write and the read-back');
    assert.equal(await noHorizontalScroll(page), true, 'no horizontal scrolling at 390 px');
    const bar = await page.$eval('#waterfall .wf-row[data-purpose] .wf-bar', (b) => b.getBoundingClientRect().width);
    assert.ok(bar >= 3, 'bars are drawn');
    await page.screenshot({ path: join(SHOTS, 'demo-phone.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('read a page, search titles over REST, and a custom call, with CentralAuth', async (t) => {
  if (!requireCentralAuth(t)) return;
  const { context, page, errors } = await openDemo();
  try {
    await labLogin(page);
    const read = await runCall(page, 'read', { title: 'Main Page' });
    assert.equal(read.state, 'ok', read.text);
    assert.match(read.text, /Main Page — last edited by/);
    assert.match(await page.textContent('#result pre.wikitext'), /Wiki B/);

    const search = await runCall(page, 'search', { q: 'Mai' });
    assert.equal(search.state, 'ok', search.text);
    assert.match(search.text, /Main Page/);
    const rest = (await settledRows(page)).filter((r) => r.purpose === 'call');
    assert.equal(rest.length, 1);
    const sent = new URL(rest[0].url);
    assert.equal(sent.pathname, '/w/rest.php/v1/search/title');
    assert.deepEqual(Object.fromEntries(sent.searchParams), { q: 'Mai', limit: '10' });
    assert.equal(rest[0].credentials, 'omit', 'REST with CentralAuth: the token goes in a header, no cookies');
    assert.match(await page.textContent('#code'), /rest\.get\('\/v1\/search\/title'/);

    const custom = await runCall(page, 'custom', { kind: 'get', params: 'action=query\nmeta=siteinfo\nsiprop=general' });
    assert.equal(custom.state, 'ok', custom.text);
    assert.match(await page.textContent('#result pre'), /"sitename": "Wiki B"/);
    assert.match(await page.textContent('#code'), /api\.get\(\{ action: 'query', meta: 'siteinfo', siprop: 'general' \}\)/);

    const page2 = await runCall(page, 'custom', { kind: 'rest-get', path: '/v1/page/{title}', pathTitle: 'Main Page' });
    assert.equal(page2.state, 'ok', page2.text);
    assert.match(await page.textContent('#result pre'), /"key": "Main_Page"/);
    assert.match(await page.textContent('#code'), /rest\.get\('\/v1\/page\/\{title\}', undefined, undefined, \{ pathParams: \{ title: 'Main Page' \} \}\)/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('cookies from this page: anonymous on B, and a write is refused with the fix', async () => {
  const { context, page, errors } = await openDemo('?auth=cookies');
  try {
    const who = await runCall(page, 'whoami');
    assert.equal(who.state, 'ok');
    assert.match(who.text, /On wiki B you are anonymous/);
    assert.match(who.text, /third-party cookies/);
    const [call] = await rows(page);
    assert.deepEqual([call.purpose, call.credentials], ['call', 'include']);

    const edit = await runCall(page, 'edit', { title: uniqueTitle('Demo cookies') });
    assert.equal(edit.state, 'error');
    assert.equal(edit.errorName, 'ApiError');
    assert.equal(edit.errorCode, 'assertuserfailed');
    assert.match(edit.text, /You are not logged in on wiki B/);
    assert.match(edit.text, /Use CentralAuth/);
    // The edit's assert=user goes to the token fetch too (as in mw.Api): it fails there, nothing else is sent.
    assert.deepEqual((await rows(page)).map((r) => [r.purpose, r.credentials]), [['token', 'include']]);
    // The fix button switches the mode.
    await page.click('#result button:has-text("Use CentralAuth")');
    assert.equal(await page.$eval('input[name=auth]:checked', (e) => e.value), 'centralauth');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('anonymous: reads work with origin=*, writes get a named error', async () => {
  const { context, page, errors } = await openDemo('?auth=anonymous');
  try {
    const who = await runCall(page, 'whoami');
    assert.equal(who.state, 'ok');
    const [call] = await rows(page);
    assert.equal(call.credentials, 'omit');
    assert.match(call.url, /origin=(\*|%2A)(&|$)/);
    const edit = await runCall(page, 'edit');
    assert.equal(edit.errorName, 'ApiError');
    assert.equal(edit.errorCode, 'assertuserfailed'); // at the token fetch, which carries the edit's assert=user
    assert.match(edit.text, /Anonymous requests cannot write/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('B is read-only: the named error with the reason; with a budget the library waits and retries', async (t) => {
  if (!requireCentralAuth(t)) return;
  const reason = 'Demo test: database maintenance';
  const { context, page, errors } = await openDemo('?retry=0');
  let undo = makeBReadOnly(reason);
  try {
    await labLogin(page);
    const title = uniqueTitle('Demo read-only');
    const failed = await runCall(page, 'edit', { title });
    assert.equal(failed.state, 'error');
    assert.equal(failed.errorName, 'ApiError');
    assert.equal(failed.errorCode, 'readonly');
    assert.match(failed.text, new RegExp(`wiki B is read-only: “${reason}”`));
    assert.match(failed.text, /Writes are refused until/);

    // Default budget (65 s): MediaWiki sends no Retry-After for readonly, the library waits 30 s and tries again.
    await page.click('.advanced summary');
    await page.fill('#opt-retry', '65000');
    await page.press('#opt-retry', 'Tab');
    await page.click('.tab[data-scenario="edit"]');
    await page.fill('#f-edit-title', title);

    // While the library waits for its retry, Abort ends the call: AbortError, and no retry is sent.
    await runUntilAnswered(page);
    await page.click('#abort');
    await page.waitForFunction(() => document.querySelector('#result').dataset.explained === '1');
    assert.equal(await page.getAttribute('#result', 'data-error-name'), 'AbortError');
    assert.match(await page.innerText('#result'), /You aborted the call/);
    await page.waitForTimeout(300);
    assert.equal((await rows(page)).some((r) => r.purpose === 'retry'), false);

    await runUntilAnswered(page);
    undo();
    undo = () => {};
    await page.waitForFunction(() => document.querySelector('#result').dataset.state === 'ok', null, { timeout: 60000 });
    const wf = (await settledRows(page)).filter((r) => !r.after);
    const retry = wf.filter((r) => r.purpose === 'retry');
    assert.equal(retry.length, 1, JSON.stringify(wf));
    assert.match(retry[0].why, /readonly/);
    assert.equal(retry[0].status, '200');
    assert.match(await readOnB(title), /Hello from the foreign-wasm playground/);
    await page.screenshot({ path: join(SHOTS, 'demo-retry.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    undo();
    await context.close();
  }
});

test('an origin the wikis do not list: the page says which $wgCrossSiteAJAXdomains is missing it', async () => {
  const { context, page, errors } = await openDemo('?auth=cookies', { origin: LAB.UNLISTED });
  try {
    const who = await runCall(page, 'whoami');
    assert.equal(who.errorName, 'NetworkError');
    assert.match(who.text, /wiki B does not list this origin in \$wgCrossSiteAJAXdomains/);
    assert.match(who.text, new RegExp(`add '${new URL(LAB.UNLISTED).host}'`));
    const wf = await rows(page);
    assert.deepEqual(wf.map((r) => [r.purpose, r.status, r.diag]), [['call', 'network', false], ['call', '200', true]],
      'the failed call, then the anonymous probe the page used to tell a CORS refusal from a dead wiki');

    // CentralAuth from there: the local wiki refuses to hand out the token, and the page says so.
    await page.click('input[name=auth][value=centralauth]');
    await page.waitForSelector('#login-status[data-state="error"]');
    assert.match(await page.textContent('#login-status'), /does not answer this page/);
    const ca = await runCall(page, 'whoami');
    assert.equal(ca.errorName, 'NetworkError');
    assert.match(ca.text, /wiki A did not give this page a centralauthtoken/);
    await page.screenshot({ path: join(SHOTS, 'demo-unlisted-origin.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('OAuth 2: "Sign in with wiki B" opens the consent page, the waterfall shows the token exchange, calls carry the Bearer', async (t) => {
  if (LAB.env.FW_LAB_OAUTH !== '1') {
    if (process.env.CI === 'true') throw new Error('the lab has no Extension:OAuth (FW_LAB_OAUTH=0) under CI=true');
    t.skip('!!! no Extension:OAuth in this lab (FW_LAB_OAUTH=0)');
    return;
  }
  const { context, page, errors } = await openDemo('?auth=oauth2');
  try {
    await loginViaRequest(context, LAB.B, LAB.TESTER); // the consent page needs Tester logged in on B
    assert.equal(await page.isVisible('#oauth-box'), true);
    assert.equal(await page.textContent('#oauth-signin'), 'Sign in with wiki B');
    assert.match(await page.textContent('#code'), /new OAuth2Client\(/);
    assert.match(await page.textContent('#code'), /oauth2: oauth2Client/);
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#oauth-signin')]);
    await popup.waitForURL(/Special:OAuth\/approve/);
    await Promise.all([popup.waitForEvent('close'), popup.click('#mw-mwoauth-authorize-form [name=accept]')]);
    await page.waitForSelector('#oauth-status[data-state="in"]');
    const exchange = (await settledRows(page)).filter((r) => r.purpose === 'oauth2-code');
    assert.equal(exchange.length, 1);
    assert.equal(exchange[0].method, 'POST');
    assert.equal(exchange[0].status, '200');
    assert.equal(exchange[0].credentials, 'omit');
    assert.equal(exchange[0].url, `${LAB.B_REST}/oauth2/access_token`);

    const result = await runCall(page, 'whoami');
    assert.equal(result.state, 'ok', result.text);
    assert.match(result.text, new RegExp(LAB.TESTER.user));
    const calls = (await settledRows(page)).filter((r) => r.purpose === 'call');
    assert.ok(calls.length >= 1 && calls.every((r) => r.credentials === 'omit' && r.wiki === 'foreign'));
    assert.ok(await page.$$eval('#waterfall .wf-row[data-purpose="call"] [data-bearer="1"]', (l) => l.length >= 1), 'the call row says Bearer');
    const tokens = JSON.parse(await page.evaluate(() => Object.entries(sessionStorage).find(([k]) => k.startsWith('foreign-wasm.oauth2.') && !k.endsWith('.pending'))[1]));
    const html = await page.content();
    assert.ok(!html.includes(tokens.accessToken) && !html.includes(tokens.refreshToken), 'no token drawn in the page');
    await page.screenshot({ path: join(SHOTS, 'demo-oauth2.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a timeout: TimeoutError is named and explained', async () => {
  const { context, page, errors } = await openDemo('?auth=anonymous&timeout=1');
  try {
    const who = await runCall(page, 'whoami');
    assert.equal(who.errorName, 'TimeoutError');
    assert.match(who.text, /wiki B did not answer in time/);
    assert.deepEqual((await rows(page)).map((r) => r.status), ['timeout']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a wrong address: HTTP 404 is named and explained', async () => {
  const bad = `${LAB.STATIC}/no-wiki-here/api.php`;
  const { context, page, errors } = await openDemo(`?auth=anonymous&foreign=${encodeURIComponent(bad)}`);
  try {
    assert.equal(await page.inputValue('#preset'), 'custom');
    const who = await runCall(page, 'whoami');
    assert.equal(who.errorName, 'HttpError');
    assert.match(who.text, /HTTP 404/);
    assert.match(who.text, /check that the address ends in api\.php/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
