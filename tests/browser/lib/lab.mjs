// The lab as the suite sees it: URLs and accounts from build/lab/env.json (written by tests/lab/up.sh), the
// CentralAuth switch, B's read-only file, and the loud skip of CentralAuth tests when the lab has no CentralAuth.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BROWSER_DIR = join(REPO, 'tests', 'browser');
export const DIST = join(REPO, 'js', 'dist');
const envFile = join(process.env.FW_LAB_DIR || join(REPO, 'build', 'lab'), 'env.json');

if (!existsSync(envFile)) {
  throw new Error(`${envFile} is missing: bring the lab up first (bash tests/lab/up.sh, or run tests/browser/run.sh)`);
}
const env = JSON.parse(readFileSync(envFile, 'utf8'));
// The OAuth consumer secrets: only Node reads them (up.sh keeps them off env.json, which pages can fetch).
const secretsFile = join(dirname(envFile), 'env.secrets.json');
export const SECRETS = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};

export const LAB = {
  env,
  STATIC: env.FW_LAB_STATIC, // http://127.0.0.1:8200, the repository root
  A: env.FW_LAB_A, // wiki A, "local" (where the user logs in)
  A_API: env.FW_LAB_A_API,
  B: env.FW_LAB_B, // wiki B, "foreign"
  B_API: env.FW_LAB_B_API,
  B_REST: env.FW_LAB_B_REST,
  // The static origin under another name: same server, but an origin neither wiki lists in $wgCrossSiteAJAXdomains.
  UNLISTED: env.FW_LAB_STATIC.replace('127.0.0.1', 'localhost'),
  ADMIN: { user: env.FW_LAB_ADMIN_USER, pass: env.FW_LAB_ADMIN_PASS },
  TESTER: { user: env.FW_LAB_TESTER_USER, pass: env.FW_LAB_TESTER_PASS },
  CENTRALAUTH: env.FW_LAB_CENTRALAUTH === '1',
  B_READONLY_FILE: env.FW_LAB_B_READONLY_FILE,
};

export const CI = process.env.CI === 'true';

/**
 * For tests that need CentralAuth: returns true when they can run. Without CentralAuth in the lab the test is
 * skipped with a loud message, except under CI=true, where it fails (a CI lab must have CentralAuth) — unless the
 * lab was brought up without it on purpose (FW_LAB_WITHOUT_CENTRALAUTH=1: the cookie-mode run of 06-onwiki).
 */
export function requireCentralAuth(t) {
  if (LAB.CENTRALAUTH) return true;
  if (LAB.env.FW_LAB_WITHOUT_CENTRALAUTH === '1') {
    t.skip('a lab without CentralAuth by choice (FW_LAB_WITHOUT_CENTRALAUTH=1): this test needs CentralAuth');
    return false;
  }
  const message =
    '!!! CentralAuth is NOT available in this lab (build/lab/env: FW_LAB_CENTRALAUTH=0): ' +
    'the CentralAuth browser tests did NOT run. Provide the CentralAuth tarball and run tests/lab/up.sh again.';
  if (CI) throw new Error(`${message} (CI=true: this is a failure)`);
  process.stderr.write(`\n${message}\n\n`);
  t.diagnostic(message);
  t.skip(message);
  return false;
}

/** Makes B read-only ($wgReadOnlyFile) until the returned function is called (also called on process exit). */
export function makeBReadOnly(reason = 'foreign-wasm browser suite: read-only test') {
  writeFileSync(LAB.B_READONLY_FILE, reason + '\n');
  const undo = () => rmSync(LAB.B_READONLY_FILE, { force: true });
  process.once('exit', undo);
  return undo;
}

/** A page title unique to this run, for sandbox edits. */
export function uniqueTitle(prefix) {
  return `${prefix} ${new Date().toISOString().replace(/[:.]/g, '-')} ${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Resolves once wiki B's clock (curtimestamp) is past `timestamp`'s second. MediaWiki 1.39 compares revision times
 * to the second: a second writer within the base revision's second is taken for the same user
 * (RevisionStore::userWasLastToEdit uses `rev_timestamp >`), so a conflict test must wait for the clock to move on.
 */
export async function waitForBClockPast(timestamp) {
  for (;;) {
    const u = new URL(env.FW_LAB_B_API);
    u.search = new URLSearchParams({ action: 'query', curtimestamp: '1', format: 'json' }).toString();
    const now = (await (await fetch(u)).json()).curtimestamp;
    if (now > timestamp) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A cookie session with wiki B from Node, kept as a browser keeps it: request(url, init) sends the cookies B has set so
 * far and follows no redirect. Logged in as `who` (clientlogin, main password).
 */
export async function sessionOnB(who, fetchFn = fetch) {
  const cookies = new Map();
  const request = async (url, init = {}) => {
    const headers = { ...(init.headers || {}), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    const response = await fetchFn(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  const api = (params) => request(`${env.FW_LAB_B_API}?${new URLSearchParams({ format: 'json', formatversion: '2', ...params })}`);
  const logintoken = (await (await api({ action: 'query', meta: 'tokens', type: 'login' })).json()).query.tokens.logintoken;
  const body = new URLSearchParams({ action: 'clientlogin', format: 'json', username: who.user, password: who.pass, logintoken, loginreturnurl: `${env.FW_LAB_B}/` });
  const login = await (await request(env.FW_LAB_B_API, { method: 'POST', body })).json();
  if (login.clientlogin?.status !== 'PASS') throw new Error(`${who.user} could not log in on B: ${JSON.stringify(login)}`);
  return { request, api };
}

/**
 * A second writer on wiki B outside the library, with its own cookie session (for conflict tests): {edit(params)}.
 * `fetchFn` lets a test keep these requests out of what it counts.
 */
export async function writerOnB(who, fetchFn = fetch) {
  const { request, api } = await sessionOnB(who, fetchFn);
  const token = (await (await api({ action: 'query', meta: 'tokens' })).json()).query.tokens.csrftoken;
  const edit = async (params) => {
    const body = new URLSearchParams({ format: 'json', formatversion: '2', action: 'edit', token, ...params });
    return (await request(env.FW_LAB_B_API, { method: 'POST', body })).json();
  };
  return { edit };
}

/**
 * The action and fields of B's OAuth consent form (#mw-mwoauth-authorize-form, OAuth 1 and 2 alike; MediaWiki quotes
 * attributes with ' or "), with Allow chosen.
 */
export function consentForm(html) {
  const attr = (tag, name) => tag.match(new RegExp(`\\s${name}=(["'])(.*?)\\1`))?.[2];
  const unescape = (v) => v.replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const form = html.match(/<form[^>]*id=["']mw-mwoauth-authorize-form["'][^>]*>([\s\S]*?)<\/form>/);
  if (!form) throw new Error(`no consent form on the page: ${html.match(/<title>[^<]*/)?.[0]}`);
  const fields = new URLSearchParams();
  for (const [input] of form[1].matchAll(/<input[^>]*>/g)) {
    if (attr(input, 'type') !== 'hidden' || !attr(input, 'name')) continue;
    fields.append(unescape(attr(input, 'name')), unescape(attr(input, 'value') ?? ''));
  }
  fields.append('accept', 'Allow');
  return { action: new URL(unescape(attr(form[0], 'action')), env.FW_LAB_B).href, fields };
}
