// Builds js/dist from js/src and the CMake build of wasm/bindings, then packs the npm tarball into build/.
//   dist/*.js + foreign-wasm-core.{mjs,wasm}   the ES module package (src copied as is: readable, bundlers minify)
//   dist/foreign-wasm.js                        one classic script, wasm inlined, defines globalThis.ForeignWasm
// Usage: node scripts/build.mjs [--wasm-dir DIR] [--no-pack]   (DIR default: <repo>/build/wasm/wasm/bindings)
// Prints raw and gzip -9 sizes of what it built.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const jsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(jsDir, '..');
const args = process.argv.slice(2);
const wasmDirArg = args.indexOf('--wasm-dir');
const wasmDir = wasmDirArg >= 0 ? resolve(args[wasmDirArg + 1]) : join(repo, 'build/wasm/wasm/bindings');
const pack = !args.includes('--no-pack');
const src = join(jsDir, 'src');
const dist = join(jsDir, 'dist');
const pkg = JSON.parse(readFileSync(join(jsDir, 'package.json'), 'utf8'));

for (const file of ['foreign-wasm-core.mjs', 'foreign-wasm-core.wasm', 'foreign-wasm-core.single.js']) {
  if (!existsSync(join(wasmDir, file))) {
    console.error(`missing ${join(wasmDir, file)}: build the wasm first (tests/js/run.sh does)`);
    process.exit(1);
  }
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// ES module package: every source file but the classic-script entry.
for (const file of readdirSync(src)) {
  if (file.endsWith('.js') && file !== 'script.js') copyFileSync(join(src, file), join(dist, file));
}
copyFileSync(join(wasmDir, 'foreign-wasm-core.mjs'), join(dist, 'foreign-wasm-core.mjs'));
copyFileSync(join(wasmDir, 'foreign-wasm-core.wasm'), join(dist, 'foreign-wasm-core.wasm'));

// Classic script: Emscripten's single-file factory and the bundled JS share one function scope, so the factory
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
const bundle = await build({
  entryPoints: [join(src, 'script.js')],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  write: false,
  legalComments: 'none',
});
const banner = `/*! ${pkg.name} ${pkg.version} | ${pkg.license} | wasm core inlined */\n`;
// `var fetch` shadows the global for Emscripten's loader only: in a page it would fetch() its inlined wasm as a
// data: URL, which a wiki's CSP (connect-src) may forbid; without fetch it decodes the base64 itself.
// transport.js calls globalThis.fetch, which this does not touch.
writeFileSync(
  join(dist, 'foreign-wasm.js'),
  `${banner}(function () {\nvar fetch;\n${core}\n${bundle.outputFiles[0].text}})();\n`,
);

const size = (file) => {
  const data = readFileSync(join(dist, file));
  return { file, raw: data.length, gzip9: gzipSync(data, { level: 9 }).length };
};
const sizes = ['foreign-wasm-core.mjs', 'foreign-wasm-core.wasm', 'foreign-wasm.js'].map(size);
const esmJs = readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'foreign-wasm.js').map(size);
sizes.push({
  file: 'ESM wrapper *.js (sum)',
  raw: esmJs.reduce((n, s) => n + s.raw, 0),
  gzip9: esmJs.reduce((n, s) => n + s.gzip9, 0),
});
for (const s of sizes) console.log(`${s.file.padEnd(28)} ${String(s.raw).padStart(8)} B  gzip -9 ${String(s.gzip9).padStart(7)} B`);

if (pack) {
  const out = join(repo, 'build');
  mkdirSync(out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: jsDir, encoding: 'utf8' });
  console.log(`packed ${join(out, name.trim().split('\n').pop())}`);
}
