// How much of a warm call's CPU is JSON text at the JS↔wasm boundary: the most a cheaper encoding than JSON text
// (issue "fetch bridge", item 2) could save. Profiles ForeignApi.get with a stub fetch in Node (V8's sampling
// profiler through node:inspector) on a build whose wasm keeps its function names, and sorts self time into
//   JSON text in the core     nlohmann's serializer, parser and lexer (the driver's request/event JSON, the answer)
//   strings across            UTF8ToString / stringToUTF8 / TextDecoder / TextEncoder (the bridge's string copies)
//   JSON text in JS           JSON.parse / JSON.stringify of the bridge's messages in js/src
//   the rest                  everything else (the core's logic, the JS facades, the stub itself)
// Not part of run.sh (it needs the names build); the figures go into bench/README.md.
//   NODE_PATH=/usr/share/nodejs cmake --preset wasm -B build/wasm-prof -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs \
//       -DFW_WASM_OPT=FW_WASM_OPT-NOTFOUND
//   cmake --build build/wasm-prof -j2 --target fw_module_esm fw_module_single fw_oauth1_esm
//   node js/scripts/build.mjs --wasm-dir build/wasm-prof/wasm/bindings --dist build/bench/prof-dist
//   node bench/encoding.mjs [--n=20000] [--dist=build/bench/prof-dist]

import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const N = Number(arg('n', 20000));
const DIST = resolve(arg('dist', 'build/bench/prof-dist'));
const API = 'https://b.example.org/w/api.php';
const BODY = JSON.stringify({ batchcomplete: true, query: { general: { sitename: 'B', generator: 'MediaWiki 1.39.10' } } });
const HEADERS = { 'content-type': 'application/json; charset=utf-8' };
globalThis.fetch = async () => new Response(BODY, { status: 200, headers: HEADERS });

const fw = await import(pathToFileURL(`${DIST}/index.js`).href);
await fw.ready();
const api = new fw.ForeignApi(API);
const calls = async (n) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await api.get({ action: 'query', meta: 'siteinfo', siprop: 'general' });
  return ((performance.now() - t0) * 1000) / n;
};
await calls(3000);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 25 });
await session.post('Profiler.start');
const usPerCall = await calls(N);
const { profile } = await session.post('Profiler.stop');
session.disconnect();

// A demangled C++ name without its template arguments: every basic_json<…> names adl_serializer, which is not text.
const bare = (fn) => {
  let out = '';
  let depth = 0;
  for (const ch of fn) {
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
};
const CATEGORIES = [
  ['JSON text in the core', (fn) => /detail::(serializer|parser|lexer|json_sax_dom_parser|input_adapter|iterator_input_adapter)|basic_json::(dump|parse)|fwb::(parse_json|dump)/.test(bare(fn))],
  ['strings across', (fn, url) => /^(UTF8ToString|UTF8ArrayToString|stringToUTF8|stringToUTF8Array|lengthBytesUTF8|decode|encode|encodeInto)$/.test(fn) && !/js\/src/.test(url)],
  ['JSON text in JS', (fn, url) => /^(parse|stringify)$/.test(fn) && url === ''],
];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const totals = new Map(CATEGORIES.map(([name]) => [name, 0]));
const top = new Map();
const rest = new Map();
let busy = 0;
let other = 0;
for (const id of profile.samples) {
  const { functionName, url } = byId.get(id).callFrame;
  if (/^\((idle|program|root|garbage collector)\)$/.test(functionName)) continue;
  busy++;
  const hit = CATEGORIES.find(([, test]) => test(functionName, url));
  if (hit) {
    totals.set(hit[0], totals.get(hit[0]) + 1);
    const k = `${hit[0]}: ${functionName.slice(0, 90)}`;
    top.set(k, (top.get(k) || 0) + 1);
  } else {
    other++;
    const k = `the rest: ${functionName.replace(/std::__2::basic_string<char, std::__2::char_traits<char>, std::__2::allocator<char> >/g, "std::string").replace(/nlohmann::json_abi_v3_11_2::basic_json<[^>]*>[^>]*>/g, "json").slice(0, 110) || '(anonymous)'} ${url.split('/').pop()}`;
    rest.set(k, (rest.get(k) || 0) + 1);
  }
}
const share = (c) => `${((100 * c) / busy).toFixed(1).padStart(5)} %  ${((usPerCall * c) / busy).toFixed(1).padStart(5)} µs`;
console.log(`ForeignApi.get, stub fetch, Node ${process.version}: ${usPerCall.toFixed(1)} µs per call (n=${N}), ${busy} busy samples`);
let json = 0;
for (const [name, c] of totals) {
  console.log(`${share(c)}  ${name}`);
  json += c;
}
console.log(`${share(other)}  the rest`);
console.log(`${share(json)}  JSON text at the boundary, all of it: the most a cheaper encoding could save`);
console.log('\nlargest entries:');
for (const [k, c] of [...top].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${share(c)}  ${k}`);
for (const [k, c] of [...rest].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${share(c)}  ${k}`);
