// Builds js/dist from js/src and the CMake build of wasm/bindings, then packs the npm tarball into build/.
//   dist/index.js + foreign-wasm-core.{mjs,wasm}  the ES module package (src bundled into one module, names kept;
//                                               Emscripten's glue minified, since bundlers usually leave it alone)
//   dist/index.cjs                              the CommonJS entry (src/index.cjs, copied)
//   dist/foreign-wasm.js                        one classic script, wasm inlined, defines globalThis.ForeignWasm
//   dist/oauth1.js + foreign-wasm-oauth1.{mjs,wasm}  foreign-wasm/oauth1 (Node only): OAuth 1.0a, its own wasm
// Usage: node scripts/build.mjs [--wasm-dir DIR] [--dist DIR] [--no-pack]
//   --wasm-dir  an existing wasm/bindings build dir, used as it is; without it <repo>/build/wasm is configured
//               and built first (scripts/wasm-build.mjs), which is what prepack (npm pack, npm publish) relies on
//   --dist      where to write the files (default js/dist; tests/js/reproducible.sh builds a second copy)
//   --no-pack   no tarball (prepack passes it: npm itself is packing; --dist implies it)
// Prints raw and gzip -9 sizes of what it built (bench/size.sh prints the full table).

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import vm from 'node:vm';
import { buildWasm } from './wasm-build.mjs';

const jsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(jsDir, '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? resolve(args[args.indexOf(name) + 1]) : undefined);
const wasmDir = option('--wasm-dir') ?? buildWasm(repo, join(repo, 'build', 'wasm'));
const dist = option('--dist') ?? join(jsDir, 'dist');
const pack = !args.includes('--no-pack') && !args.includes('--dist'); // the tarball is always js/dist's
const src = join(jsDir, 'src');
const pkg = JSON.parse(readFileSync(join(jsDir, 'package.json'), 'utf8'));

const inputs = [
  'foreign-wasm-core.mjs',
  'foreign-wasm-core.wasm',
  'foreign-wasm-core.single.js',
  'foreign-wasm-core.single.wasm',
  'foreign-wasm-oauth1.mjs',
  'foreign-wasm-oauth1.wasm',
];
for (const file of inputs) {
  if (!existsSync(join(wasmDir, file))) {
    console.error(`missing ${join(wasmDir, file)}: build the wasm first (tests/js/run.sh does)`);
    process.exit(1);
  }
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// ES module package: one bundled module (a page then fetches one file, not a waterfall of thirteen), readable names
// kept; Emscripten's glue stays a separate module, imported on first use.
await build({
  entryPoints: [join(src, 'index.js')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  outfile: join(dist, 'index.js'),
  external: ['./foreign-wasm-core.mjs'],
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// Emscripten's glue is whitespace-minified only (no Closure here): esbuild also shortens its identifiers. es2022 is
// what the glue needs anyway (top-level await in node_esm_compat.js).
const esmGlue = await transform(readFileSync(join(wasmDir, 'foreign-wasm-core.mjs'), 'utf8'), {
  format: 'esm',
  minify: true,
  target: 'es2022',
  legalComments: 'none',
});
writeFileSync(join(dist, 'foreign-wasm-core.mjs'), esmGlue.code);
copyFileSync(join(wasmDir, 'foreign-wasm-core.wasm'), join(dist, 'foreign-wasm-core.wasm'));
copyFileSync(join(src, 'index.cjs'), join(dist, 'index.cjs'));

// foreign-wasm/oauth1 imports the package's own dist/index.js (one engine per process) and its own wasm module.
await build({
  entryPoints: [join(src, 'oauth1.js')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  outfile: join(dist, 'oauth1.js'),
  external: ['./index.js', './foreign-wasm-oauth1.mjs'],
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const oauth1Glue = await transform(readFileSync(join(wasmDir, 'foreign-wasm-oauth1.mjs'), 'utf8'), {
  format: 'esm',
  minify: true,
  target: 'es2022',
  legalComments: 'none',
});
writeFileSync(join(dist, 'foreign-wasm-oauth1.mjs'), oauth1Glue.code);
copyFileSync(join(wasmDir, 'foreign-wasm-oauth1.wasm'), join(dist, 'foreign-wasm-oauth1.wasm'));

// The wasm as one JavaScript string of printable ASCII that gzip compresses as well as the binary itself (base64
// costs a third more after gzip, because its 6-bit groups hide the byte patterns gzip feeds on). Each byte becomes
// one or two characters of an alphabet, the most frequent bytes one: the encoding keeps byte boundaries, so repeated
// byte sequences stay repeated character sequences. The alphabet leaves out what a JS string or a wiki page would
// change: " and \ (string syntax), < (an inline </script>), and ~ { [ (MediaWiki's pre-save transform rewrites ~~~~
// signatures, {{subst:}} and the [[a|]] pipe trick on .js pages too, and the docs tell users to paste the script
// into one). ASCII only, so no charset can garble it.
function encodeWasm(bytes) {
  const alphabet = [];
  for (let c = 32; c < 127; c++) if (!'"\\<~{['.includes(String.fromCharCode(c))) alphabet.push(String.fromCharCode(c));
  const singles = alphabet.length - 2; // the last two characters start a two-character code
  const count = new Array(256).fill(0);
  for (const b of bytes) count[b]++;
  // Code index → byte: the `singles` most frequent bytes get one character each (the decoder is told which), every
  // other byte a two-character code, in ascending byte order (the decoder works that part out itself).
  const top = [...Array(256).keys()].sort((a, b) => count[b] - count[a] || a - b).slice(0, singles);
  const order = top.concat([...Array(256).keys()].filter((b) => !top.includes(b)));
  const code = [];
  order.forEach((byte, i) => {
    code[byte] =
      i < singles ? alphabet[i] : alphabet[singles + Math.floor((i - singles) / alphabet.length)] + alphabet[(i - singles) % alphabet.length];
  });
  let text = '';
  for (const b of bytes) text += code[b];
  // ES5, no eval; runs once per engine load (a few ms for the whole module).
  const decoder = `function (text) {
  var alphabet = [], index = [], order = [], seen = [], i, c, k, n = 0, out = new Uint8Array(${bytes.length});
  for (c = 32; c < 127; c++) if ('"\\\\<~{['.indexOf(String.fromCharCode(c)) < 0) { index[c] = alphabet.length; alphabet.push(c); }
  var singles = alphabet.length - 2;
  for (i = 0; i < singles; i++) seen[order[i] = parseInt(${JSON.stringify(Buffer.from(top).toString('hex'))}.substr(2 * i, 2), 16)] = 1;
  for (c = 0; c < 256; c++) if (!seen[c]) order.push(c);
  for (i = 0; i < text.length; ) {
    k = index[text.charCodeAt(i++)];
    if (k >= singles) k = singles + (k - singles) * alphabet.length + index[text.charCodeAt(i++)];
    out[n++] = order[k];
  }
  return out;
}`;
  // Self-check: the decoder must give back the exact bytes.
  const decoded = vm.runInNewContext(`(${decoder})(${JSON.stringify(text)})`, { Uint8Array });
  if (decoded.length !== bytes.length || !Buffer.from(decoded).equals(bytes)) {
    console.error('wasm text encoding: the decoder does not round-trip');
    process.exit(1);
  }
  return { text, decoder };
}

// Classic script: Emscripten's factory and the bundled JS share one function scope, so the factory
// (`var ForeignWasmCore`) is visible to script.js and nothing but globalThis.ForeignWasm leaks out.
let core = readFileSync(join(wasmDir, 'foreign-wasm-core.single.js'), 'utf8');
// Drop Emscripten's UMD export: on a wiki page an AMD `define` may exist and would receive an anonymous module,
// and under CommonJS it would overwrite module.exports with the bare factory.
const umd = core.indexOf("if (typeof exports === 'object' && typeof module === 'object')");
if (umd < 0) {
  console.error('foreign-wasm-core.single.js: the UMD export block was not found (Emscripten output changed?)');
  process.exit(1);
}
core = core.slice(0, umd);
const inlined = encodeWasm(readFileSync(join(wasmDir, 'foreign-wasm-core.single.wasm')));
const bundle = await build({
  entryPoints: [join(src, 'script.js')],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  write: false,
  legalComments: 'none',
});
// The factory always gets the wasm bytes (wasmBinary), so Emscripten's loader never fetches or locates a file.
// `var fetch` shadows the global for the loader as well, as a second guard: a wiki's CSP (connect-src) may forbid
// fetches the page did not plan. transport.js calls globalThis.fetch, which this does not touch.
const script = await transform(
  `(function () {
var fetch;
${core}
var fwCoreFactory = ForeignWasmCore;
var fwDecodeWasm = ${inlined.decoder};
ForeignWasmCore = function () {
  return fwCoreFactory({ wasmBinary: fwDecodeWasm("${inlined.text}") });
};
${bundle.outputFiles[0].text}})();
`,
  { minify: true, target: 'es2020', legalComments: 'none' },
);
const banner = `/*! ${pkg.name} ${pkg.version} | ${pkg.license} | wasm core inlined */\n`;
// No final newline: MediaWiki trims trailing whitespace when it saves a page, so the file is byte for byte what
// a wiki page holding it returns with action=raw, and its sha256 (scripts/release-hashes.sh) checks a deployed copy.
writeFileSync(join(dist, 'foreign-wasm.js'), banner + script.code.trimEnd());

const size = (file) => {
  const data = readFileSync(join(dist, file));
  return { file, raw: data.length, gzip9: gzipSync(data, { level: 9 }).length };
};
const sizes = ['foreign-wasm-core.mjs', 'foreign-wasm-core.wasm', 'foreign-wasm.js', 'foreign-wasm-oauth1.mjs', 'foreign-wasm-oauth1.wasm', 'oauth1.js'].map(size);
const esmJs = readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'foreign-wasm.js' && f !== 'oauth1.js').map(size);
sizes.push({
  file: 'ESM entry index.js',
  raw: esmJs.reduce((n, s) => n + s.raw, 0),
  gzip9: esmJs.reduce((n, s) => n + s.gzip9, 0),
});
for (const s of sizes) console.log(`${s.file.padEnd(28)} ${String(s.raw).padStart(8)} B  gzip -9 ${String(s.gzip9).padStart(7)} B`);

if (pack) {
  const out = join(repo, 'build');
  mkdirSync(out, { recursive: true });
  // --ignore-scripts: prepack would run this script again; dist/ was just built.
  const name = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', out], { cwd: jsDir, encoding: 'utf8' });
  console.log(`packed ${join(out, name.trim().split('\n').pop())}`);
}
