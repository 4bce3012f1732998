// Diagnostic (not part of run.sh): where the wasm core spends the CPU of one GET call, by C++ function.
// Needs a build of the same sources with function names kept (nothing in wasm/ changes):
//   NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B build/bench-prof -DCMAKE_BUILD_TYPE=MinSizeRel \
//       -DFW_TESTS=OFF -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs
//   cmake --build build/bench-prof -j2 --target fw_module_esm
//   node bench/profile-core.mjs [--n=20000] [--dir=build/bench-prof/wasm/bindings]
// Drives an Engine with the steps engine.js takes for one GET (cpuBreakdown in pages/cpu.js) under the CDP
// sampling profiler, and prints self time by function (demangled by the name section) and by boundary step.
// Since the build runs a second wasm-opt round after the link (a6b4a78) the names are dropped again and the wasm
// functions show as wasm-function[N]; the split by boundary crossing and the JS-side entries still hold.

import { LAB } from '../tests/browser/lib/lab.mjs';
import { launch } from '../tests/browser/lib/browser.mjs';

const arg = (name, dflt) => (process.argv.find((a) => a.startsWith(`--${name}=`)) || `=${dflt}`).split('=')[1];
const N = Number(arg('n', 20000));
const DIR = arg('dir', 'build/bench-prof/wasm/bindings');

const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${LAB.STATIC}/bench/pages/cpu.html`);
  await page.evaluate(async (dir) => {
    const core = await import(`/${dir}/foreign-wasm-core.mjs`);
    window.ProfModule = await core.default();
  }, DIR);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 20 });
  const loop = (n) =>
    page.evaluate((n) => {
      const M = window.ProfModule;
      let request = null;
      let event = null;
      M.fwHosts = { 900: { fetch: (json) => (request = json), cancel() {}, setTimer() {}, emit: (json) => (event = json) } };
      const engine = new M.Engine(900);
      const client = JSON.parse(engine.addClient(JSON.stringify({ apiUrl: 'http://127.0.0.2:8202/w/api.php', rest: false, pageOrigin: location.origin, auth: 'cookies' }))).ok;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        engine.startAction(JSON.stringify({ client, method: 'GET', params: { action: 'query', meta: 'siteinfo', siprop: 'general' } }), performance.now());
        const req = JSON.parse(request);
        engine.handleResponse(req.id, 200, '[["content-type","application/json; charset=utf-8"]]', 'digest', '{"query":{}}', '', performance.now());
        JSON.parse(event);
      }
      const ms = (performance.now() - t0) / n;
      engine.delete();
      return ms;
    }, n);
  await loop(2000);
  await cdp.send('Profiler.start');
  const perCall = await loop(N);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const name = (n) => n.callFrame.functionName || '(anonymous)';
  const self = new Map();
  const step = new Map();
  let busy = 0;
  for (const s of profile.samples) {
    const n = byId.get(s);
    if (/^\((idle|program|root)\)$/.test(name(n))) continue;
    busy++;
    self.set(name(n), (self.get(name(n)) || 0) + 1);
    // the boundary step: the outermost js-to-wasm frame's export name is not kept, so use the JS frame above it
    let id = s;
    let label = 'JS outside the core';
    while (id != null) {
      const f = byId.get(id).callFrame.functionName;
      if (/^js-to-wasm/.test(f)) label = f;
      id = parent.get(id);
    }
    step.set(label, (step.get(label) || 0) + 1);
  }
  const pct = (c) => ((100 * c) / busy).toFixed(1).padStart(5) + '%';
  console.log(`one GET through the Engine: ${perCall.toFixed(4)} ms (n=${N}); ${busy} busy samples`);
  console.log('\nby boundary crossing (js-to-wasm signature: iiid:d startAction, iidiiiiid: handleResponse):');
  for (const [k, c] of [...step].sort((a, b) => b[1] - a[1])) console.log(pct(c), (perCall * c / busy).toFixed(4), 'ms', k);
  console.log('\nself time by function (top 45):');
  for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(pct(c), k.slice(0, 150));

  // Part 2: the whole call (ForeignApi.get through js/dist's ESM build, light stub fetch): self time by file.
  await page.evaluate(async () => {
    window.FWE = await import('/js/dist/index.js');
    await window.FWE.ready();
    const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    const body = JSON.stringify({ batchcomplete: true, query: { general: { mainpage: 'Main Page', sitename: 'bwiki' } } });
    window.fetch = () => Promise.resolve({ status: 200, ok: true, headers, text: () => Promise.resolve(body), json: () => Promise.resolve(JSON.parse(body)) });
  });
  const calls = (n) =>
    page.evaluate(async (n) => {
      const api = new window.FWE.ForeignApi('http://127.0.0.2:8202/w/api.php');
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await api.get({ action: 'query', meta: 'siteinfo', siprop: 'general' });
      return (performance.now() - t0) / n;
    }, n);
  await calls(3000);
  await cdp.send('Profiler.start');
  const full = await calls(N / 2);
  const p2 = (await cdp.send('Profiler.stop')).profile;
  const byId2 = new Map(p2.nodes.map((n) => [n.id, n]));
  const byFile = new Map();
  const byFn = new Map();
  let busy2 = 0;
  for (const s of p2.samples) {
    const f = byId2.get(s).callFrame;
    if (/^\((idle|program|root)\)$/.test(f.functionName)) continue;
    busy2++;
    const file = f.url ? f.url.split('/').pop() : /^(js-to-wasm|wasm-to-js)/.test(f.functionName) ? 'wasm boundary' : f.functionName.startsWith('(') ? f.functionName : 'builtins (' + f.functionName + ')';
    const fileKey = /^builtins/.test(file) ? 'builtins/native' : /\.wasm$/.test(file) || /wasm-function/.test(f.functionName) ? 'wasm core' : file;
    byFile.set(fileKey, (byFile.get(fileKey) || 0) + 1);
    const fn = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) || 0) + 1);
  }
  const pct2 = (c) => ((100 * c) / busy2).toFixed(1).padStart(5) + '%';
  console.log(`\nwhole call, ForeignApi.get (ESM build, light stub): ${full.toFixed(4)} ms per call; self time by file:`);
  for (const [k, c] of [...byFile].sort((a, b) => b[1] - a[1])) console.log(pct2(c), (full * c / busy2).toFixed(4), 'ms', k);
  console.log('\ntop functions:');
  for (const [k, c] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(pct2(c), k.slice(0, 150));
} finally {
  await browser.close();
}
