// CPU per call in Node with a stub fetch: foreign-wasm (js/dist, the ES module package) vs m3api (its generic
// fetch session) vs the bare floor (the stub, response.text() and JSON.parse). The same measurement as the
// Chromium one in bench/pages/cpu.js (cpuPerCall), for the other runtime the package serves.
//   node bench/cpu-node.mjs [--n=5000] [--reps=5]      prints medians in µs per call
// Needs js/dist built (tests/js/run.sh or bench/run.sh) and bench's npm packages (m3api).

import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('n', 5000);
const REPS = arg('reps', 5);
const HERE = new URL('.', import.meta.url).pathname;
const API = 'https://b.example.org/w/api.php';
const SMALL = JSON.stringify({ batchcomplete: true, query: { general: { sitename: 'B', generator: 'MediaWiki 1.39.10' } } });
const TOKENS = JSON.stringify({ batchcomplete: true, query: { tokens: { csrftoken: 'e649d821b946fa61e9f8997086295ff86b052eb0+\\' } } });
const HEADERS = { 'content-type': 'application/json; charset=utf-8' };

globalThis.fetch = async (url, init = {}) => {
  const body = String(url).includes('meta=tokens') || String(init.body || '').includes('meta=tokens') ? TOKENS : SMALL;
  return new Response(body, { status: 200, headers: HEADERS });
};

const fw = await import(pathToFileURL(join(HERE, '..', 'js', 'dist', 'index.js')).href);
const { FetchSession } = await import(pathToFileURL(join(HERE, 'node_modules', 'm3api', 'fetch.js')).href);

const ours = new fw.ForeignApi(API);
const m3 = new FetchSession(API, { formatversion: 2 }, { userAgent: 'foreign-wasm-bench/0.1' });
const contestants = {
  'foreign-wasm': () => ours.get({ action: 'query', meta: 'siteinfo', siprop: 'general' }),
  m3api: () => m3.request({ action: 'query', meta: 'siteinfo', siprop: 'general' }),
  floor: () => globalThis.fetch(`${API}?action=query&meta=siteinfo&format=json`).then((r) => r.text()).then(JSON.parse),
};

async function perCall(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) await fn();
  return ((performance.now() - t0) / n) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const [name, fn] of Object.entries(contestants)) await perCall(fn, Math.min(N, 2000)); // warm-up
for (let rep = 0; rep < REPS; rep += 1) {
  for (const [name, fn] of Object.entries(contestants)) (results[name] ||= []).push(await perCall(fn, N));
}
console.log(`CPU per GET call in Node ${process.versions.node}, stub fetch, ${N} sequential calls × ${REPS} reps (median µs):`);
for (const [name, xs] of Object.entries(results)) console.log(`  ${name.padEnd(13)} ${median(xs).toFixed(1)} µs`);
console.log(`  ratio foreign-wasm / m3api: ${(median(results['foreign-wasm']) / median(results.m3api)).toFixed(2)}×`);
await fw.shutdown();
