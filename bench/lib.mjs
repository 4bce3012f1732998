// Shared helpers of the benchmark: statistics, the dependency chain of a call's requests, the CDP ↔ page clock,
// network emulation and "wait until the network is quiet".

import { describe, isApiRequest, site } from '../tests/browser/lib/netlog.mjs';

export { describe, site };

/** URL path (on the static origin) of the js/dist under test; bench.mjs points it at its snapshot. */
export const DIST_PATH = () => process.env.FW_BENCH_DIST || '/js/dist/';

export const round = (x, digits = 1) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export function median(xs) {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** {min, median, max, n} of the numbers (nulls ignored), rounded to 0.1. */
export function stats(xs, digits = 1) {
  const s = xs.filter((x) => x != null);
  if (!s.length) return { min: null, median: null, max: null, n: 0 };
  return { min: round(Math.min(...s), digits), median: round(median(s), digits), max: round(Math.max(...s), digits), n: s.length };
}

/** The set of values ("3" when all runs agree, "3–4" when they differ). */
export function spread(xs) {
  const s = [...new Set(xs.filter((x) => x != null))].sort((a, b) => a - b);
  if (!s.length) return '–';
  return s.length === 1 ? String(s[0]) : `${s[0]}–${s[s.length - 1]}`;
}

// ------------------------------------------------------------------------------------------------ the chain
/**
 * Longest chain of dependent requests of one call, from timestamps only (the method of the issue):
 *   request j → request i  when j ENDED (loadingFinished) at or before i STARTED, both within the call's window;
 *   a CORS preflight → the request it was sent for (always: the browser holds the request until the preflight
 *   answered; Chromium issues the request's requestWillBeSent *before* the preflight's, so the timestamps alone
 *   would miss this link).
 * `start` is either 'issued' (requestWillBeSent: when the client asked the browser for it; the "chain") or 'sent'
 * (request headers on the socket: includes waits the browser imposed, e.g. the connections-per-host limit or the
 * HTTP cache's per-URL lock; the "wire chain").
 * Returns the requests of one longest chain, in order.
 */
export function dependencyChain(entries, start = 'issued') {
  const items = entries
    .filter((e) => e.end != null)
    .map((e) => ({ e, start: start === 'sent' ? e.sent ?? e.issued : e.issued, end: e.end }));
  // the preflight of each request: same URL, OPTIONS, preflight flag
  const preflightOf = new Map();
  for (const it of items) {
    if (!it.e.preflight) continue;
    const target = items.find((x) => !x.e.preflight && x.e.url === it.e.url && !preflightOf.has(x));
    if (target) preflightOf.set(target, it);
  }
  const deps = (i) => items.filter((j) => j !== i && (j.end <= i.start || preflightOf.get(i) === j));
  // longest path in a DAG (every edge goes from an earlier-ending request, so there is no cycle): memoised
  const memo = new Map();
  const longest = (i) => {
    if (memo.has(i)) return memo.get(i);
    let best = { len: 1, prev: null };
    for (const j of deps(i)) {
      const lj = longest(j);
      if (lj.len + 1 > best.len) best = { len: lj.len + 1, prev: j };
    }
    memo.set(i, best);
    return best;
  };
  let at = null;
  for (const x of items) if (!at || longest(x).len > longest(at).len) at = x;
  const chain = [];
  while (at) {
    chain.unshift(at.e);
    at = longest(at).prev;
  }
  return chain;
}

// ------------------------------------------------------------------------------------------------ clocks
/**
 * Offset (seconds) from CDP's monotonic clock to the epoch: epoch = monotonic + offset. CDP gives both
 * `timestamp` and `wallTime` on requestWillBeSent; the median over the given requests is used.
 */
export function clockOffset(entries) {
  return median(entries.filter((e) => e.wallTime && e.issued).map((e) => e.wallTime - e.issued));
}

/** Page time (performance.now() ms) → CDP monotonic seconds. */
export const pageToMono = (pageMs, timeOrigin, offset) => (timeOrigin + pageMs) / 1000 - offset;

// ------------------------------------------------------------------------------------------------ network
export const CONDITIONS = {
  none: { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 },
  lat50: { offline: false, latency: 50, downloadThroughput: -1, uploadThroughput: -1 },
};

export async function emulate(net, condition) {
  await net.cdp.send('Network.emulateNetworkConditions', CONDITIONS[condition]);
}

/**
 * Waits until no request of the page (any kind) is in flight and none was issued for `quietMs`; at most `maxMs`.
 * Returns the ms waited.
 */
export async function waitQuiet(net, quietMs = 300, maxMs = 8000) {
  const t0 = Date.now();
  let count = -1;
  let since = Date.now();
  for (;;) {
    const n = net.order.length;
    const open = net.order.some((e) => e.end == null && e.url && !e.url.startsWith('data:'));
    if (n !== count || open) {
      count = n;
      since = Date.now();
    }
    if (Date.now() - since >= quietMs) break;
    if (Date.now() - t0 > maxMs) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - t0;
}

export { isApiRequest };

/** Which API call a request is: 'centralauthtoken', 'query', 'options', 'rest', … (URL or form body). */
export function actionOf(e) {
  try {
    const u = new URL(e.url);
    if (u.pathname.includes('/rest.php')) return 'rest';
    const body = e.postData && !/^\s*[{[]/.test(e.postData) ? new URLSearchParams(e.postData) : new URLSearchParams();
    return u.searchParams.get('action') || body.get('action') || 'query';
  } catch {
    return '';
  }
}

/** "A" / "B" / … plus the path: how a trace entry and a CDP entry are matched. */
export function endpointOf(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return url;
  }
}
