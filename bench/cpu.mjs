// Client-side costs in Chromium, on bench/pages/cpu.html (static origin): wasm instantiation, CPU per call with a
// stub fetch (ours vs m3api vs no library), and a ~5 MB JSON response end to end vs JSON.parse alone.
// Method: bench/README.md. Exported: runCpu(options) → results.

import { LAB } from '../tests/browser/lib/lab.mjs';
import { CHROMIUM_ARGS } from '../tests/browser/lib/browser.mjs';
// playwright-core as the browser suite installs it; the launch is the suite's plus --expose-gc, so a collection can
// be forced before each timed run (the garbage of the previous run otherwise lands in the next one).
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';

const launch = () =>
  chromium.launch({ executablePath: process.env.FW_CHROMIUM || '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'], headless: true });
import { round, stats } from './lib.mjs';

import { DIST_PATH } from './lib.mjs';

const PAGE = `${LAB.STATIC}/bench/pages/cpu.html?dist=${encodeURIComponent(DIST_PATH())}`;

async function freshPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(PAGE, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.cpuInstantiate === 'function');
  // A new renderer (and the previous sample's, shutting down) has work of its own for a moment; on 2 CPUs it would land in the sample.
  await page.waitForTimeout(1500);
  return { context, page, errors };
}

/**
 * @param {{instantiations: number, perCall: {n, reps, warmup}, big: {mb, reps}, log: Function}} o
 */
export async function runCpu({ instantiations = 5, perCall = { n: 2000, reps: 5, warmup: 300, modes: ['light', 'real'] }, big = { mb: 5, reps: 5, modes: ['light', 'real'] }, log = console.log } = {}) {
  const browser = await launch();
  try {
    // Instantiation: every sample in a new browser context (own renderer, nothing compiled or cached before).
    const inst = {};
    for (const build of ['script', 'script-src', 'esm']) {
      inst[build] = [];
      for (let i = 0; i < instantiations; i++) {
        const p = await freshPage(browser);
        const r = await p.page.evaluate((b) => cpuInstantiate(b), build);
        if (p.errors.length) throw new Error(`instantiation (${build}): ${p.errors.join('; ')}`);
        inst[build].push(r);
        await p.context.close();
      }
      const s = stats(inst[build].map((r) => r.ms), 2);
      log(`  instantiation ${build.padEnd(10)}: ${inst[build].map((r) => round(r.ms, 1)).join(', ')} ms (median ${s.median})`);
    }

    // Per call and big response: one page, both libraries loaded, fetch stubbed.
    const p = await freshPage(browser);
    const loaded = await p.page.evaluate(() => cpuLoad());
    if (!loaded.fw || !loaded.m3api) throw new Error(`cpu page: libraries not loaded ${JSON.stringify(loaded)}`);
    const calls = await p.page.evaluate((o) => cpuPerCall(o), perCall);
    for (const mode of perCall.modes) {
      for (const kind of ['get', 'post']) {
        log(`  per call, ${mode} stub, ${kind}: ` + ['fw', 'm3api', 'floor'].map((n) => `${n} ${stats(calls[mode][kind][n], 4).median} ms`).join(', '));
      }
    }
    const breakdown = await p.page.evaluate((o) => cpuBreakdown(o), { n: perCall.n, warmup: perCall.warmup });
    log(`  one GET call: ${round(breakdown.fullCallMs, 4)} ms; ` + Object.entries(breakdown.steps).map(([k, v]) => `${k.slice(2)} ${round(v, 4)}`).join(', '));
    const bigRes = await p.page.evaluate((o) => cpuBig(o), big);
    const names = Object.keys(bigRes).filter((k) => Array.isArray(bigRes[k]));
    log(`  ${(bigRes.bytes / 1048576).toFixed(2)} MB response: ` + names.map((n) => `${n} ${stats(bigRes[n], 1).median} ms`).join(', '));
    if (p.errors.length) throw new Error(`cpu page: ${p.errors.join('; ')}`);
    await p.context.close();
    return { instantiation: inst, perCall: { ...calls, options: perCall }, breakdown, big: { ...bigRes, options: big }, chromium: browser.version() };
  } finally {
    await browser.close();
  }
}
