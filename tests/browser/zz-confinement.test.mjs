// Token confinement across everything Chromium sent during the whole browser suite (recorded by lib/wire-record.mjs
// into $FW_WIRE_DIR by every earlier test file; the name sorts this file last). At the end:
//   * no csrf token in any URL (MediaWiki refuses tokens in the query string; a URL ends up in logs and Referer);
//   * each centralauthtoken goes only to a wiki other than the one that minted it, always the same one;
//   * each Bearer token only to one origin, a wiki; OAuth 2 access and refresh tokens the token endpoint issued only
//     to that wiki (the Bearer header, or the refresh body of its token endpoint), never in a URL;
//   * no csrf token, centralauthtoken or Bearer token in any console message or page error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB } from './lib/lab.mjs';

const dir = process.env.FW_WIRE_DIR;
const ANONYMOUS_TOKEN = '+\\';

function records() {
  if (!dir || !existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line) out.push(JSON.parse(line));
  }
  return out;
}

const originOf = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};

/** Every value a form-urlencoded body, a URL or an Authorization header carries under `name`. */
function valuesOf(request, name) {
  const found = [];
  try {
    found.push(...new URL(request.url).searchParams.getAll(name));
  } catch {
    // not a URL
  }
  if (request.body && !/^\s*[{[]/.test(request.body) && !/^-{2,}/.test(request.body)) {
    found.push(...new URLSearchParams(request.body).getAll(name));
  }
  return found;
}

test('no token leaves its place in anything the browser sent or printed during the suite', (t) => {
  const all = records();
  if (!dir) {
    t.skip('FW_WIRE_DIR is not set: run the suite through tests/browser/run.sh');
    return;
  }
  const requests = all.filter((r) => r.kind === 'request');
  assert.ok(requests.length > 100, `the suite's requests were recorded (${requests.length})`);

  // What the wikis handed out, and what the pages sent as tokens.
  const csrf = new Set();
  const minted = new Map(); // centralauthtoken → origin that minted it
  for (const answer of all.filter((r) => r.kind === 'token-answer')) {
    let parsed;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      continue;
    }
    for (const value of Object.values(parsed?.query?.tokens || {})) if (typeof value === 'string') csrf.add(value);
    const central = parsed?.centralauthtoken?.centralauthtoken;
    if (typeof central === 'string') minted.set(central, originOf(answer.url));
  }
  for (const request of requests) for (const value of valuesOf(request, 'token')) csrf.add(value);
  csrf.delete(ANONYMOUS_TOKEN);
  csrf.delete('');

  // 1. csrf tokens never in a URL (decoded or not).
  for (const request of requests) {
    const url = request.url;
    let decoded = url;
    try {
      decoded = decodeURIComponent(url);
    } catch {
      // keep the raw URL
    }
    for (const token of csrf) {
      assert.ok(!url.includes(token) && !decoded.includes(token), `${request.file}: a csrf token in the URL ${request.method} ${url.slice(0, 120)}`);
    }
  }

  // 2. centralauthtokens: only to another wiki than the minting one, and always to the same one.
  const wikis = new Set([LAB.A, LAB.B]);
  const target = new Map();
  let carried = 0;
  for (const request of requests) {
    const tokens = valuesOf(request, 'centralauthtoken');
    const auth = request.headers?.authorization;
    if (auth && /^CentralAuthToken\s/i.test(auth)) tokens.push(auth.replace(/^CentralAuthToken\s+/i, ''));
    for (const token of tokens) {
      carried += 1;
      const to = originOf(request.url);
      assert.ok(wikis.has(to), `${request.file}: a centralauthtoken sent to ${to}`);
      if (minted.has(token)) assert.notEqual(to, minted.get(token), `${request.file}: a centralauthtoken sent back to the wiki that minted it`);
      if (!target.has(token)) target.set(token, to);
      assert.equal(to, target.get(token), `${request.file}: one centralauthtoken sent to two origins`);
    }
  }
  assert.ok(minted.size > 0 && carried > 0, `centralauthtokens were minted (${minted.size}) and used (${carried})`);

  // 3. Bearer tokens: one origin each.
  const bearer = new Map();
  for (const request of requests) {
    const auth = request.headers?.authorization;
    if (!auth || !/^Bearer\s/i.test(auth)) continue;
    const token = auth.replace(/^Bearer\s+/i, '');
    const to = originOf(request.url);
    if (!bearer.has(token)) bearer.set(token, to);
    assert.equal(to, bearer.get(token), `${request.file}: one Bearer token sent to two origins`);
  }

  // 3b. OAuth 2 tokens from a token endpoint: only back to that wiki, and only where they belong.
  const issued = new Map(); // token → {origin, kind}
  for (const answer of all.filter((r) => r.kind === 'token-answer' && /\/oauth2\/access_token$/.test(r.url))) {
    let parsed;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      continue;
    }
    if (typeof parsed?.access_token === 'string') issued.set(parsed.access_token, { origin: originOf(answer.url), kind: 'access' });
    if (typeof parsed?.refresh_token === 'string') issued.set(parsed.refresh_token, { origin: originOf(answer.url), kind: 'refresh' });
  }
  for (const token of bearer.keys()) assert.ok(wikis.has(bearer.get(token)), `a Bearer token sent to ${bearer.get(token)}, not a wiki`);
  let oauthUses = 0;
  for (const request of requests) {
    const text = `${request.url} ${request.body || ''} ${request.headers?.authorization || ''}`;
    for (const [token, from] of issued) {
      if (!text.includes(token)) continue;
      oauthUses += 1;
      assert.equal(originOf(request.url), from.origin, `${request.file}: an OAuth 2 ${from.kind} token sent to ${originOf(request.url)}`);
      assert.ok(!request.url.includes(token), `${request.file}: an OAuth 2 ${from.kind} token in a URL`);
      if (from.kind === 'access') assert.equal(request.headers?.authorization, `Bearer ${token}`, `${request.file}: an access token outside the Authorization header`);
      else assert.ok(/\/oauth2\/access_token$/.test(new URL(request.url).pathname) && new URLSearchParams(request.body).get('refresh_token') === token,
        `${request.file}: a refresh token outside a refresh request`);
    }
  }

  // 4. Nothing secret in what the pages printed. Chromium's own messages about a refused request quote its URL,
  // centralauthtoken included: MediaWiki takes that token only in the URL, and the one quoted is spent (a refused
  // request is exactly a used or expired token's fate). Those are the browser's, not the library's, and are counted
  // apart.
  const browserNetworkMessage = /^(Access to fetch at |Failed to load resource|Access to XMLHttpRequest at )|net::ERR_/;
  const secrets = [...csrf, ...minted.keys(), ...target.keys(), ...bearer.keys(), ...issued.keys()].filter((s) => s.length >= 16);
  const fromBrowser = all.filter((r) => r.kind === 'console' && browserNetworkMessage.test(r.text));
  const printed = all.filter((r) => (r.kind === 'console' && !browserNetworkMessage.test(r.text)) || r.kind === 'pageerror');
  for (const line of printed) {
    for (const secret of secrets) assert.ok(!line.text.includes(secret), `${line.file}: a token in ${line.kind}: ${line.text.slice(0, 120)}`);
  }
  t.diagnostic(`${requests.length} requests, ${csrf.size} csrf tokens, ${minted.size} centralauthtokens minted, ` +
    `${carried} centralauthtoken uses, ${bearer.size} Bearer tokens, ${issued.size} OAuth 2 tokens issued (${oauthUses} uses), ${printed.length} console lines and page errors ` +
    `checked (${fromBrowser.length} of Chromium's own refused-request messages apart)`);
});
