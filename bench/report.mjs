// From the raw measurements to the summary, the targets, results.md and chart.svg.
//   node bench/report.mjs [results.json]   re-renders results.md and chart.svg next to that results.json

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round, spread, stats } from './lib.mjs';

export const SCENARIOS = {
  S1: 'S1 cold read (meta=userinfo)',
  S2: 'S2 cold write (postWithToken csrf)',
  S3: 'S3 warm write (2nd postWithToken)',
  S4: 'S4 REST read (/coredev/v0/me/contributions)',
  S5: 'S5 ten concurrent reads',
  S6: 'S6 back-to-back write (2nd postWithToken issued as the 1st resolves)',
};
const CONDITION = { none: 'none', lat50: '50 ms' };
const LIB = {
  mw: 'MediaWiki',
  fw: 'foreign-wasm',
  'fw:prefetch-off': 'foreign-wasm, prefetch off',
  'mw:back-to-back': 'MediaWiki, S1–S5 back to back',
  'fw:back-to-back': 'foreign-wasm, S1–S5 back to back',
};
// The baseline of a row: MediaWiki measured the same way (back to back against back to back).
const baselineOf = (lib) => (lib.endsWith(':back-to-back') ? 'mw:back-to-back' : 'mw');
// The foreign-wasm rows the targets hold for: every scenario spaced and back to back.
const TARGET_LIBS = ['fw', 'fw:back-to-back'];
const how = (lib) => (lib === 'fw' ? '' : ', back to back');
// Chain targets of the issue (sequential requests), and MediaWiki's count it quotes.
export const CHAIN_TARGETS = { S1: { max: 2, mw: 3 }, S2: { max: 3, mw: 5 }, S3: { max: 1, mw: 2 }, S4: { max: 3, mw: 4 }, S6: { max: 1, mw: 2 } };
export const S5_RATIO = 0.4;

const libKey = (m) => (m.variant && m.variant !== 'default' ? `${m.impl}:${m.variant}` : m.impl);

/** One row per (scenario, condition, library). */
export function summarize(measurements) {
  const groups = new Map();
  for (const m of measurements) {
    const k = `${m.scenario}|${m.condition}|${libKey(m)}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(m);
  }
  const rows = [];
  for (const [k, ms] of groups) {
    const [scenario, condition, lib] = k.split('|');
    const ok = ms.filter((m) => m.ok);
    rows.push({
      scenario,
      condition,
      lib,
      runs: ms.length,
      failures: ms.length - ok.length,
      errors: ms.filter((m) => !m.ok).map((m) => m.error),
      requests: spread(ok.map((m) => m.requests)),
      toA: spread(ok.map((m) => m.toA)),
      toB: spread(ok.map((m) => m.toB)),
      preflights: spread(ok.map((m) => m.preflights)),
      chain: spread(ok.map((m) => m.chain)),
      chainMax: ok.length ? Math.max(...ok.map((m) => m.chain)) : null,
      wireChain: spread(ok.map((m) => m.wireChain)),
      prefetchForNextCall: spread(ok.map((m) => m.prefetchForNextCall)),
      cookiesToB: ms.reduce((n, m) => n + (m.cookiesToB || 0), 0),
      wall: stats(ok.map((m) => m.wallMs)),
      wallRuns: ms.map((m) => (m.ok ? round(m.wallMs, 1) : null)),
      retried: ms.reduce((n, m) => n + ((m.attempts || 1) - 1), 0),
    });
  }
  const order = (r) => Object.keys(SCENARIOS).indexOf(r.scenario) * 100 + Object.keys(CONDITION).indexOf(r.condition) * 10 + Object.keys(LIB).indexOf(r.lib);
  rows.sort((a, b) => order(a) - order(b));
  for (const r of rows) {
    const mw = rows.find((x) => x.scenario === r.scenario && x.condition === r.condition && x.lib === baselineOf(r.lib));
    r.ratio = mw && mw.wall.median && r.wall.median != null ? round(r.wall.median / mw.wall.median, 2) : null;
  }
  return rows;
}

/** The run (of the group) whose wall time is the median one: its request sequence goes into the report. */
function medianRun(measurements, scenario, condition, lib) {
  const ms = measurements.filter((m) => m.ok && m.scenario === scenario && m.condition === condition && libKey(m) === lib);
  if (!ms.length) return null;
  const med = median(ms.map((m) => m.wallMs));
  return ms.reduce((best, m) => (Math.abs(m.wallMs - med) < Math.abs(best.wallMs - med) ? m : best), ms[0]);
}

/** Every target of the issue: {what, target, measured, met, where}. */
export function evaluateTargets(results) {
  const out = [];
  const rows = results.rtt ? results.rtt.summary : [];
  for (const [s, t] of Object.entries(CHAIN_TARGETS)) {
    for (const cond of results.rtt?.meta.conditions || []) {
      for (const lib of TARGET_LIBS) {
        const r = rows.find((x) => x.scenario === s && x.condition === cond && x.lib === lib);
        const mw = rows.find((x) => x.scenario === s && x.condition === cond && x.lib === baselineOf(lib));
        if (!r) continue;
        out.push({
          id: `${s}-chain-${cond}${lib === 'fw' ? '' : '-back-to-back'}`,
          what: `${SCENARIOS[s]}${how(lib)}, ${CONDITION[cond]}: sequential requests (chain)`,
          target: `${s === 'S3' || s === 'S6' ? '=' : '≤'} ${t.max} (MediaWiki ${t.mw}; measured MediaWiki: ${mw ? mw.chain : '–'})`,
          measured: r.failures === r.runs ? 'failed' : `${r.chain}${r.failures ? ` (${r.failures} failed run(s))` : ''}`,
          met: r.failures === 0 && r.chainMax != null && r.chainMax <= t.max,
        });
      }
    }
  }
  for (const cond of results.rtt?.meta.conditions || []) {
    for (const lib of TARGET_LIBS) {
      const fw = rows.find((x) => x.scenario === 'S5' && x.condition === cond && x.lib === lib);
      const mw = rows.find((x) => x.scenario === 'S5' && x.condition === cond && x.lib === baselineOf(lib));
      if (!fw) continue;
      out.push({
        id: `S5-wall-${cond}${lib === 'fw' ? '' : '-back-to-back'}`,
        what: `${SCENARIOS.S5}${how(lib)}, ${CONDITION[cond]}: median wall time vs MediaWiki's (same run)`,
        target: `≤ ${S5_RATIO}×`,
        measured: fw.ratio == null ? 'failed' : `${fw.ratio}× (${fw.wall.median} vs ${mw?.wall.median} ms)`,
        met: fw.ratio != null && fw.ratio <= S5_RATIO && fw.failures === 0,
      });
    }
  }
  const cpu = results.cpu;
  if (cpu) {
    for (const build of ['script', 'esm']) {
      const ms = stats(cpu.instantiation[build].map((r) => r.ms), 1);
      out.push({
        id: `instantiate-${build}`,
        what: `wasm instantiation, ${build === 'script' ? 'single-file script (script start → ready)' : 'ESM (import() → ready, local fetches included)'}, median of ${ms.n}`,
        target: '≤ 50 ms',
        measured: `${ms.median} ms (min ${ms.min}, max ${ms.max})`,
        met: ms.median <= 50,
      });
    }
    for (const kind of ['get', 'post']) {
      const pc = cpu.perCall.light[kind];
      const fw = median(pc.fw);
      const m3 = median(pc.m3api);
      const floor = median(pc.floor);
      const real = cpu.perCall.real ? cpu.perCall.real[kind] : null;
      const label = kind === 'get' ? 'GET meta=siteinfo' : 'postWithToken csrf (token cached)';
      out.push({
        id: `cpu-${kind}-ratio`,
        what: `CPU per call with a stub fetch, ${label}: ours vs m3api`,
        target: '≤ 1.0×',
        measured:
          `${round(fw / m3, 2)}× (${round(fw, 3)} vs ${round(m3, 3)} ms; stub alone ${round(floor, 3)} ms)` +
          (real ? `; with a real Response per call ${round(median(real.fw) / median(real.m3api), 2)}× (${round(median(real.fw), 3)} vs ${round(median(real.m3api), 3)} ms)` : ''),
        met: fw <= m3,
      });
      out.push({
        id: `cpu-${kind}-abs`,
        what: `CPU per call with a stub fetch, ${label}: ours, absolute`,
        target: '≤ 0.2 ms',
        measured: `${round(fw, 3)} ms (${round(fw - floor, 3)} ms above the stub alone)`,
        met: fw <= 0.2,
      });
    }
    const parse = median(cpu.big.parse);
    const fw = median(cpu.big['light:fw']);
    const realFw = cpu.big['real:fw'] ? median(cpu.big['real:fw']) : null;
    const realFloor = cpu.big['real:floor'] ? median(cpu.big['real:floor']) : null;
    out.push({
      id: 'big-response',
      what: `${round(cpu.big.bytes / 1048576, 2)} MB JSON response end to end vs JSON.parse alone`,
      target: '≤ 1.3×',
      measured:
        `${round(fw / parse, 2)}× (${round(fw, 1)} vs ${round(parse, 1)} ms; m3api ${round(median(cpu.big['light:m3api']) / parse, 2)}×)` +
        (realFw ? `; with a real Response: ours ${round(realFw, 1)} ms, fetch+text()+parse with no library ${round(realFloor, 1)} ms (ours ${round(realFw / realFloor, 2)}× that)` : ''),
      met: fw / parse <= 1.3,
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ markdown
const fmtWall = (w) => (w.median == null ? 'failed' : `${w.min} / ${w.median} / ${w.max}`);

export function renderMarkdown(results) {
  const L = [];
  const rtt = results.rtt;
  L.push(`# Benchmark results${results.quick ? ' (quick mode: not the reference numbers)' : ''}`);
  L.push('');
  L.push(
    `Generated ${results.generated} by \`${results.command}\` in ${results.durationS} s. ` +
      `Chromium ${results.machine.chromium}, Node ${results.machine.node}, ${results.machine.cpus} CPU(s), ` +
      `CPU idle in the 2 s before the start ${results.machine.idleAtStart == null ? '?' : Math.round(results.machine.idleAtStart * 100) + ' %'}, ` +
      `load average at start / end ${results.machine.loadStart.join(' ')} / ${results.machine.loadEnd.join(' ')} (the benchmark's own browser and wikis make ~2)` +
      (results.machine.busy ? ` — **other processes were using the machine at the start: wall times may be inflated**` : '') +
      '.',
  );
  L.push('Method: `bench/README.md`. Raw data (every request of every run): `results.json`.');
  L.push('');
  if (rtt) {
    L.push('## Round trips (wiki A page, Admin logged in on A only, cross-wiki to B with CentralAuth)');
    L.push('');
    L.push(
      `${rtt.meta.runs} run(s) per cell, each on a fresh page; foreign-wasm = the single-file script from the static origin. ` +
        `requests = api.php/rest.php requests of the call (CORS preflights not included; foreign-wasm's prefetch for the *next* call not included, see the last column), ` +
        'chain = longest chain of dependent requests (request start = issued; wire = start when sent), ratio = median wall / MediaWiki\'s median wall in the same run.',
    );
    L.push('');
    L.push('| scenario | network | library | requests (A+B) | preflights | chain (wire) | wall ms min / median / max | ratio to MW | prefetch for next call |');
    L.push('|---|---|---|---|---|---|---|---|---|');
    for (const r of rtt.summary) {
      const fail = r.failures ? ` (${r.failures}/${r.runs} failed)` : '';
      L.push(
        `| ${SCENARIOS[r.scenario]} | ${CONDITION[r.condition]} | ${LIB[r.lib] || r.lib} | ${r.requests} (${r.toA}+${r.toB}) | ${r.preflights} | ${r.chain} (${r.wireChain}) | ${fmtWall(r.wall)}${fail} | ${r.lib === 'mw' ? '1' : r.ratio ?? '–'} | ${r.lib === 'mw' ? '–' : r.prefetchForNextCall} |`,
      );
    }
    L.push('');
    const cap = rtt.meta.labCapacity;
    if (cap) {
      const f = (x) => x && `10 sequential ${x.sequentialMs} ms, 10 concurrent ${x.concurrentMs} ms (${x.speedup}×)`;
      L.push(
        `Lab capacity (bounds S5; measured from Node before and after the round trips, no browser limits): ` +
          `B anonymous meta=userinfo: ${f(cap.before.bReads)} / after: ${f(cap.after.bReads)}; ` +
          `A action=centralauthtoken as Admin: ${f(cap.before.aTokens)} / after: ${f(cap.after.aTokens)}. ` +
          `Both wikis (php -S) and the browser share ${results.machine.cpus} CPU(s): concurrency buys at most that speedup.`,
      );
      L.push('');
    }
    const cookies = rtt.summary.reduce((n, r) => n + r.cookiesToB, 0);
    L.push(`Requests to B that carried a cookie: ${cookies} (the user is logged in on A only).` + (rtt.summary.some((r) => r.retried) ? ` Runs repeated because another process disturbed them (B read-only, failed call): ${rtt.summary.reduce((n, r) => n + r.retried, 0)}.` : ''));
    L.push('');
  }
  L.push('## Targets');
  L.push('');
  L.push('| target | wanted | measured | met |');
  L.push('|---|---|---|---|');
  for (const t of results.targets) L.push(`| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
  L.push('');
  if (results.cpu) {
    const c = results.cpu;
    L.push('## Client-side costs (Chromium, static origin page, fetch stubbed)');
    L.push('');
    L.push('| measurement | runs (ms) | median ms |');
    L.push('|---|---|---|');
    const names = { script: 'instantiation: single-file script, script start → ready', 'script-src': 'instantiation: <script src> inserted → ready (local download included)', esm: 'instantiation: ESM import() → ready (local module + .wasm fetches included)' };
    for (const b of ['script', 'script-src', 'esm']) {
      L.push(`| ${names[b]} | ${c.instantiation[b].map((r) => round(r.ms, 1)).join(', ')} | ${stats(c.instantiation[b].map((r) => r.ms)).median} |`);
    }
    const inWiki = results.rtt?.meta.scriptLoadMsInWikiPage;
    if (inWiki && inWiki.length) {
      const st = stats(inWiki);
      L.push(`| for comparison: <script src> → ready on the wiki A pages of the round trips (warm browser, ${st.n} loads) | min ${st.min}, max ${st.max} | ${st.median} |`);
    }
    const split = (c.instantiation.script || []).filter((r) => r.wasmCalledMs != null);
    if (split.length) {
      const f = (k) => split.map((r) => round(r[k], 1)).join(', ');
      L.push(`| single-file script, split: parse + run of the script | ${f('evalMs')} | ${stats(split.map((r) => r.evalMs)).median} |`);
      L.push(`| single-file script, split: script end → WebAssembly.instantiate called (decoding the inlined wasm) | ${split.map((r) => round(r.wasmCalledMs - r.evalMs, 1)).join(', ')} | ${stats(split.map((r) => r.wasmCalledMs - r.evalMs)).median} |`);
      L.push(`| single-file script, split: WebAssembly.instantiate (compile + instantiate) | ${f('wasmCompileMs')} | ${stats(split.map((r) => r.wasmCompileMs)).median} |`);
      L.push(`| single-file script, split: instantiated → ready (runtime and embind start, Engine) | ${f('afterCompileMs')} | ${stats(split.map((r) => r.afterCompileMs)).median} |`);
    }
    const esmSplit = (c.instantiation.esm || []).filter((r) => r.wasmFetchedMs != null);
    if (esmSplit.length) {
      const g = (fn) => esmSplit.map((r) => round(fn(r), 1));
      L.push(`| ESM, split: import() → last module file fetched (${esmSplit[0].files - 1} module files; then the .wasm) | ${g((r) => r.lastModuleFetchedMs).join(', ')} | ${stats(g((r) => r.lastModuleFetchedMs)).median} |`);
      L.push(`| ESM, split: → .wasm requested | ${g((r) => r.wasmRequestedMs - r.lastModuleFetchedMs).join(', ')} | ${stats(g((r) => r.wasmRequestedMs - r.lastModuleFetchedMs)).median} |`);
      L.push(`| ESM, split: .wasm fetched → ready (compile, instantiate, runtime, Engine) | ${g((r) => r.readyAfterWasmMs).join(', ')} | ${stats(g((r) => r.readyAfterWasmMs)).median} |`);
    }
    if (c.breakdown) {
      L.push(`| one GET through the wasm Engine alone (the steps of engine.js, no promises/fetch), ${c.breakdown.n} iterations | ${Object.entries(c.breakdown.steps).map(([k, v]) => `${k.slice(2)} ${round(v * 1000, 1)} µs`).join('; ')} | ${round(Object.values(c.breakdown.steps).reduce((a, b) => a + b, 0), 4)} |`);
      L.push(`| the same GET through ForeignApi.get (light stub), same page | – | ${round(c.breakdown.fullCallMs, 4)} |`);
    }
    const per = c.perCall;
    const who = { fw: 'foreign-wasm', m3api: 'm3api 1.1.0', floor: 'no library (stub + text() + JSON.parse)' };
    for (const mode of per.options.modes) {
      for (const kind of ['get', 'post']) {
        for (const n of ['fw', 'm3api', 'floor']) {
          L.push(`| per call, ${mode} stub, ${kind === 'get' ? 'GET' : 'POST with cached csrf token'}, ${who[n]} (${per.options.n} sequential calls per run) | ${per[mode][kind][n].map((x) => round(x, 4)).join(', ')} | ${round(median(per[mode][kind][n]), 4)} |`);
        }
      }
    }
    const bigNames = { parse: 'JSON.parse(text) alone', floor: 'no library: stub → text() → JSON.parse', fw: 'foreign-wasm get() end to end', m3api: 'm3api request() end to end' };
    for (const k of Object.keys(c.big).filter((x) => Array.isArray(c.big[x]))) {
      const [mode, n] = k.includes(':') ? k.split(':') : ['', k];
      L.push(`| ${round(c.big.bytes / 1048576, 2)} MB response (${c.big.pages} pages)${mode ? `, ${mode} stub` : ''}: ${bigNames[n]} | ${c.big[k].map((x) => round(x, 1)).join(', ')} | ${round(median(c.big[k]), 1)} |`);
    }
    L.push('');
  }
  if (rtt) {
    L.push('## Where the time goes');
    L.push('');
    L.push(
      'Over all runs, requests of the call only (no preflights, no prefetch for the next call): ms from issued to sent ' +
        '(waiting in the browser: connection limit, cache lock), from sent to end (server and network), and the most ' +
        'requests in flight at once per host. "sum of sent→end" / wall shows how much of the wall the server time is.',
    );
    L.push('');
    L.push('| scenario | network | library | issued→sent median / max | sent→end median / max | max in flight A / B | sum of sent→end per run (median) | wall median |');
    L.push('|---|---|---|---|---|---|---|---|');
    for (const r of rtt.summary) {
      const ms = rtt.measurements.filter((m) => m.ok && m.scenario === r.scenario && m.condition === r.condition && libKey(m) === r.lib);
      const qs = ms.flatMap((m) => m.sequence.filter((q) => !q.preflight && !q.prefetchForNextCall && q.sent != null && q.end != null));
      const wait = stats(qs.map((q) => q.sent - q.issued));
      const serve = stats(qs.map((q) => q.end - q.sent));
      const inflight = (host) =>
        Math.max(0, ...ms.map((m) => {
          const xs = m.sequence.filter((q) => !q.preflight && q.sent != null && q.end != null && q.request.startsWith(host + ' '));
          return Math.max(0, ...xs.map((x) => xs.filter((y) => y.sent <= x.sent && y.end > x.sent).length));
        }));
      const sums = ms.map((m) => m.sequence.filter((q) => !q.preflight && !q.prefetchForNextCall && q.sent != null && q.end != null).reduce((n, q) => n + q.end - q.sent, 0));
      L.push(`| ${r.scenario} | ${CONDITION[r.condition]} | ${LIB[r.lib] || r.lib} | ${wait.median} / ${wait.max} | ${serve.median} / ${serve.max} | ${inflight('A')} / ${inflight('B')} | ${round(median(sums), 1)} | ${r.wall.median} |`);
    }
    L.push('');
    L.push('## Request sequences (run with the median wall time)');
    L.push('');
    L.push('ms from the call; `issued` = the library asked the browser, `sent` = on the socket, `end` = response complete; `why` = the library\'s trace.');
    L.push('');
    const libs = [...new Set(rtt.summary.map((r) => r.lib))];
    for (const cond of rtt.meta.conditions) {
      for (const s of Object.keys(SCENARIOS)) {
        for (const lib of libs) {
          const m = medianRun(rtt.measurements, s, cond, lib);
          if (!m) continue;
          L.push(`**${s}, ${CONDITION[cond]}, ${LIB[lib] || lib}** (run ${m.run}, ${m.wallMs} ms; chain: ${m.chainSequence.join(' → ')})`);
          L.push('');
          L.push('| issued | sent | end | request | status | why |');
          L.push('|---|---|---|---|---|---|');
          for (const q of m.sequence) {
            L.push(`| ${q.issued} | ${q.sent ?? '–'} | ${q.end ?? '–'} | ${q.request.replace(/\|/g, '\\|')} | ${q.status ?? q.failed ?? ''} | ${q.preflight ? 'CORS preflight' : (q.why || '').replace(/\|/g, '\\|')} |`);
          }
          L.push('');
        }
      }
    }
  }
  if (results.sizes) {
    L.push('## Sizes (bench/size.sh)');
    L.push('');
    L.push("```");
    L.push(results.sizes.trim());
    L.push("```");
    L.push('');
  }
  return L.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------------ chart
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Grouped bars: median wall ms per scenario, MediaWiki vs foreign-wasm, one panel per network condition. */
export function renderSvg(results) {
  const rows = results.rtt ? results.rtt.summary : [];
  const conds = results.rtt ? results.rtt.meta.conditions : [];
  const libs = [
    { key: 'mw', label: 'MediaWiki mw.ForeignApi/ForeignRest (CentralAuth)', color: '#9aa0a6' },
    { key: 'fw', label: 'foreign-wasm', color: '#1a73e8' },
    { key: 'fw:prefetch-off', label: 'foreign-wasm, prefetch off', color: '#8ab4f8' },
  ];
  const scen = Object.keys(SCENARIOS);
  const panelW = 470;
  const panelH = 300;
  const top = 64;
  const left = 56;
  const W = left + conds.length * (panelW + 30) + 10;
  const H = top + panelH + 70;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">Median wall time per scenario (ms, lower is better)${results.quick ? ' — quick mode' : ''}</text>`);
  let lx = left;
  for (const l of libs) {
    out.push(`<rect x="${lx}" y="32" width="12" height="12" fill="${l.color}"/><text x="${lx + 16}" y="42">${esc(l.label)}</text>`);
    lx += 16 + l.label.length * 6.2 + 24;
  }
  conds.forEach((cond, ci) => {
    const x0 = left + ci * (panelW + 30);
    const vals = rows.filter((r) => r.condition === cond && r.wall.median != null).map((r) => r.wall.median);
    const max = Math.max(1, ...vals);
    const step = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000].find((s) => max / s <= 6) || 10000;
    const yMax = Math.ceil(max / step) * step;
    const y = (v) => top + panelH - (v / yMax) * panelH;
    out.push(`<text x="${x0 + panelW / 2}" y="${top - 6}" text-anchor="middle" font-weight="bold">network: ${esc(CONDITION[cond] === 'none' ? 'no emulation' : CONDITION[cond] + ' emulated latency')}</text>`);
    for (let v = 0; v <= yMax; v += step) {
      out.push(`<line x1="${x0}" x2="${x0 + panelW}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`);
      out.push(`<text x="${x0 - 4}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v}</text>`);
    }
    const gw = panelW / scen.length;
    scen.forEach((s, si) => {
      const present = libs.filter((l) => rows.some((r) => r.scenario === s && r.condition === cond && r.lib === l.key));
      const bw = Math.min(26, (gw - 16) / Math.max(1, present.length));
      const gx = x0 + si * gw + (gw - bw * present.length) / 2;
      present.forEach((l, li) => {
        const r = rows.find((q) => q.scenario === s && q.condition === cond && q.lib === l.key);
        const v = r.wall.median;
        const bx = gx + li * bw;
        if (v == null) {
          out.push(`<text x="${bx + bw / 2}" y="${y(0) - 4}" text-anchor="middle" fill="#c00">×</text>`);
          return;
        }
        out.push(`<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(y(0) - y(v)).toFixed(1)}" fill="${l.color}"><title>${esc(`${s} ${CONDITION[cond]} ${l.label}: median ${v} ms (min ${r.wall.min}, max ${r.wall.max}), chain ${r.chain}`)}</title></rect>`);
        out.push(`<text x="${(bx + bw / 2 - 1).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${Math.round(v)}</text>`);
      });
      out.push(`<text x="${x0 + si * gw + gw / 2}" y="${top + panelH + 16}" text-anchor="middle">${s}</text>`);
    });
    out.push(`<line x1="${x0}" x2="${x0 + panelW}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`);
  });
  out.push(`<text x="${left}" y="${top + panelH + 40}" fill="#555">S1 cold read · S2 cold write · S3 warm write · S4 REST read · S5 ten concurrent reads. Bars: median of ${results.rtt?.meta.runs ?? '?'} runs; numbers in results.md.</text>`);
  out.push(`<text x="${left}" y="${top + panelH + 56}" fill="#555">${esc(`${results.generated} · Chromium ${results.machine.chromium} · ${results.machine.cpus} CPUs, ${results.machine.idleAtStart == null ? '' : Math.round(results.machine.idleAtStart * 100) + ' % idle at the start'}${results.machine.busy ? ' (other processes were running)' : ''}`)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function writeReports(results, dir) {
  writeFileSync(join(dir, 'results.md'), renderMarkdown(results));
  writeFileSync(join(dir, 'chart.svg'), renderSvg(results));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] || join(dirname(fileURLToPath(import.meta.url)), 'results', 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8'));
  if (results.rtt) results.rtt.summary = summarize(results.rtt.measurements);
  results.targets = evaluateTargets(results);
  writeFileSync(file, JSON.stringify(results, null, 1) + '\n');
  writeReports(results, dirname(file));
  console.log(`wrote ${join(dirname(file), 'results.md')} and chart.svg`);
}
