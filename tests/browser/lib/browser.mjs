// Debian's Chromium through playwright-core (never a downloaded browser), the test pages, and logins.

import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSER_DIR, DIST, LAB } from './lab.mjs';
import { NetLog } from './netlog.mjs';
import { recordWire } from './wire-record.mjs';

export const BUILDS = (process.env.FW_BROWSER_BUILDS || 'esm,script').split(',');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, with everything it sends recorded for the confinement check (lib/wire-record.mjs). */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.FW_CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return recordWire(browser);
}

/** A fresh context (own cookie jar, own HTTP cache) with one page and its network log. */
export async function newPage(browser) {
  const context = await browser.newContext();
  return { context, ...(await pageIn(context)) };
}

/** Another page (and its network log) in an existing context: same cookie jar and HTTP cache. */
export async function pageIn(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const net = await NetLog.attach(page);
  return { page, net, errors };
}

/** The harness page on the static origin (or `origin`), with `build` loaded: window.FW is the library. */
export async function openHarness(page, build, origin = LAB.STATIC) {
  await page.goto(`${origin}/tests/browser/pages/harness.html?build=${build}`);
  await page.waitForFunction(() => /^(ready|error)/.test(document.title));
  const title = await page.title();
  if (!title.startsWith('ready')) throw new Error(`harness on ${origin} (${build}): ${title}`);
}

const TYPES = { js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm' };

/**
 * A wiki page (default Special:BlankPage, in safe mode) with `build` loaded into it, as a user script or gadget
 * would load it ('none': nothing loaded):
 *   script: <script src="<static origin>/js/dist/foreign-wasm.js"> (a classic script needs no CORS);
 *   esm:    import('/__fw/dist/index.js') on the wiki's own origin. The static origin sends no CORS headers, so the
 *           module files are served by a Playwright route for the time of the load only. The route is removed
 *           before the test runs: with routing on, Playwright answers every CORS preflight itself and disables
 *           the HTTP cache, which would falsify the wire observations.
 */
export async function openWikiPage(page, wiki, build, title = 'Special:BlankPage') {
  // safemode=1: no user or site scripts, so a common.js left by another test (or person) cannot change the page.
  await page.goto(`${wiki}/w/index.php/${title}?safemode=1`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => typeof mw !== 'undefined' && !!mw.loader && !!mw.loader.using);
  if (build === 'none') return;
  const prefix = `${wiki}/__fw/`;
  await page.route(`${prefix}**`, (route) => {
    const path = new URL(route.request().url()).pathname.slice('/__fw/'.length);
    const file =
      path === 'harness.js' ? join(BROWSER_DIR, 'pages', 'harness.js') : normalize(join(DIST, path.replace(/^dist\//, '')));
    if (!file.startsWith(DIST) && !file.startsWith(BROWSER_DIR)) return route.fulfill({ status: 404 });
    try {
      const ext = file.split('.').pop();
      return route.fulfill({ status: 200, body: readFileSync(file), headers: { 'content-type': TYPES[ext] || 'application/octet-stream' } });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  try {
    await page.addScriptTag({ url: `${prefix}harness.js` });
    const loaded = await page.evaluate(
      ([b, urls]) => fwLoad(b, urls).then((x) => 'ready ' + x, (e) => 'error ' + e),
      [build, { esm: '/__fw/dist/index.js', script: `${LAB.STATIC}/js/dist/foreign-wasm.js` }],
    );
    if (!loaded.startsWith('ready')) throw new Error(`${wiki} (${build}): ${loaded}`);
  } finally {
    await page.unrouteAll({ behavior: 'wait' });
  }
}

/** Logs `who` in on `wiki` inside the browser: a page of that wiki, mw.Api clientlogin (same-origin). */
export async function loginInBrowser(page, wiki, who) {
  await page.goto(`${wiki}/w/index.php/Special:BlankPage`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => typeof mw !== 'undefined' && !!mw.loader && !!mw.loader.using);
  const result = await page.evaluate(
    async ({ user, pass }) => {
      await mw.loader.using('mediawiki.api');
      const api = new mw.Api();
      const logintoken = await api.getToken('login');
      const r = await api.post({ action: 'clientlogin', username: user, password: pass, logintoken, loginreturnurl: location.href });
      return r.clientlogin;
    },
    { user: who.user, pass: who.pass },
  );
  if (result.status !== 'PASS') throw new Error(`login of ${who.user} on ${wiki}: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Logs `who` in on `wiki` through Playwright's request context, which shares the browser context's cookie jar
 * (so the browser is logged in afterwards, exactly as after a login in a page).
 */
export async function loginViaRequest(context, wiki, who) {
  const api = `${wiki}/w/api.php`;
  const t = await (await context.request.get(`${api}?action=query&meta=tokens&type=login&format=json`)).json();
  const r = await (
    await context.request.post(api, {
      form: {
        action: 'clientlogin',
        format: 'json',
        username: who.user,
        password: who.pass,
        logintoken: t.query.tokens.logintoken,
        loginreturnurl: `${wiki}/`,
      },
    })
  ).json();
  if (r.clientlogin?.status !== 'PASS') throw new Error(`login of ${who.user} on ${wiki}: ${JSON.stringify(r)}`);
  return r.clientlogin;
}

/** Runs `fn(arg)` in the page inside fwTry: {ok, value, ms} or {ok:false, error:{name, code, …}, ms}. */
export function inPage(page, fn, arg) {
  return page.evaluate(
    ([source, a]) => {
      // eslint-disable-next-line no-new-func
      const f = new Function('return (' + source + ')')();
      return fwTry(() => f(a));
    },
    [fn.toString(), arg === undefined ? null : arg],
  );
}

/** B's API read from Node (no browser, no cookies): for checking what the browser wrote. */
export async function readB(params) {
  const u = new URL(LAB.B_API);
  for (const [k, v] of Object.entries({ format: 'json', formatversion: '2', ...params })) u.searchParams.set(k, v);
  const r = await fetch(u);
  return r.json();
}
