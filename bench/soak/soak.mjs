// The fault-injecting soak (issue 10, point 4): N mixed calls from a page of wiki A (Admin logged in on A,
// CentralAuth mode, the ES module build loaded as tests/browser/lib/browser.mjs openWikiPage does) to wiki B,
// through the fault-injecting proxy (bench/soak/proxy.mjs), with real server faults on top (read-only window,
// maxlag=-2, stale centralauthtokens handed in by hand), then the server-side audit (bench/soak/audit.mjs).
// runSoak() returns everything; bench/soak/report.mjs prints it. CLI: bench/soak.sh.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BROWSER_DIR, LAB, REPO, makeBReadOnly, waitForBClockPast } from '../../tests/browser/lib/lab.mjs';
import { CHROMIUM_ARGS, loginInBrowser, openWikiPage } from '../../tests/browser/lib/browser.mjs';
import { recordWire } from '../../tests/browser/lib/wire-record.mjs';
import { startProxy } from './proxy.mjs';
import { makePlan } from './plan.mjs';
import { audit } from './audit.mjs';

// playwright-core is a dependency of the browser suite (tests/browser/package.json), resolved from there.
const playwright = await import(pathToFileURL(createRequire(join(BROWSER_DIR, 'package.json')).resolve('playwright-core')).href);
const chromium = playwright.chromium || playwright.default.chromium;
const PAGE_JS = readFileSync(new URL('./page.js', import.meta.url), 'utf8');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{calls?: number, seed?: number, concurrency?: number, watchdogMs?: number, hardLimitMs?: number,
 *   expired?: boolean, cover?: boolean, readOnlyAt?: number, readOnlyMs?: number, out?: string, say?: Function, weights?: object}} o
 */
export async function runSoak(o = {}) {
  const calls = o.calls ?? 1000;
  const seed = (o.seed ?? Math.floor(Math.random() * 2 ** 31)) >>> 0;
  const concurrency = o.concurrency ?? 4;
  const watchdogMs = o.watchdogMs ?? 120000;
  const hardLimitMs = o.hardLimitMs ?? 8 * 60000; // with lab up/down and the audit, the lab lock is held < 10 min
  const say = o.say || ((s) => console.log(s));
  const run = `${seed.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const out = o.out || join(REPO, 'build', 'soak', run);
  mkdirSync(out, { recursive: true });
  if (!LAB.CENTRALAUTH) throw new Error('the lab has no CentralAuth (FW_LAB_CENTRALAUTH=0): the soak needs it');

  const plan = makePlan({ seed, calls, run, expired: o.expired ?? true, cover: o.cover ?? false });
  say(`soak: run ${run}, seed ${seed}, ${calls} calls, concurrency ${concurrency}, watchdog ${watchdogMs / 1000} s`);
  const proxy = await startProxy({
    seed,
    target: LAB.B,
    weights: o.weights,
    hardLimitMs: hardLimitMs + 120000, // outlives the run (and its audit) but not by much
    logFile: join(out, 'proxy.jsonl'),
    say,
  });
  say(`soak: proxy on 127.0.0.1:${proxy.port} (faults only on ${LAB.B}/w/api.php and rest.php)`);
  for (const p of plan.filter((x) => x.variant === 'slow-proxy')) {
    const key = p.kind === 'rest' ? `PUT /v1/page/${p.title}` : `${p.kind === 'read' ? 'GET' : 'POST'} soak-${run}-${p.n}`;
    proxy.force(key, 'delay-long');
  }

  const browser = recordWire(
    await chromium
      .launch({
      executablePath: process.env.FW_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      // <-loopback> removes Chromium's implicit "never proxy loopback" rule; 127.0.0.1 (A and the static origin)
      // is listed again, so only B (127.0.0.2) goes through the proxy and page origins and URLs are unchanged.
      args: [...CHROMIUM_ARGS, `--proxy-server=http://127.0.0.1:${proxy.port}`, '--proxy-bypass-list=<-loopback>;127.0.0.1;localhost'],
      })
      .catch((e) => {
        proxy.stop('Chromium did not start');
        throw e;
      }),
  );
  let undoReadOnly = null;
  const readOnly = { at: null, ms: o.readOnlyMs ?? 4000, startedAt: null, endedAt: null };
  const t0 = Date.now();
  let callsFrom = t0;
  let state;
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await loginInBrowser(page, LAB.A, LAB.ADMIN);
    await openWikiPage(page, LAB.A, 'esm');
    await page.evaluate(PAGE_JS);
    const cfg = {
      plan,
      run,
      user: LAB.ADMIN.user,
      A_API: LAB.A_API,
      B_API: LAB.B_API,
      B_REST: LAB.B_REST,
      concurrency,
      watchdogMs,
      shortTimeoutMs: 3000,
      expiredTokens: plan.filter((p) => p.variant === 'expired-token').length,
      patient: { retryBudgetMs: 8000, readonlyWaitMs: 2500 }, // one maxlag retry (Retry-After: 5), a few read-only ones
      impatient: { retryBudgetMs: 0 },
    };
    // The audit reads B's recent changes from here on, to the second (MediaWiki's timestamps): the calls start in a
    // second of their own, after everything written on B before this run (an earlier test's edit a moment ago).
    callsFrom = Date.parse(await waitForBClockPast(new Date().toISOString().replace(/\.\d+Z$/, 'Z')));
    await page.evaluate((c) => window.soakStart(c), cfg);
    readOnly.at = Math.floor(calls * (o.readOnlyAt ?? 0.4));
    let lastLine = 0;
    for (;;) {
      await sleep(250);
      const s = await page.evaluate(() => ({ done: soakState.done, running: soakState.running, finished: soakState.finished, crashed: soakState.crashed }));
      const now = Date.now();
      if (!undoReadOnly && readOnly.startedAt === null && s.done >= readOnly.at && readOnly.ms > 0) {
        undoReadOnly = makeBReadOnly('foreign-wasm soak: read-only window');
        readOnly.startedAt = now;
        say(`soak: B read-only for ${readOnly.ms / 1000} s (after ${s.done} calls)`);
      }
      if (undoReadOnly && now - readOnly.startedAt >= readOnly.ms) {
        undoReadOnly();
        undoReadOnly = null;
        readOnly.endedAt = now;
      }
      if (now - lastLine > 10000) {
        lastLine = now;
        say(`soak: ${s.done}/${calls} settled, ${s.running} running, ${proxy.records.length} B API requests, ${Math.round((now - t0) / 1000)} s`);
      }
      if (s.finished || s.crashed) break;
      if (now - t0 > hardLimitMs) {
        say(`soak: HARD TIME LIMIT (${hardLimitMs / 1000} s) reached with ${s.done}/${calls} settled`);
        break;
      }
    }
    if (undoReadOnly) {
      undoReadOnly();
      undoReadOnly = null;
      readOnly.endedAt = Date.now();
    }
    state = await page.evaluate(() => ({ ...soakState }));
    state.pageErrors = pageErrors;
    // Requests the proxy still holds (a long delay outliving its call) may yet reach B: wait for them.
    const pendingUntil = Date.now() + 70000;
    while (proxy.pending() > 0 && Date.now() < pendingUntil) await sleep(250);
    state.proxyPendingAtAudit = proxy.pending();
    await context.close();
  } catch (e) {
    proxy.stop('the run broke');
    throw e;
  } finally {
    if (undoReadOnly) undoReadOnly();
    await browser.close();
  }
  const toMs = Date.now();
  proxy.stop('run over');

  // Late outcomes settle within the watchdog race in the page; anything never reported counts as unsettled.
  const results = plan.map((p) => state.results[p.n] || { n: p.n, kind: p.kind, variant: p.variant, status: 'never started' });
  await sleep(1500); // B's deferred updates (recent changes) run after the answer was sent
  say('soak: auditing B');
  const verdict = await audit({ plan, results, proxyRecords: proxy.records, fromMs: callsFrom, toMs });
  const report = {
    run,
    seed,
    calls,
    concurrency,
    watchdogMs,
    wallMs: toMs - t0,
    readOnly,
    plan,
    results,
    probes: state.probes,
    pageErrors: state.pageErrors,
    crashed: state.crashed,
    proxyPendingAtAudit: state.proxyPendingAtAudit,
    proxyCounts: proxy.counts(),
    proxyRecords: proxy.records,
    audit: verdict,
  };
  writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 1));
  report.out = out;
  return report;
}
