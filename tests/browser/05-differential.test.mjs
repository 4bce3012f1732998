// Differential check against MediaWiki's own modules. On a page of wiki A (Special:BlankPage, Admin logged in on
// A), the same scenarios run with mw.loader.using('mediawiki.ForeignApi') — CentralAuth's CentralAuthForeignApi /
// CentralAuthForeignRest — and with foreign-wasm (the single-file script, as a gadget would load it). Each run is
// a fresh navigation (empty module caches). Compared: results, requests (number and order), CORS preflights,
// the sequential chain on the wire, and centralauthtoken use. The measured sequences are written to
// tests/browser/results/differential.{json,md}; README.md holds the table and the reasons for every difference.
//
//   S1 cold read      new X(B).get({action:'query', meta:'userinfo'})
//   S2 cold write     new X(B).postWithToken('csrf', {action:'options', change:'userjs-…'})
//   S3 warm write     a second postWithToken on the S2 instance, right after S2 resolved (only S3 counted)
//   S4 REST read      ForeignRest(B rest.php).get('/coredev/v0/me/contributions')
//   S5 10 parallel    one instance, 10 × get(meta=userinfo) fired at once
//   S6 REST write     ForeignRest(B rest.php).put('/v1/page/<new title>', {source, comment})
//   S7 session gone   the A session ends after the page loaded (cookies cleared), then get(meta=userinfo)
//
// FW_DIFF_RUNS (default 2) sets the runs per scenario and implementation.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_DIR, LAB, requireCentralAuth, uniqueTitle } from './lib/lab.mjs';
import { launch, loginInBrowser, loginViaRequest, newPage, openWikiPage, readB } from './lib/browser.mjs';
import { describe as d, site, summarize, tokenLedger } from './lib/netlog.mjs';

const RUNS = Number(process.env.FW_DIFF_RUNS || 2);
const IMPLS = ['mw', 'fw'];

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

// In the page: the two implementations behind one small interface. MediaWiki's jQuery promises become native
// ones; a rejection keeps mw.Api's (code, data).
const PAGE_SETUP = `
window.impls = {
  mw: {
    api: (u) => new mw.ForeignApi(u),
    rest: (r, u) => new mw.ForeignRest(r, new mw.ForeignApi(u)),
    p: (x) => new Promise((res, rej) => x.then(res, (code, data) => rej({ code, info: data && data.error ? data.error.info : String(data && data.textStatus || '') }))),
  },
  fw: {
    api: (u) => new FW.ForeignApi(u),
    rest: (r) => new FW.ForeignRest(r),
    p: (x) => x,
  },
};
window.scenario = async (name, impl, arg) => {
  const I = window.impls[impl];
  const t0 = performance.now();
  const value = await window.scenarios[name](I, arg);
  return { value, ms: performance.now() - t0 };
};
window.scenarios = {
  S1: async (I, a) => (await I.p(I.api(a.B_API).get({ action: 'query', meta: 'userinfo' }))).query.userinfo.name,
  S2: async (I, a) => {
    window.keep = I.api(a.B_API);
    return (await I.p(window.keep.postWithToken('csrf', { action: 'options', change: 'userjs-fwdiff=' + a.value }))).options;
  },
  S3: async (I, a) => (await I.p(window.keep.postWithToken('csrf', { action: 'options', change: 'userjs-fwdiff=' + a.value }))).options,
  S4: async (I, a) => {
    // A query unique to the run: Chromium caches a preflight 5 s per URL, and runs follow each other closely.
    const r = await I.p(I.rest(a.B_REST, a.B_API).get('/coredev/v0/me/contributions', { fwrun: a.value }));
    return r.contributions.length > 0 ? 'contributions' : 'none';
  },
  S5: async (I, a) => {
    const api = I.api(a.B_API);
    const all = [];
    for (let i = 0; i < 10; i++) all.push(I.p(api.get({ action: 'query', meta: 'userinfo' })));
    const names = (await Promise.all(all)).map((r) => r.query.userinfo.name);
    return names.every((n) => n === names[0]) ? names[0] + ' x' + names.length : names.join(',');
  },
  S6: async (I, a) => {
    const r = await I.p(I.rest(a.B_REST, a.B_API).put('/v1/page/' + encodeURIComponent(a.title), { source: 'differential ' + a.value, comment: 'fwdiff' }));
    return r.source === 'differential ' + a.value ? 'page saved' : 'unexpected: ' + r.source;
  },
  S7: async (I, a) => {
    try {
      const r = await I.p(I.api(a.B_API).get({ action: 'query', meta: 'userinfo' }));
      return 'result: ' + (r.query.userinfo.anon !== undefined ? 'anonymous' : r.query.userinfo.name);
    } catch (e) {
      return 'error: ' + (e && e.name && e.name !== 'Error' ? e.name + ' ' : '') + (e && e.code);
    }
  },
};
`;

async function openFor(impl, page = ctx.page) {
  await openWikiPage(page, LAB.A, impl === 'fw' ? 'script' : 'none');
  if (impl === 'mw') {
    const cls = await page.evaluate(async () => {
      await mw.loader.using('mediawiki.ForeignApi');
      return [mw.ForeignApi.name, mw.ForeignRest.name];
    });
    assert.deepEqual(cls, ['CentralAuthForeignApi', 'CentralAuthForeignRest'], 'CentralAuth plugs into mw.ForeignApi');
  }
  await page.evaluate(PAGE_SETUP);
  // Nothing of the page load may still be on the wire when a scenario starts.
  await page.waitForTimeout(100);
}

/**
 * One scenario in the current page: its API requests, with foreign-wasm's prefetch for the *next* call (the trace
 * says which) separated from the call's own requests.
 */
async function measure(c, impl, name, arg) {
  const n0 = impl === 'fw' ? await c.page.evaluate(() => fwTrace.length) : 0;
  const mark = c.net.mark();
  const out = await c.page.evaluate(([n, i, a]) => scenario(n, i, a).catch((e) => ({ error: String(e && (e.code || e.message) || e) })), [name, impl, arg]);
  let wire = await c.net.settle(mark);
  let prefetch = [];
  if (impl === 'fw') {
    let { trace, origin } = await c.page.evaluate((k) => ({ trace: fwTrace.slice(k), origin: performance.timeOrigin }), n0);
    // CDP must have seen every request the library sent (the trace lists each one).
    for (let i = 0; i < 50 && c.net.since(mark).filter((e) => !e.preflight).length < trace.filter((e) => e.phase === 'request').length; i++) {
      await new Promise((res) => setTimeout(res, 40));
    }
    wire = await c.net.settle(mark);
    ({ trace } = await c.page.evaluate((k) => ({ trace: fwTrace.slice(k) }), n0));
    const pre = trace.filter((e) => e.phase === 'request' && /prefetched/.test(e.why));
    for (const p of pre) {
      const at = (origin + p.startMs) / 1000;
      const candidates = wire.filter((e) => !prefetch.includes(e) && !e.preflight && /action=centralauthtoken/.test(e.url));
      candidates.sort((x, y) => Math.abs(x.wallTime - at) - Math.abs(y.wallTime - at));
      if (candidates[0]) prefetch.push(candidates[0]);
    }
    wire = wire.filter((e) => !prefetch.includes(e));
  }
  const s = summarize(wire);
  return {
    impl,
    scenario: name,
    result: out.error ? 'error: ' + out.error : out.value,
    wallMs: out.error ? null : Math.round(out.ms * 10) / 10,
    requests: s.requests,
    preflights: s.preflights,
    chain: s.chain,
    toA: s.toA,
    toB: s.toB,
    prefetchForNextCall: prefetch.length,
    sequence: s.sequence,
    chainSequence: s.chainDescribed,
    ledger: tokenLedger(wire),
    timeline: timeline(wire),
    cookiesToB: wire.filter((e) => site(e.url) === 'B' && e.cookieHeader).length,
    wire,
  };
}

/** ms relative to the first request: issued, sent (after any preflight), ended; tokens never included. */
function timeline(wire) {
  if (!wire.length) return [];
  const t0 = Math.min(...wire.map((e) => e.issued));
  const ms = (x) => (x == null ? null : Math.round((x - t0) * 10000) / 10);
  const bodyKeys = (e) => {
    if (!e.postData) return undefined;
    try {
      return /^\s*\{/.test(e.postData) ? Object.keys(JSON.parse(e.postData)) : [...new URLSearchParams(e.postData).keys()];
    } catch {
      return ['(unparsed)'];
    }
  };
  return wire.map((e) => ({
    request: d(e),
    urlKeys: [...new URL(e.url).searchParams.keys()],
    bodyKeys: bodyKeys(e),
    credentials: e.cookieHeader ? 'cookie sent' : 'no cookie',
    authorization: e.reqHeaders.authorization ? e.reqHeaders.authorization.split(' ')[0] : undefined,
    status: e.status ?? null,
    issued: ms(e.issued),
    sent: ms(e.sent),
    end: ms(e.end),
  }));
}

const runs = []; // every measured run
const value = () => `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
const ARGS = () => ({ B_API: LAB.B_API, B_REST: LAB.B_REST, value: value(), title: uniqueTitle('Fwdiff REST').replace(/ /g, '_') });

describe('differential: MediaWiki mw.ForeignApi/ForeignRest (CentralAuth) vs foreign-wasm, on a page of wiki A', () => {
  test('measure S1–S6', async (t) => {
    if (!requireCentralAuth(t)) return;
    for (let run = 1; run <= RUNS; run++) {
      for (const impl of IMPLS) {
        for (const name of ['S1', 'S2', 'S4', 'S5', 'S6']) {
          await openFor(impl);
          const arg = ARGS();
          const m = await measure(ctx, impl, name, arg);
          runs.push({ run, ...m, arg });
          if (name === 'S2') runs.push({ run, ...(await measure(ctx, impl, 'S3', { ...arg, value: value() })), arg });
        }
      }
    }
    for (const r of runs) assert.ok(!String(r.result).startsWith('error'), `${r.impl} ${r.scenario} run ${r.run}: ${r.result}`);
  });

  test('S7: the A session ended after the page loaded', async (t) => {
    if (!requireCentralAuth(t)) return;
    const c = await newPage(browser);
    try {
      for (const impl of IMPLS) {
        await loginViaRequest(c.context, LAB.A, LAB.ADMIN);
        await openFor(impl, c.page);
        await c.context.clearCookies(); // as if the user logged out in another tab
        runs.push({ run: 1, ...(await measure(c, impl, 'S7', ARGS())) });
      }
    } finally {
      await c.context.close();
    }
    const mw7 = runs.find((r) => r.impl === 'mw' && r.scenario === 'S7');
    const fw7 = runs.find((r) => r.impl === 'fw' && r.scenario === 'S7');
    assert.equal(mw7.result, 'result: anonymous', 'MediaWiki continues anonymously without saying so');
    assert.equal(fw7.result, 'error: CentralAuthError centralauthtoken-unavailable', 'foreign-wasm fails loudly');
    assert.deepEqual(fw7.sequence, ['A GET centralauthtoken'], 'and sends nothing to B');
  });

  test('same results; foreign-wasm never needs more requests, preflights or sequential steps', async (t) => {
    if (!requireCentralAuth(t)) return;
    for (const name of ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']) {
      const mwRuns = runs.filter((r) => r.impl === 'mw' && r.scenario === name);
      const fwRuns = runs.filter((r) => r.impl === 'fw' && r.scenario === name);
      assert.ok(mwRuns.length && fwRuns.length, name);
      for (const r of [...mwRuns, ...fwRuns]) {
        assert.equal(r.result, mwRuns[0].result, `${name}: ${r.impl} run ${r.run} has the same result`);
        assert.deepEqual(r.ledger.reused, [], `${name} ${r.impl}: no centralauthtoken sent twice`);
        assert.deepEqual(r.ledger.sentOutsideB, [], `${name} ${r.impl}: tokens only to B`);
        assert.equal(r.cookiesToB, 0, `${name} ${r.impl}: no cookie to B`);
      }
      const max = (rs, k) => Math.max(...rs.map((r) => r[k]));
      const min = (rs, k) => Math.min(...rs.map((r) => r[k]));
      assert.ok(max(fwRuns, 'requests') <= min(mwRuns, 'requests'), `${name}: requests fw ${max(fwRuns, 'requests')} vs mw ${min(mwRuns, 'requests')}`);
      assert.ok(max(fwRuns, 'preflights') <= min(mwRuns, 'preflights'), `${name}: preflights`);
      assert.ok(max(fwRuns, 'chain') <= min(mwRuns, 'chain'), `${name}: chain fw ${max(fwRuns, 'chain')} vs mw ${min(mwRuns, 'chain')}`);
    }
    // The S6 pages were written by Admin (read back from B, outside the browser).
    for (const r of runs.filter((x) => x.scenario === 'S6')) {
      const h = await readB({ action: 'query', prop: 'revisions', titles: r.arg.title, rvprop: 'user' });
      assert.equal(h.query.pages[0].revisions?.[0]?.user, LAB.ADMIN.user, `${r.impl} S6 run ${r.run}`);
    }
  });

  test('write the measured record (results/differential.json, .md)', async (t) => {
    if (!requireCentralAuth(t)) return;
    const dir = join(BROWSER_DIR, 'results');
    mkdirSync(dir, { recursive: true });
    const median = (xs) => {
      const s = xs.filter((x) => x != null).sort((a, b) => a - b);
      return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
    };
    const rows = [];
    for (const name of ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7']) {
      for (const impl of IMPLS) {
        const rs = runs.filter((r) => r.impl === impl && r.scenario === name);
        if (!rs.length) continue;
        const uniq = (k) => [...new Set(rs.map((r) => r[k]))].join('/');
        rows.push({
          scenario: name,
          impl,
          runs: rs.length,
          result: uniq('result'),
          requests: uniq('requests'),
          toA: uniq('toA'),
          toB: uniq('toB'),
          preflights: uniq('preflights'),
          chain: uniq('chain'),
          prefetchForNextCall: uniq('prefetchForNextCall'),
          wallMsMedian: median(rs.map((r) => r.wallMs)),
          sequence: rs[0].sequence,
          chainSequence: rs[0].chainSequence,
          runsDetail: rs.map((r) => ({ run: r.run, wallMs: r.wallMs, requests: r.requests, chain: r.chain, timeline: r.timeline })),
        });
      }
    }
    const record = {
      measured: new Date().toISOString(),
      browser: browser.version(),
      runsPerScenario: RUNS,
      lab: { A: LAB.A, B: LAB.B, page: `${LAB.A}/w/index.php/Special:BlankPage` },
      note: 'requests = API requests of the call (preflights excluded); chain = longest run of requests on the wire that each started after the previous ended (preflights included); foreign-wasm prefetches one centralauthtoken for the next call, counted apart',
      rows,
    };
    writeFileSync(join(dir, 'differential.json'), JSON.stringify(record, null, 1) + '\n');
    const md = [
      `Measured ${record.measured}, Chromium ${record.browser}, ${RUNS} run(s) per scenario, page ${record.lab.page}, Admin logged in on A only.`,
      '',
      '| scenario | implementation | result | requests (A+B) | preflights | chain | prefetch for next call | wall ms (median) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${r.impl === 'mw' ? 'MediaWiki' : 'foreign-wasm'} | ${r.result} | ${r.requests} (${r.toA}+${r.toB}) | ${r.preflights} | ${r.chain} | ${r.impl === 'fw' ? r.prefetchForNextCall : '–'} | ${r.wallMsMedian ?? '–'} |`,
      ),
      '',
      'Request order (first run):',
      '',
      ...rows.map((r) => `* ${r.scenario} ${r.impl === 'mw' ? 'MediaWiki' : 'foreign-wasm'}: ${r.sequence.join(' → ')}`),
      '',
    ].join('\n');
    writeFileSync(join(dir, 'differential.md'), md);
    t.diagnostic('\n' + md);
  });
});

test('no uncaught errors in the test pages', (t) => {
  if (!ctx) return t.skip('no pages were opened');
  assert.deepEqual([...ctx.errors], []);
});
