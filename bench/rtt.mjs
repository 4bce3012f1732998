// Round trips: S1–S5 on a page of wiki A (Admin logged in on A only), foreign-wasm (single-file script from the
// static origin) vs MediaWiki's mw.ForeignApi / mw.ForeignRest with CentralAuth, in the same browser, interleaved.
// Method: bench/README.md ("Round trips"). Exported: runRtt(options) → {meta, measurements}.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB } from '../tests/browser/lib/lab.mjs';
import { launch, loginInBrowser, newPage } from '../tests/browser/lib/browser.mjs';
import { actionOf, clockOffset, dependencyChain, describe, emulate, endpointOf, pageToMono, round, site, waitQuiet } from './lib.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const PAGE_JS = readFileSync(join(HERE, 'pages', 'rtt-page.js'), 'utf8');
import { DIST_PATH } from './lib.mjs';

export const SCRIPT_URL = () => `${LAB.STATIC}${DIST_PATH()}foreign-wasm.js`;

// What a navigation runs: one scenario, S2 then S3 on the same instance (spaced: the network settles between
// calls), or all of S1–S5 back to back. `variant` names a non-default setup.
const JOBS = [
  { scenarios: ['S1'] },
  { scenarios: ['S2', 'S3'] },
  { scenarios: ['S2', 'S3'], variant: 'prefetch-off', only: 'fw', options: { prefetch: 0 } },
  { scenarios: ['S4'] },
  { scenarios: ['S5'] },
  { scenarios: ['S6'] },
  // the same without the prefetch: shows what the mid-burst prefetch (README, Bug 1) costs
  { scenarios: ['S5'], variant: 'prefetch-off', only: 'fw', options: { prefetch: 0 } },
  // S1–S5 with no idle time between them: each issued the moment the previous one resolved
  { scenarios: ['S1', 'S2', 'S3', 'S4', 'S5'], variant: 'back-to-back', backToBack: true },
];
const EXPECTED = { S1: /^Admin$/, S2: /^success$/, S3: /^success$/, S4: /^(contributions|none)$/, S5: /^Admin x10$/, S6: /^success$/ };

const readOnlyNow = () => existsSync(LAB.B_READONLY_FILE) || existsSync(LAB.env.FW_LAB_A_READONLY_FILE);

/** Waits (at most 90 s) while another process keeps a wiki read-only. */
async function waitWritable(log) {
  if (!readOnlyNow()) return;
  log('    a wiki is read-only (another process uses the lab): waiting');
  for (let i = 0; i < 450 && readOnlyNow(); i++) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 500));
}

const line = (r) =>
  `  run ${r.run} ${r.condition.padEnd(5)} ${r.scenario} ${r.impl}${r.variant !== 'default' ? ' ' + r.variant : ''}: ` +
  (r.ok ? `${r.wallMs} ms` : `FAILED ${JSON.stringify(r.error)}`) +
  `, ${r.requests} req, ${r.preflights} preflight, chain ${r.chain} (wire ${r.wireChain})` +
  (r.prefetchForNextCall ? `, +${r.prefetchForNextCall} prefetch` : '');

const nonce = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

/** Opens a fresh Special:BlankPage on A and loads `impl` into it; returns {loadMs, classes}. */
async function openPage(c, impl) {
  await emulate(c.net, 'none');
  await c.page.goto(`${LAB.A}/w/index.php/Special:BlankPage`, { waitUntil: 'load' });
  await c.page.waitForFunction(() => typeof mw !== 'undefined' && !!mw.loader && !!mw.loader.using);
  await c.page.evaluate(PAGE_JS);
  if (impl === 'fw') {
    const loadMs = await c.page.evaluate((src) => benchLoadFw(src), SCRIPT_URL());
    return { loadMs };
  }
  const classes = await c.page.evaluate(() => benchLoadMw());
  if (classes.join() !== 'CentralAuthForeignApi,CentralAuthForeignRest') {
    throw new Error(`mw.ForeignApi is not CentralAuth's on wiki A: ${classes}`);
  }
  return { classes };
}

/**
 * Runs `scenarios` in the current page and records the wire. Spaced (one scenario): the window of the call is every
 * API request (api.php, rest.php, preflights included) recorded from just before the call until the network settled
 * after it. Back to back (several): the page issues each scenario the moment the previous one resolved, with no idle
 * time between them (as gadget code does), and each call's window is what was issued from its start to the next
 * call's start. foreign-wasm's prefetch for the next call is identified through its trace (`why`) and kept apart.
 */
async function measureCalls(c, impl, scenarios, args) {
  const k = await c.page.evaluate(() => benchTrace.length);
  const mark = c.net.mark();
  const results =
    scenarios.length === 1
      ? [await c.page.evaluate(([i, s, a]) => benchRun(i, s, a), [impl, scenarios[0], args[0]])]
      : await c.page.evaluate(([i, s, a]) => benchRunSequence(i, s, a), [impl, scenarios, args]);
  let wire = await c.net.settle(mark, 10000, 150);
  let trace = [];
  const libEnd = new Map(); // request id → performance.now() when the library had the whole response
  if (impl === 'fw') {
    // CDP must have seen every request the trace lists (a request issued as the promise resolved arrives later).
    for (let i = 0; i < 50; i++) {
      trace = (await c.page.evaluate((n) => benchTrace.slice(n), k)).filter((e) => e.phase === 'request');
      if (c.net.since(mark).filter((e) => !e.preflight).length >= trace.length) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    wire = await c.net.settle(mark, 10000, 150);
    const all = await c.page.evaluate((n) => benchTrace.slice(n), k);
    trace = all.filter((e) => e.phase === 'request');
    for (const e of all) if (e.phase === 'response' || e.phase === 'failure') libEnd.set(e.id, e.endMs);
  }
  const offset = clockOffset(wire);
  const mono = (res) => (offset == null ? null : pageToMono(res.t0, res.timeOrigin, offset));
  const why = matchTrace(wire, trace, results[0], offset);
  return results.map((res, i) => {
    const window = scenarios.length === 1 ? null : { from: mono(res), until: i + 1 < results.length ? mono(results[i + 1]) : null };
    return analyse(impl, scenarios[i], res, wire, why, libEnd, mono(res), window);
  });
}

/** trace entry → CDP entry: same endpoint and action, nearest issue time. Returns Map(CDP entry → trace entry). */
function matchTrace(wire, trace, first, offset) {
  const why = new Map();
  const used = new Set();
  for (const t of trace) {
    const at = offset == null ? null : pageToMono(t.startMs, first.timeOrigin, offset);
    const candidates = wire.filter(
      (e) => !e.preflight && !used.has(e) && e.method === t.method && endpointOf(e.url) === endpointOf(t.displayUrl) && actionOf(e) === actionOf({ url: t.displayUrl }),
    );
    candidates.sort((x, y) => Math.abs(x.issued - at) - Math.abs(y.issued - at));
    if (candidates[0]) {
      used.add(candidates[0]);
      why.set(candidates[0], t);
    }
  }
  return why;
}

/** One call's figures from the recorded wire; `window` ({from, until} on the CDP clock) bounds a back-to-back call. */
function analyse(impl, scenario, res, allWire, why, libEnd, t0, window) {
  const rel = (x) => (x == null || t0 == null ? null : round((x - t0) * 1000, 1));
  const wire = window && window.from != null ? allWire.filter((e) => e.issued >= window.from && (window.until == null || e.issued < window.until)) : allWire;
  const isPrefetch = (e) => /prefetched|pocket/.test(why.get(e)?.why || '');
  // A scenario timed from inside (S6): only what was issued from then on is the timed call's.
  const own = wire.filter((e) => !isPrefetch(e) && (!res.timedFromInside || t0 == null || e.issued >= t0));
  const calls = own.filter((e) => !e.preflight);
  const chain = dependencyChain(own, 'issued');
  const wireChain = dependencyChain(own, 'sent');
  const valueOk = res.ok && EXPECTED[scenario].test(String(res.value));
  return {
    impl,
    scenario,
    ok: valueOk,
    value: res.ok ? res.value : null,
    error: res.ok ? (valueOk ? undefined : `unexpected result ${JSON.stringify(res.value)}`) : res.error,
    wallMs: res.ok ? round(res.ms, 2) : null,
    requests: calls.length,
    preflights: own.filter((e) => e.preflight).length,
    chain: chain.length,
    wireChain: wireChain.length,
    toA: calls.filter((e) => site(e.url) === 'A').length,
    toB: calls.filter((e) => site(e.url) === 'B').length,
    prefetchForNextCall: wire.filter(isPrefetch).length,
    cookiesToB: wire.filter((e) => site(e.url) === 'B' && e.cookieHeader).length,
    chainSequence: chain.map(describe),
    wireChainSequence: wireChain.map(describe),
    // ms relative to the call (t0 = performance.now() just before it); tokens never included
    sequence: wire.map((e) => ({
      request: describe(e),
      status: e.status ?? null,
      preflight: !!e.preflight,
      prefetchForNextCall: isPrefetch(e),
      why: why.get(e)?.why,
      issued: rel(e.issued),
      sent: rel(e.sent),
      end: rel(e.end),
      // when foreign-wasm's transport had the response (trace endMs), on the same clock
      libEnd: why.has(e) && libEnd.has(why.get(e).id) && res.t0 != null ? round(libEnd.get(why.get(e).id) - res.t0, 1) : undefined,
      failed: e.failed,
    })),
    settledMs: res.ok ? round(res.ms, 1) : null,
  };
}

/**
 * How much the lab gains from concurrency (it bounds what ten concurrent reads can gain over a serial chain):
 * 10 sequential vs 10 concurrent anonymous GETs of B's meta=userinfo from Node (no browser, no connection limit),
 * 3 rounds, median. Returns {sequentialMs, concurrentMs, speedup}.
 */
export async function labCapacity(context) {
  const measure = async (one) => {
    const seq = [];
    const par = [];
    for (let round_ = 0; round_ < 3; round_++) {
      let t = performance.now();
      for (let i = 0; i < 10; i++) await one();
      seq.push(performance.now() - t);
      t = performance.now();
      await Promise.all(Array.from({ length: 10 }, one));
      par.push(performance.now() - t);
    }
    const m = (xs) => xs.sort((a, b) => a - b)[1];
    return { sequentialMs: round(m(seq), 1), concurrentMs: round(m(par), 1), speedup: round(m(seq) / m(par), 2) };
  };
  const out = { bReads: await measure(async () => (await fetch(`${LAB.B_API}?action=query&meta=userinfo&format=json`)).text()) };
  if (context) {
    // A's action=centralauthtoken as the logged-in user (Playwright's request context shares the browser's cookies)
    out.aTokens = await measure(async () => {
      const r = await context.request.get(`${LAB.A_API}?action=centralauthtoken&format=json`);
      if (!(await r.json()).centralauthtoken) throw new Error('labCapacity: no centralauthtoken');
    });
  }
  return out;
}

/**
 * @param {{runs: number, conditions: string[], scenarios?: string[], log: (s: string) => void}} o
 */
export async function runRtt({ runs = 5, conditions = ['none', 'lat50'], scenarios = null, log = console.log } = {}) {
  const jobs = JOBS.filter((j) => !scenarios || j.scenarios.some((s) => scenarios.includes(s)));
  if (!LAB.CENTRALAUTH) throw new Error('the lab has no CentralAuth (FW_LAB_CENTRALAUTH=0): the round trips need it');
  const browser = await launch();
  const measurements = [];
  const loads = [];
  try {
    const c = await newPage(browser);
    await loginInBrowser(c.page, LAB.A, LAB.ADMIN);
    const capacityBefore = await labCapacity(c.context);
    const capLine = (x) => Object.entries(x).map(([k, v]) => `${k}: 10 sequential ${v.sequentialMs} ms, 10 concurrent ${v.concurrentMs} ms (${v.speedup}×)`).join('; ');
    log(`  lab capacity: ${capLine(capacityBefore)}`);
    const version = browser.version();
    for (let run = 1; run <= runs; run++) {
      for (const condition of conditions) {
        for (const job of jobs) {
          const impls = (run % 2 ? ['mw', 'fw'] : ['fw', 'mw']).filter((i) => !job.only || job.only === i);
          for (const impl of impls) {
            for (let attempt = 1; ; attempt++) {
              await waitWritable(log);
              const before = readOnlyNow();
              const got = [];
              const opened = await openPage(c, impl);
              if (opened.loadMs != null) loads.push(round(opened.loadMs, 2));
              await waitQuiet(c.net, 300);
              await emulate(c.net, condition);
              const arg = () => ({ B_API: LAB.B_API, B_REST: LAB.B_REST, value: nonce(), options: job.options });
              const batches = job.backToBack ? [job.scenarios] : job.scenarios.map((s) => [s]);
              for (const batch of batches) {
                for (const m of await measureCalls(c, impl, batch, batch.map(arg))) got.push({ run, condition, variant: job.variant || 'default', ...m });
              }
              await emulate(c.net, 'none');
              // Another process may share the lab (the browser suite makes B read-only for a while): such runs
              // are repeated. A failure of foreign-wasm alone, without such evidence, is kept and reported.
              const evidence =
                before || readOnlyNow()
                  ? 'a wiki was read-only'
                  : got.some((m) => m.sequence.some((q) => /readonly/.test(q.why || '')))
                    ? 'readonly retry'
                    : got.some((m) => m.impl === 'mw' && !m.ok)
                      ? "MediaWiki's call failed"
                      : '';
              for (const m of got) log(line(m) + (evidence ? `  [disturbed: ${evidence}]` : ''));
              if (!evidence || attempt >= 3) {
                for (const m of got) measurements.push({ ...m, attempts: attempt, disturbed: evidence || undefined });
                break;
              }
              log(`    repeating (attempt ${attempt + 1}): ${evidence}`);
            }
          }
        }
      }
    }
    const capacityAfter = await labCapacity(c.context);
    await c.context.close();
    return {
      meta: {
        chromium: version,
        page: `${LAB.A}/w/index.php/Special:BlankPage`,
        fwBuild: SCRIPT_URL(),
        user: `${LAB.ADMIN.user} logged in on A only`,
        runs,
        conditions,
        scriptLoadMsInWikiPage: loads,
        labCapacity: { before: capacityBefore, after: capacityAfter },
      },
      measurements,
    };
  } finally {
    await browser.close();
  }
}
