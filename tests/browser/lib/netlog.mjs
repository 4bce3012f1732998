// What went on the wire, as Chromium saw it. Two independent recorders per page:
//   * a CDP session with the Network domain: every request including CORS preflights (OPTIONS), the headers as
//     sent (Cookie, Authorization), cookies Chromium withheld and why, Set-Cookie it blocked, timings, CORS errors,
//     and the bodies of action=centralauthtoken answers (to know every token that was minted);
//   * Playwright's page.on('request' | 'response' | 'requestfailed'): the page's own fetches (no preflights), used
//     as a cross-check of the CDP log.

import { LAB } from './lab.mjs';

const lower = (headers) => Object.fromEntries(Object.entries(headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
const hostOf = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};

/** Short name of a lab origin: A, B, S (static), L (the unlisted localhost origin). */
export function site(url) {
  const origin = hostOf(url);
  if (origin === LAB.A) return 'A';
  if (origin === LAB.B) return 'B';
  if (origin === LAB.STATIC) return 'S';
  if (origin === LAB.UNLISTED) return 'L';
  return origin;
}

/** True for requests to a wiki's api.php or rest.php (not load.php, pages, scripts or the wasm). */
export function isApiRequest(e) {
  return /\/w\/(api|rest)\.php/.test(e.url);
}

/** The centralauthtoken a request carries, from the URL, a form body or `Authorization: CentralAuthToken …`. */
export function centralTokenOf(e) {
  const found = [];
  try {
    const fromUrl = new URL(e.url).searchParams.getAll('centralauthtoken');
    found.push(...fromUrl);
  } catch {
    // not a URL we can parse
  }
  if (e.postData && !/^\s*[{[]/.test(e.postData)) {
    try {
      found.push(...new URLSearchParams(e.postData).getAll('centralauthtoken'));
    } catch {
      // multipart or binary
    }
  }
  const auth = e.reqHeaders?.authorization;
  if (auth && /^CentralAuthToken\s/i.test(auth)) found.push(auth.replace(/^CentralAuthToken\s+/i, ''));
  return [...new Set(found.filter(Boolean))];
}

/** One line describing a request: "B GET query meta=userinfo", "B OPTIONS(preflight) rest /coredev/v0/me/…". */
export function describe(e) {
  let what = '';
  try {
    const u = new URL(e.url);
    if (u.pathname.endsWith('/api.php')) {
      const q = u.searchParams;
      const body = e.postData && !/^\s*[{[]/.test(e.postData) ? new URLSearchParams(e.postData) : new URLSearchParams();
      const get = (k) => q.get(k) ?? body.get(k);
      const parts = [get('action') || 'query'];
      for (const k of ['meta', 'type', 'list', 'prop', 'titles', 'title', 'change', 'maxlag']) {
        const v = get(k);
        if (v != null) parts.push(`${k}=${v.length > 40 ? v.slice(0, 40) + '…' : v}`);
      }
      if (q.get('origin')) parts.push(`origin=${q.get('origin') === '*' ? '*' : site(q.get('origin'))}`);
      if (q.get('centralauthtoken') || body.get('centralauthtoken')) parts.push('+cat');
      what = parts.join(' ');
    } else if (u.pathname.includes('/rest.php')) {
      what = 'rest ' + u.pathname.replace(/^.*\/rest\.php/, '');
      if (e.reqHeaders?.authorization) what += ' +Authorization:' + e.reqHeaders.authorization.split(' ')[0];
    } else {
      what = u.pathname;
    }
  } catch {
    what = e.url;
  }
  return `${site(e.url)} ${e.method}${e.preflight ? '(preflight)' : ''} ${what}`;
}

/**
 * Longest chain of requests that ran one after the other (each started after the previous one ended), counting
 * preflights (a preflight is sent before the request it checks, so it lengthens the chain).
 */
export function chainOf(entries) {
  const items = entries
    .filter((e) => e.end != null)
    .map((e) => ({ e, start: e.sent ?? e.issued, end: e.end }))
    .sort((a, b) => a.start - b.start);
  const best = items.map(() => ({ len: 1, prev: -1 }));
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < i; j++) {
      if (items[j].end <= items[i].start + 0.0005 && best[j].len + 1 > best[i].len) best[i] = { len: best[j].len + 1, prev: j };
    }
  }
  let at = best.reduce((m, b, i) => (b.len > (best[m]?.len ?? 0) ? i : m), 0);
  const chain = [];
  while (at >= 0 && items[at]) {
    chain.unshift(items[at].e);
    at = best[at].prev;
  }
  return chain;
}

export class NetLog {
  /** Starts recording the page's network (call before the page's first navigation that matters). */
  static async attach(page) {
    const cdp = await page.context().newCDPSession(page);
    const log = new NetLog(page, cdp);
    await cdp.send('Network.enable', { maxPostDataSize: 65536 });
    return log;
  }

  constructor(page, cdp) {
    this.page = page;
    this.cdp = cdp;
    this.byId = new Map();
    this.order = [];
    this.pw = [];
    this.pending = new Set(); // body reads in progress
    const rec = (id) => {
      let e = this.byId.get(id);
      if (!e) {
        e = { id, reqHeaders: {}, respHeaders: {}, cookiesBlocked: [], setCookieBlocked: [] };
        this.byId.set(id, e);
      }
      return e;
    };
    cdp.on('Network.requestWillBeSent', (p) => {
      if (p.redirectResponse) return; // the lab never redirects API calls
      const e = rec(p.requestId);
      const preflight = p.initiator?.type === 'preflight' || p.type === 'Preflight';
      Object.assign(e, {
        method: p.request.method,
        url: p.request.url,
        type: p.type,
        preflight,
        issued: p.timestamp,
        wallTime: p.wallTime,
        postData: p.request.postData ?? (p.request.postDataEntries || []).map((x) => x.bytes ? Buffer.from(x.bytes, 'base64').toString() : '').join(''),
        reqHeaders: { ...lower(p.request.headers), ...e.reqHeaders },
      });
      this.order.push(e);
    });
    cdp.on('Network.requestWillBeSentExtraInfo', (p) => {
      const e = rec(p.requestId);
      e.wireHeaders = lower(p.headers);
      Object.assign(e.reqHeaders, e.wireHeaders);
      e.cookieHeader = e.wireHeaders.cookie || '';
      e.cookiesBlocked = (p.associatedCookies || [])
        .filter((c) => c.blockedReasons && c.blockedReasons.length)
        .map((c) => `${c.cookie.name}:${c.blockedReasons.join(',')}`);
    });
    cdp.on('Network.responseReceived', (p) => {
      const e = rec(p.requestId);
      e.status = p.response.status;
      Object.assign(e.respHeaders, lower(p.response.headers));
      const t = p.response.timing;
      if (t && t.requestTime > 0 && t.sendStart >= 0) e.sent = t.requestTime + t.sendStart / 1000;
    });
    cdp.on('Network.responseReceivedExtraInfo', (p) => {
      const e = rec(p.requestId);
      e.status = e.status ?? p.statusCode;
      e.wireStatus = p.statusCode;
      Object.assign(e.respHeaders, lower(p.headers));
      e.setCookieBlocked = (p.blockedCookies || []).map(
        (c) => `${(c.cookie && c.cookie.name) || String(c.cookieLine).split('=')[0]}:${c.blockedReasons.join(',')}`,
      );
    });
    cdp.on('Network.loadingFinished', (p) => {
      const e = rec(p.requestId);
      e.end = p.timestamp;
      if (e.url && /[?&]action=centralauthtoken/.test(e.url) && !e.preflight) {
        const read = cdp
          .send('Network.getResponseBody', { requestId: p.requestId })
          .then((r) => {
            try {
              e.minted = JSON.parse(r.body)?.centralauthtoken?.centralauthtoken;
            } catch {
              // not JSON
            }
          })
          .catch(() => {});
        this.pending.add(read);
        read.finally(() => this.pending.delete(read));
      }
    });
    cdp.on('Network.loadingFailed', (p) => {
      const e = rec(p.requestId);
      e.end = p.timestamp;
      e.failed = p.errorText;
      e.canceled = !!p.canceled;
      e.corsError = p.corsErrorStatus?.corsError;
    });
    page.on('request', (r) => this.pw.push({ event: 'request', method: r.method(), url: r.url() }));
    page.on('response', (r) => this.pw.push({ event: 'response', method: r.request().method(), url: r.url(), status: r.status() }));
    page.on('requestfailed', (r) =>
      this.pw.push({ event: 'requestfailed', method: r.method(), url: r.url(), failure: r.failure()?.errorText }),
    );
  }

  /** A position in both logs; since(mark) returns what came after it. */
  mark() {
    return { cdp: this.order.length, pw: this.pw.length };
  }

  /** API requests (api.php, rest.php) recorded after `mark`, in the order they were issued. */
  since(mark = { cdp: 0, pw: 0 }) {
    return this.order.slice(mark.cdp).filter((e) => e.url && isApiRequest(e));
  }

  /** Playwright's view of the page's API requests after `mark`. */
  pwSince(mark = { cdp: 0, pw: 0 }) {
    return this.pw.slice(mark.pw).filter((x) => isApiRequest(x));
  }

  /**
   * Waits until every API request since `mark` has ended, nothing new was issued for `quietMs` (a request issued
   * as a promise resolves reaches CDP a moment later), and token bodies are read; at most `ms`.
   */
  async settle(mark, ms = 5000, quietMs = 120) {
    const t0 = Date.now();
    let count = -1;
    let stableSince = Date.now();
    for (;;) {
      const all = this.since(mark);
      if (all.length !== count) {
        count = all.length;
        stableSince = Date.now();
      }
      const open = all.filter((e) => e.end == null);
      if (!open.length && !this.pending.size && Date.now() - stableSince >= quietMs) break;
      if (Date.now() - t0 > ms) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all([...this.pending]);
    return this.since(mark);
  }

  async close() {
    await this.cdp.detach().catch(() => {});
  }
}

/** The list with each preflight moved right before the request it was sent for (same method-less URL). */
export function preflightsFirst(entries) {
  const out = entries.filter((e) => !e.preflight);
  for (const p of entries.filter((e) => e.preflight)) {
    const i = out.findIndex((e) => !e.preflight && e.url === p.url && !out.includes(p));
    if (i >= 0) out.splice(i, 0, p);
    else out.push(p);
  }
  return out;
}

/** Summary of a request list used by the tests and the differential record. */
export function summarize(entries) {
  entries = preflightsFirst(entries);
  const calls = entries.filter((e) => !e.preflight);
  const chain = chainOf(entries);
  return {
    requests: calls.length,
    preflights: entries.filter((e) => e.preflight).length,
    chain: chain.length,
    chainDescribed: chain.map(describe),
    sequence: entries.map(describe),
    toA: calls.filter((e) => site(e.url) === 'A').length,
    toB: calls.filter((e) => site(e.url) === 'B').length,
    wallMs: entries.length ? Math.round((Math.max(...entries.map((e) => e.end ?? e.issued)) - Math.min(...entries.map((e) => e.issued))) * 1000) : 0,
  };
}

/**
 * The centralauthtoken ledger of a request list: every token minted (A's answers), every use (a non-preflight
 * request carrying one), and where it went.
 */
export function tokenLedger(entries) {
  const minted = entries.filter((e) => e.minted).map((e) => e.minted);
  const uses = [];
  for (const e of entries) {
    if (e.preflight) continue;
    for (const token of centralTokenOf(e)) uses.push({ token, site: site(e.url), request: describe(e) });
  }
  const counts = new Map();
  for (const u of uses) counts.set(u.token, (counts.get(u.token) || 0) + 1);
  const reused = [...counts].filter(([, n]) => n > 1).map(([token, n]) => ({ token: token.slice(0, 6) + '…', n }));
  return {
    minted,
    uses,
    reused,
    sentOutsideB: uses.filter((u) => u.site !== 'B'),
    usedButNotMinted: uses.filter((u) => !minted.includes(u.token)),
    mintedUnused: minted.filter((t) => !counts.has(t)),
  };
}
